package arena.rules;

import arena.ErrorCode;
import java.util.Map;

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

  /** Reads a whole-number field in {@code [min, max]}. */
  public static int intField(Map<String, ?> json, String field, int min, int max)
      throws MoveFormatException {
    int value = wholeNumber(json == null ? null : json.get(field), "move." + field);
    if (value < min || value > max) {
      throw outOfRange("move." + field + " must be " + min + "-" + max + ", was " + value);
    }
    return value;
  }

  /** A JSON number without a fraction that fits an int; anything else is a bad request. */
  public static int wholeNumber(Object value, String what) throws MoveFormatException {
    if (value == null) {
      throw badRequest(what + " is missing");
    }
    if (value instanceof Integer i) {
      return i;
    }
    if (value instanceof Long l) {
      // A huge whole number is well-formed but out of every range.
      return l > Integer.MAX_VALUE ? Integer.MAX_VALUE : l < Integer.MIN_VALUE ? Integer.MIN_VALUE : l.intValue();
    }
    if (value instanceof java.math.BigInteger b) {
      return b.signum() > 0 ? Integer.MAX_VALUE : Integer.MIN_VALUE;
    }
    throw badRequest(what + " must be a whole number");
  }
}
