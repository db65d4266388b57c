package arena.session;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/** Whether the lobby lists a game waiting for players (ARENA-SPEC §4). */
public enum Visibility {
  PUBLIC,
  PRIVATE;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** The spec's spelling: {@code public} or {@code private}. */
  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** The visibility written as {@code wireName}, if there is one. */
  public static Optional<Visibility> ofWireName(String wireName) {
    for (Visibility visibility : values()) {
      if (visibility.wireName.equals(wireName)) {
        return Optional.of(visibility);
      }
    }
    return Optional.empty();
  }

  /** Reads the wire name; {@code null} for anything else, which a session refuses as a bad request. */
  @JsonCreator
  public static Visibility fromJson(String wireName) {
    return ofWireName(wireName).orElse(null);
  }
}
