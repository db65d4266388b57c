package arena.session;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Game ids: Arena issues random (version 4) UUIDs in their canonical lower-case form, and has
 * done so since its first release. Anything else cannot name a game, so the edge answers it
 * {@code not_found} without asking Cluster Sharding, which would start an entity (a recovery
 * query, remember-entities writes) for every id a client makes up.
 */
public final class GameIds {

  private static final Pattern ISSUED =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

  private GameIds() {}

  /** A fresh game id. */
  public static String newId() {
    return UUID.randomUUID().toString();
  }

  /** Whether {@code id} has the form of an id Arena issues; false for null. */
  public static boolean couldBeIssued(String id) {
    return id != null && id.length() == 36 && ISSUED.matcher(id).matches();
  }
}
