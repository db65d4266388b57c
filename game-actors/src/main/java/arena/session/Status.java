package arena.session;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where a game is in its life (ARENA-SPEC §5): {@code waiting} for players, {@code active},
 * {@code finished} or {@code aborted}. {@link #NEW} is a session nobody has created: it never
 * reaches a player.
 */
public enum Status {
  NEW,
  WAITING,
  ACTIVE,
  FINISHED,
  ABORTED;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** The spec's spelling, e.g. {@code waiting}: how views and cluster messages write it. */
  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** Whether the game is over (finished or aborted). */
  public boolean isOver() {
    return this == FINISHED || this == ABORTED;
  }

  /**
   * Reads either spelling: the wire name, or the constant's name that snapshots store
   * ({@code ACTIVE}); {@code null} for anything else.
   */
  @JsonCreator
  public static Status fromJson(String name) {
    for (Status status : values()) {
      if (status.wireName.equals(name) || status.name().equals(name)) {
        return status;
      }
    }
    return null;
  }
}
