package arena.rules;

/**
 * Why a move may not be applied.
 *
 * @param code the spec's error code: {@code not_your_turn} or {@code illegal_move}
 * @param message a sentence for the player
 */
public record Rejection(String code, String message) {

  public static final String NOT_YOUR_TURN = "not_your_turn";
  public static final String ILLEGAL_MOVE = "illegal_move";

  public static Rejection notYourTurn(int seatToMove) {
    return new Rejection(NOT_YOUR_TURN, "it is seat " + seatToMove + "'s turn");
  }

  public static Rejection illegalMove(String message) {
    return new Rejection(ILLEGAL_MOVE, message);
  }
}
