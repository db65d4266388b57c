package arena.rules;

import java.util.List;

/**
 * Counts the leaf positions of a game tree: the standard check of a move generator against
 * published counts. Terminal positions are leaves and are not expanded, so a game that ends
 * before the last ply contributes nothing deeper.
 */
public final class Perft {

  private Perft() {}

  /** Leaf positions {@code depth} plies below the initial position. */
  public static <P, M> long count(GameRules<P, M> rules, int depth) {
    return count(rules, rules.initialPosition(), depth);
  }

  public static <P, M> long count(GameRules<P, M> rules, P position, int depth) {
    if (depth == 0) {
      return 1;
    }
    List<M> moves = rules.legalMoves(position);
    if (depth == 1) {
      return moves.size();
    }
    long leaves = 0;
    for (M move : moves) {
      Step<P> step = rules.apply(position, move);
      if (!step.isTerminal()) {
        leaves += count(rules, step.position(), depth - 1);
      }
    }
    return leaves;
  }

  /** Complete games: every path from the initial position to a terminal one. */
  public static <P, M> long completeGames(GameRules<P, M> rules, P position) {
    long games = 0;
    for (M move : rules.legalMoves(position)) {
      Step<P> step = rules.apply(position, move);
      games += step.isTerminal() ? 1 : completeGames(rules, step.position());
    }
    return games;
  }
}
