package arena.rules;

import arena.ErrorCode;

/**
 * Why a move may not be applied.
 *
 * @param code the spec's error code: {@link ErrorCode#NOT_YOUR_TURN} or {@link ErrorCode#ILLEGAL_MOVE}
 * @param message a sentence for the player
 */
public record Rejection(ErrorCode code, String message) {

  public static Rejection notYourTurn(int seatToMove) {
    return new Rejection(ErrorCode.NOT_YOUR_TURN, "it is seat " + seatToMove + "'s turn");
  }

  public static Rejection illegalMove(String message) {
    return new Rejection(ErrorCode.ILLEGAL_MOVE, message);
  }

}
