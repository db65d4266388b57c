package arena.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import arena.ErrorCode;
import arena.gateway.protocol.ProtocolException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lists' parameters: anything unknown or out of range is refused, never clamped. */
class GameListsTest {

  private final GameLists lists = new GameLists(null);

  private void refuses(Map<String, String> query, ErrorCode code) {
    assertThatThrownBy(() -> lists.publicGames(query)).isInstanceOf(ProtocolException.class)
        .satisfies(e -> assertThat(((ProtocolException) e).code()).as("%s", query).isEqualTo(code));
  }

  private void refusesMine(Map<String, String> query) {
    assertThatThrownBy(() -> lists.playerGames("p", query)).isInstanceOf(ProtocolException.class)
        .satisfies(e -> assertThat(((ProtocolException) e).code()).as("%s", query).isEqualTo(ErrorCode.BAD_REQUEST));
  }

  @Test
  void refusesPublicListParametersOutOfRangeOrUnknown() {
    refuses(Map.of("status", "finished"), ErrorCode.BAD_REQUEST);
    refuses(Map.of("status", "waiting"), ErrorCode.BAD_REQUEST);
    refuses(Map.of("limit", "0"), ErrorCode.BAD_REQUEST);
    refuses(Map.of("limit", "501"), ErrorCode.BAD_REQUEST);
    refuses(Map.of("limit", "5.0"), ErrorCode.BAD_REQUEST);
    refuses(Map.of("limit", ""), ErrorCode.BAD_REQUEST);
    refuses(Map.of("page", "2"), ErrorCode.BAD_REQUEST);
    refuses(Map.of("status", "active", "game", "chess"), ErrorCode.UNKNOWN_GAME_TYPE);
  }

  @Test
  void refusesOwnListParametersOutOfRangeOrUnknown() {
    refusesMine(Map.of("status", "open"));
    refusesMine(Map.of("status", "aborted"));
    refusesMine(Map.of("limit", "-1"));
    refusesMine(Map.of("limit", "501"));
    refusesMine(Map.of("game", "connect4"));
  }

  @Test
  void acceptsTheSpecsParametersAndThenNeedsADirectory() throws Exception {
    for (Map<String, String> query : new Map[] {Map.of(), Map.of("status", "open", "game", "checkers", "limit", "1"),
        Map.of("status", "active", "limit", "500")}) {
      assertThat(lists.publicGames(query).toCompletableFuture()).as("%s", query).isCompletedExceptionally();
    }
    assertThat(lists.playerGames("p", Map.of("status", "finished", "limit", "500")).toCompletableFuture())
        .isCompletedExceptionally();
  }
}
