package arena.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pekko.serialization.jackson.JacksonMigration;

/**
 * Keeps old {@code moved} events readable. Version history of {@link GameEvent.Moved}:
 *
 * <ol>
 *   <li>the request id was called {@code moveId};
 *   <li>it is {@code requestId}, the same name resign and leave use.
 * </ol>
 *
 * Events are never rewritten in the journal: each is upgraded as it is read.
 */
public final class MovedMigration extends JacksonMigration {

  @Override
  public int currentVersion() {
    return 2;
  }

  @Override
  public JsonNode transform(int fromVersion, JsonNode json) {
    if (fromVersion < 2 && json instanceof ObjectNode node && node.has("moveId")) {
      node.set("requestId", node.remove("moveId"));
    }
    return json;
  }
}
