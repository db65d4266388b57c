package arena.session;

import arena.ErrorCode;
import arena.rules.GameRules;
import arena.rules.MoveFormatException;
import arena.rules.Outcome;
import arena.rules.Rejection;
import arena.rules.Step;
import java.util.List;
import java.util.Map;

/**
 * A game's current position bound to the rules that govern it, with the rules' types captured so
 * that the session can hold any game without knowing its position and move types.
 */
final class GamePosition<P, M> {

  private final GameRules<P, M> rules;
  private final P position;

  private GamePosition(GameRules<P, M> rules, P position) {
    this.rules = rules;
    this.position = position;
  }

  static <P, M> GamePosition<P, M> start(GameRules<P, M> rules) {
    return new GamePosition<>(rules, rules.initialPosition());
  }

  /** Rebuilds a position from its stored moves, as recovery from a snapshot does. */
  static GamePosition<?, ?> replay(GameRules<?, ?> rules, List<Map<String, Object>> moves) {
    GamePosition<?, ?> position = start(rules);
    for (Map<String, Object> move : moves) {
      position = position.play(move);
    }
    return position;
  }

  /**
   * The outcome of checking a move: a rejection, or the move's canonical JSON, the position after
   * it and the game's outcome if it ended (so that the move is applied by the rules only here).
   */
  record Attempt(ErrorCode errorCode, String message, Map<String, Object> move, GamePosition<?, ?> next,
      Outcome outcome) {

    static Attempt rejected(ErrorCode code, String message) {
      return new Attempt(code, message, null, null, null);
    }

    boolean isRejected() {
      return errorCode != null;
    }
  }

  Attempt attempt(int seat, Map<String, ?> json) {
    M move;
    try {
      move = rules.moveCodec().read(json);
    } catch (MoveFormatException e) {
      return Attempt.rejected(e.code(), e.getMessage());
    }
    Rejection rejection = rules.validate(position, seat, move);
    if (rejection != null) {
      return Attempt.rejected(rejection.code(), rejection.message());
    }
    Step<P> step = rules.apply(position, move);
    return new Attempt(null, null, rules.moveCodec().write(move), new GamePosition<>(rules, step.position()), step.outcome());
  }

  /** Applies a stored move: it was validated before it was stored, so it is parsed, not checked. */
  GamePosition<P, M> play(Map<String, ?> json) {
    try {
      return new GamePosition<>(rules, rules.apply(position, rules.moveCodec().read(json)).position());
    } catch (MoveFormatException e) {
      throw new IllegalStateException("a stored move no longer parses: " + json, e);
    }
  }

  int seatToMove() {
    return rules.seatToMove(position);
  }

  Object board() {
    return rules.boardToJson(position);
  }
}
