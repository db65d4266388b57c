package arena.rules;

import arena.ErrorCode;

/**
 * A move that cannot be read: {@link #code()} is {@code bad_request} (missing field, wrong type)
 * or {@code illegal_move} (a well-formed value out of range).
 */
public final class MoveFormatException extends Exception {

  private final ErrorCode code;

  private MoveFormatException(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public static MoveFormatException badRequest(String message) {
    return new MoveFormatException(ErrorCode.BAD_REQUEST, message);
  }

  public static MoveFormatException outOfRange(String message) {
    return new MoveFormatException(ErrorCode.ILLEGAL_MOVE, message);
  }

  public ErrorCode code() {
    return code;
  }
}
