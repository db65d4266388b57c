package arena.gateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;

/**
 * The request bodies of the HTTP API (ARENA-SPEC §3), each read into its own record: one JSON
 * object (strict: no duplicate keys, nothing after it), every field of its type and in its range,
 * or {@code bad_request} (or {@code unknown_game_type}) saying what is wrong. The size bound
 * (64 KiB, {@code too_large}) is the route's, applied before the text gets here.
 */
public final class RequestBodies {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]([A-Za-z0-9 _-]{0,30}[A-Za-z0-9_-])?");

  private RequestBodies() {}

  /** {@code POST /api/v1/players}. */
  public record NewPlayer(String name) {}

  /** {@code POST /api/v1/games}; {@code visibility} and {@code turnSeconds} with their defaults filled in. */
  public record NewGame(String game, String visibility, int turnSeconds) {}

  /** Reads one kind of body from the request's text. */
  @FunctionalInterface
  public interface Reader<T> {
    T read(String text) throws ProtocolException;
  }

  public static NewPlayer newPlayer(String text) throws ProtocolException {
    JsonNode body = object(text);
    String name = Fields.requiredText(body, "name");
    if (name.length() > 32 || !NAME.matcher(name).matches()) {
      throw ProtocolException.badRequest(
          "a name is 1-32 letters, digits, spaces, _ or -, not starting or ending with a space");
    }
    return new NewPlayer(name);
  }

  public static NewGame newGame(String text) throws ProtocolException {
    JsonNode body = object(text);
    String game = Fields.gameType(body);
    String visibility = Fields.visibility(body);
    int turnSeconds = Fields.turnSeconds(body);
    return new NewGame(game, visibility, turnSeconds);
  }

  private static JsonNode object(String text) throws ProtocolException {
    JsonNode body = Json.parse(text);
    if (body == null || !body.isObject()) {
      throw ProtocolException.badRequest("the body must be one JSON object");
    }
    return body;
  }
}
