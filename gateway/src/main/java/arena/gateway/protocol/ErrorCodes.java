package arena.gateway.protocol;

import java.util.Map;

/** The spec's error codes and the HTTP status that fits each. */
public final class ErrorCodes {

  public static final String BAD_REQUEST = "bad_request";
  public static final String UNKNOWN_GAME_TYPE = "unknown_game_type";
  public static final String UNAUTHORIZED = "unauthorized";
  public static final String FORBIDDEN = "forbidden";
  public static final String NOT_FOUND = "not_found";
  public static final String TOO_LARGE = "too_large";
  public static final String RATE_LIMITED = "rate_limited";
  public static final String UNAVAILABLE = "unavailable";
  public static final String INTERNAL = "internal";

  private static final Map<String, Integer> STATUS = Map.ofEntries(
      Map.entry(BAD_REQUEST, 400),
      Map.entry(UNKNOWN_GAME_TYPE, 400),
      Map.entry(UNAUTHORIZED, 401),
      Map.entry(FORBIDDEN, 403),
      Map.entry(NOT_FOUND, 404),
      Map.entry(TOO_LARGE, 413),
      Map.entry(RATE_LIMITED, 429),
      Map.entry(UNAVAILABLE, 503),
      Map.entry(INTERNAL, 500));

  private ErrorCodes() {}

  /** The HTTP status of an error code; game-rule codes (illegal_move, game_full, …) are 409. */
  public static int httpStatus(String code) {
    return STATUS.getOrDefault(code, 409);
  }
}
