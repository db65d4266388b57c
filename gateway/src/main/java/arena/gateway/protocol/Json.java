package arena.gateway.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.Map;

/** The one JSON mapper of the wire: ISO 8601 instants, no coercion of types on input, no duplicate keys. */
public final class Json {

  public static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      // {"move": 1, "move": 2} is refused, not read as whichever came last: a proxy or a log
      // reader that takes the first would see another request than the one acted on.
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private Json() {}

  private static final com.fasterxml.jackson.databind.ObjectWriter FRAMES = MAPPER.writerFor(ServerFrame.class);

  /** A server frame as the text of one WebSocket message, {@code type} first. */
  public static String frame(ServerFrame frame) {
    try {
      return FRAMES.writeValueAsString(frame);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write frame " + frame.getClass().getSimpleName(), e);
    }
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }

  /** Parses text as JSON; {@code null} when it is not JSON. */
  public static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** A JSON object as plain Java values (maps, lists, numbers, strings), as the rules read moves. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> toMap(JsonNode object) {
    return MAPPER.convertValue(object, Map.class);
  }
}
