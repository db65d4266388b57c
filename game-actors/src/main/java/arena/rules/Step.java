package arena.rules;

/**
 * The result of applying a move: the next position and, when the move ended the game, its
 * outcome.
 *
 * @param position the position after the move
 * @param outcome {@code null} while the game goes on
 */
public record Step<P>(P position, Outcome outcome) {

  public static <P> Step<P> ongoing(P position) {
    return new Step<>(position, null);
  }

  public boolean isTerminal() {
    return outcome != null;
  }
}
