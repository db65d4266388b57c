package arena.loadtest.ws;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The few fields of a server frame (ARENA-SPEC §4) the generator acts on: {@code type}, {@code re},
 * {@code seq}, {@code gameId}, {@code code} and an event's {@code kind}. Read with a streaming
 * parser that stops as soon as the frame's type has what it needs, so the {@code state} every
 * event carries (the bulk of the frame, after the event: the node writes {@code type} first, then
 * the fields in the spec's order) and whole {@code state} frames are never parsed. A field that
 * is missing is null, or -1 for {@code seq}.
 */
record Frame(String type, String re, long seq, String gameId, String kind, String code, String status) {

  private static final JsonFactory JSON = new JsonFactory();

  static Frame parse(String text) throws IOException {
    try (JsonParser p = JSON.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("a frame is not a JSON object");
      }
      String type = null;
      String re = null;
      long seq = -1;
      String gameId = null;
      String kind = null;
      String code = null;
      String status = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.getCurrentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "type" -> type = text(p, value);
          case "re" -> re = text(p, value);
          case "gameId" -> gameId = text(p, value);
          case "code" -> code = text(p, value);
          case "seq" -> seq = value.isNumeric() ? p.getLongValue() : -1;
          case "event" -> kind = value == JsonToken.START_OBJECT ? field(p, "kind") : null;
          // read only in a state frame: an event frame has all it needs before its state
          case "state" -> status = value == JsonToken.START_OBJECT ? field(p, "status") : null;
          default -> p.skipChildren(); // nothing to skip for a scalar
        }
        if (type != null && enough(type, re, seq, gameId, kind)) {
          break; // what follows (an event's state) is not needed
        }
      }
      return new Frame(type == null ? "" : type, re, seq, gameId, kind, code, status);
    }
  }

  /** Whether a frame of this type has every field the generator uses. */
  private static boolean enough(String type, String re, long seq, String gameId, String kind) {
    return switch (type) {
      case "ack" -> re != null && seq >= 0;
      case "event" -> gameId != null && seq >= 0 && kind != null;
      case "created", "joined" -> re != null && gameId != null;
      case "error" -> false; // re is left out when there is none: read to the end (errors are rare)
      case "state" -> false; // its gameId and its state's status: read to the end
      default -> true; // pong, ...: ignored
    };
  }

  private static String text(JsonParser p, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    p.skipChildren();
    return null;
  }

  /** The text field {@code wanted} of an object; leaves the parser at the object's end. */
  private static String field(JsonParser p, String wanted) throws IOException {
    String found = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.getCurrentName();
      JsonToken value = p.nextToken();
      if (name.equals(wanted)) {
        found = text(p, value);
      } else {
        p.skipChildren();
      }
    }
    return found;
  }
}
