package arena.gateway.protocol;

import arena.ErrorCode;

/**
 * The one table from an error code to the HTTP status it is answered with (ARENA-SPEC §3). The
 * switch has no default: a code added to {@link ErrorCode} does not compile until it has a status
 * here, and {@code ErrorStatusTest} checks each against the spec.
 */
public final class ErrorStatus {

  private ErrorStatus() {}

  public static int httpStatus(ErrorCode code) {
    return switch (code) {
      case BAD_REQUEST, UNKNOWN_GAME_TYPE -> 400;
      case UNAUTHORIZED -> 401;
      case FORBIDDEN -> 403;
      case NOT_FOUND -> 404;
      case TOO_LARGE -> 413;
      case RATE_LIMITED -> 429;
      case INTERNAL -> 500;
      case UNAVAILABLE -> 503;
      // The game's rules refused: the request was well-formed but conflicts with the game's state.
      case ILLEGAL_MOVE, NOT_YOUR_TURN, GAME_FULL, ALREADY_SEATED, GAME_NOT_ACTIVE -> 409;
    };
  }
}
