package arena.rules;

import java.util.Map;

/** Reading the fields of a move's JSON, for the games' {@link MoveCodec}s. */
public final class MoveFields {

  private MoveFields() {}

  /** Reads a whole-number field in {@code [min, max]}. */
  public static int intField(Map<String, ?> json, String field, int min, int max)
      throws MoveFormatException {
    int value = wholeNumber(json == null ? null : json.get(field), "move." + field);
    if (value < min || value > max) {
      throw MoveFormatException.outOfRange("move." + field + " must be " + min + "-" + max + ", was " + value);
    }
    return value;
  }

  /** A JSON number without a fraction that fits an int; anything else is a bad request. */
  public static int wholeNumber(Object value, String what) throws MoveFormatException {
    if (value == null) {
      throw MoveFormatException.badRequest(what + " is missing");
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
    throw MoveFormatException.badRequest(what + " must be a whole number");
  }
}
