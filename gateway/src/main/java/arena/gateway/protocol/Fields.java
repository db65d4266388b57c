package arena.gateway.protocol;

import arena.ErrorCode;
import arena.rules.GameCatalog;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Strict reading of request fields: a missing field or one of the wrong type is a
 * {@code bad_request} naming the field; nothing is coerced (no "5" for 5, no 5.0 for 5).
 */
public final class Fields {

  /** Longest id or name of anything a client may send us. */
  public static final int MAX_TEXT = 128;

  private Fields() {}

  public static String requiredText(JsonNode object, String field) throws ProtocolException {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      throw ProtocolException.badRequest(field + " is missing");
    }
    return text(value, field);
  }

  public static String optionalText(JsonNode object, String field, String fallback) throws ProtocolException {
    JsonNode value = object.get(field);
    return value == null || value.isNull() ? fallback : text(value, field);
  }

  private static String text(JsonNode value, String field) throws ProtocolException {
    if (!value.isTextual()) {
      throw ProtocolException.badRequest(field + " must be a string");
    }
    if (value.textValue().length() > MAX_TEXT) {
      throw ProtocolException.badRequest(field + " is longer than " + MAX_TEXT + " characters");
    }
    return value.textValue();
  }

  /** A whole number in {@code [min, max]}; out of range is refused, never clamped. */
  public static int optionalInt(JsonNode object, String field, int fallback, int min, int max)
      throws ProtocolException {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isIntegralNumber()) {
      throw ProtocolException.badRequest(field + " must be a whole number");
    }
    if (!value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
      throw ProtocolException.badRequest(field + " must be " + min + "-" + max);
    }
    return value.intValue();
  }

  /** {@code public} (the default) or {@code private}. */
  public static String visibility(JsonNode object) throws ProtocolException {
    String visibility = optionalText(object, "visibility", "public");
    if (!visibility.equals("public") && !visibility.equals("private")) {
      throw ProtocolException.badRequest("visibility must be public or private");
    }
    return visibility;
  }

  /** {@code game}: a game type this build knows; another string is {@code unknown_game_type}. */
  public static String gameType(JsonNode object) throws ProtocolException {
    String game = requiredText(object, "game");
    if (GameCatalog.find(game).isEmpty()) {
      throw new ProtocolException(ErrorCode.UNKNOWN_GAME_TYPE, "no game type '" + truncate(game) + "'");
    }
    return game;
  }

  /** {@code text} cut to 40 characters, to quote what a client sent in a message. */
  static String truncate(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }

  /** {@code turnSeconds}: 5-3600, default 60. */
  public static int turnSeconds(JsonNode object) throws ProtocolException {
    return optionalInt(object, "turnSeconds", 60, 5, 3600);
  }
}
