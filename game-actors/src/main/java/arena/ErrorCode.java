package arena;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/**
 * The spec's error codes (ARENA-SPEC §3, §4), from the rules to the wire: the rules refuse a move
 * with one, a session rejects a command with one, the gateway writes its {@link #wireName()} in an
 * error frame or body and picks the HTTP status from it. A code that is not here cannot be sent.
 */
public enum ErrorCode {
  BAD_REQUEST,
  UNAUTHORIZED,
  FORBIDDEN,
  NOT_FOUND,
  UNKNOWN_GAME_TYPE,
  ILLEGAL_MOVE,
  NOT_YOUR_TURN,
  GAME_FULL,
  ALREADY_SEATED,
  GAME_NOT_ACTIVE,
  RATE_LIMITED,
  TOO_LARGE,
  UNAVAILABLE,
  INTERNAL;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** How the code is written on the wire and in cluster messages, e.g. {@code not_your_turn}. */
  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** The code written as {@code wireName}, if there is one. */
  public static Optional<ErrorCode> ofWireName(String wireName) {
    for (ErrorCode code : values()) {
      if (code.wireName.equals(wireName)) {
        return Optional.of(code);
      }
    }
    return Optional.empty();
  }

  /**
   * Reads a code from a cluster message. A code this version does not know (a newer node's) is
   * {@link #INTERNAL}: the client still gets an error, never a crash of the reader.
   */
  @JsonCreator
  public static ErrorCode fromJson(String wireName) {
    return ofWireName(wireName).orElse(INTERNAL);
  }
}
