package arena.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import arena.ErrorCode;
import arena.gateway.protocol.Json;
import arena.rules.GameCatalog;
import arena.rules.GameRules;
import arena.rules.MoveFormatException;
import arena.rules.Rejection;
import arena.rules.Step;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Every game's move parser and rules against moves a client makes up, in positions reached by
 * legal play: a move either fails to parse with {@code bad_request}/{@code illegal_move}, or is
 * refused by the rules with {@code not_your_turn}/{@code illegal_move}, or is one of the legal
 * moves of the seat to move. Nothing the rules forbid is ever applied, and nothing throws.
 */
class MoveFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void onlyLegalMovesOfTheSeatToMoveAreAccepted(FuzzedDataProvider data) throws Exception {
    List<GameRules<?, ?>> games = GameCatalog.all();
    check(games.get(data.consumeInt(0, games.size() - 1)), data);
  }

  private static <P, M> void check(GameRules<P, M> rules, FuzzedDataProvider data) throws Exception {
    P position = rules.initialPosition();
    int plies = data.consumeInt(0, 80);
    for (int i = 0; i < plies; i++) {
      List<M> legal = rules.legalMoves(position);
      if (legal.isEmpty()) {
        break;
      }
      Step<P> step = rules.apply(position, legal.get(data.consumeInt(0, legal.size() - 1)));
      if (step.outcome() != null) {
        return; // a finished game takes no moves; the session refuses them before the rules
      }
      position = step.position();
    }
    int seat = data.consumeInt(0, rules.seats() - 1);
    JsonNode node = Json.parse(data.consumeRemainingAsString());
    if (node == null || !node.isObject()) {
      return; // the frame decoder refuses these (FrameFuzzTest)
    }
    Map<String, Object> json = Json.toMap(node);
    M move;
    try {
      move = rules.moveCodec().read(json);
    } catch (MoveFormatException refused) {
      assertThat(refused.code()).isIn(ErrorCode.BAD_REQUEST, ErrorCode.ILLEGAL_MOVE);
      return;
    }
    assertThat(rules.moveCodec().read(rules.moveCodec().write(move))).isEqualTo(move);
    Rejection rejection = rules.validate(position, seat, move);
    if (rejection != null) {
      assertThat(rejection.code()).isIn(ErrorCode.NOT_YOUR_TURN, ErrorCode.ILLEGAL_MOVE);
      return;
    }
    assertThat(seat).isEqualTo(rules.seatToMove(position));
    assertThat(rules.legalMoves(position)).contains(move);
    assertThat(rules.apply(position, move).position()).isNotNull();
  }
}
