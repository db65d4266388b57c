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
 * One game's rules and current position, with the rules' types captured so that the session can
 * hold any game without knowing its position and move types.
 */
final class Match<P, M> {

  private final GameRules<P, M> rules;
  private final P position;

  private Match(GameRules<P, M> rules, P position) {
    this.rules = rules;
    this.position = position;
  }

  static <P, M> Match<P, M> start(GameRules<P, M> rules) {
    return new Match<>(rules, rules.initialPosition());
  }

  /** Rebuilds a match from its stored moves, as recovery from a snapshot does. */
  static Match<?, ?> replay(GameRules<?, ?> rules, List<Map<String, Object>> moves) {
    Match<?, ?> match = start(rules);
    for (Map<String, Object> move : moves) {
      match = match.play(move);
    }
    return match;
  }

  /** The outcome of checking a move: a rejection, or the move's canonical JSON and its step. */
  record Attempt(ErrorCode errorCode, String message, Map<String, Object> move, Outcome outcome) {
    boolean rejected() {
      return errorCode != null;
    }
  }

  Attempt attempt(int seat, Map<String, ?> json) {
    M move;
    try {
      move = rules.parseMove(json);
    } catch (MoveFormatException e) {
      return new Attempt(e.code(), e.getMessage(), null, null);
    }
    Rejection rejection = rules.validate(position, seat, move);
    if (rejection != null) {
      return new Attempt(rejection.code(), rejection.message(), null, null);
    }
    Step<P> step = rules.apply(position, move);
    return new Attempt(null, null, rules.moveToJson(move), step.outcome());
  }

  /** Applies a stored move: it was validated before it was stored, so it is parsed, not checked. */
  Match<P, M> play(Map<String, ?> json) {
    try {
      return new Match<>(rules, rules.apply(position, rules.parseMove(json)).position());
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
