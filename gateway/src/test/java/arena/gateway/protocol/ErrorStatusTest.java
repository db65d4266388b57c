package arena.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import arena.ErrorCode;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every error code has the HTTP status of ARENA-SPEC §3; a code without one fails here. */
class ErrorStatusTest {

  /** §3's table; the game-rule codes, which §3 does not list, are 409 Conflict. */
  private static final Map<ErrorCode, Integer> SPEC = new EnumMap<>(Map.ofEntries(
      Map.entry(ErrorCode.BAD_REQUEST, 400),
      Map.entry(ErrorCode.UNKNOWN_GAME_TYPE, 400),
      Map.entry(ErrorCode.UNAUTHORIZED, 401),
      Map.entry(ErrorCode.FORBIDDEN, 403),
      Map.entry(ErrorCode.NOT_FOUND, 404),
      Map.entry(ErrorCode.TOO_LARGE, 413),
      Map.entry(ErrorCode.RATE_LIMITED, 429),
      Map.entry(ErrorCode.INTERNAL, 500),
      Map.entry(ErrorCode.UNAVAILABLE, 503),
      Map.entry(ErrorCode.ILLEGAL_MOVE, 409),
      Map.entry(ErrorCode.NOT_YOUR_TURN, 409),
      Map.entry(ErrorCode.GAME_FULL, 409),
      Map.entry(ErrorCode.ALREADY_SEATED, 409),
      Map.entry(ErrorCode.GAME_NOT_ACTIVE, 409)));

  @Test
  void everyCodeHasTheSpecsHttpStatus() {
    for (ErrorCode code : ErrorCode.values()) {
      assertThat(SPEC).as("the spec's status of %s (add it here and in ErrorStatus)", code).containsKey(code);
      assertThat(ErrorStatus.httpStatus(code)).as("status of %s", code).isEqualTo(SPEC.get(code));
    }
  }

  @Test
  void everyStatusIsAnHttpErrorStatus() {
    for (ErrorCode code : ErrorCode.values()) {
      assertThat(ErrorStatus.httpStatus(code)).as("status of %s", code).isBetween(400, 599);
    }
  }
}
