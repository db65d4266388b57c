package arena.rules;

/**
 * How a game ended (ARENA-SPEC §5, {@code result}).
 *
 * @param outcome a win or a draw
 * @param winnerSeat the winner's seat, {@code null} for a draw
 * @param reason why it ended
 */
public record Outcome(Kind outcome, Integer winnerSeat, Reason reason) {

  public Outcome {
    if ((outcome == Kind.WIN) != (winnerSeat != null)) {
      throw new IllegalArgumentException("a win names its winner, a draw does not");
    }
  }

  public static Outcome win(int winnerSeat, Reason reason) {
    return new Outcome(Kind.WIN, winnerSeat, reason);
  }

  public static Outcome draw(Reason reason) {
    return new Outcome(Kind.DRAW, null, reason);
  }

  /** Win or draw; {@link #wireName()} is the spec's spelling. */
  public enum Kind {
    WIN,
    DRAW;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Why a game ended; {@link #wireName()} is the spec's spelling. */
  public enum Reason {
    LINE,
    RESIGN,
    TIMEOUT,
    NO_MOVES,
    BOARD_FULL,
    DRAW_RULE;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
