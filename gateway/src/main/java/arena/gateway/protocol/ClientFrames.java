package arena.gateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Decodes and validates one text frame into a {@link ClientFrame}. Validation happens here, at
 * the edge, so that everything past it is well-formed.
 */
public final class ClientFrames {

  private ClientFrames() {}

  /** The frame's {@code id} if it has a string one, for answering even a frame we refuse. */
  public static String idOf(JsonNode frame) {
    JsonNode id = frame == null || !frame.isObject() ? null : frame.get("id");
    return id != null && id.isTextual() && id.textValue().length() <= Fields.MAX_TEXT ? id.textValue() : null;
  }

  public static ClientFrame decode(JsonNode frame) throws ProtocolException {
    if (frame == null || !frame.isObject()) {
      throw ProtocolException.badRequest("a frame is one JSON object");
    }
    String id = Fields.optionalText(frame, "id", null);
    String type = Fields.requiredText(frame, "type");
    switch (type) {
      case "create":
        return new ClientFrame.Create(id, Fields.gameType(frame), Fields.visibility(frame), Fields.turnSeconds(frame));
      case "join":
        return new ClientFrame.Join(id, Fields.requiredText(frame, "gameId"));
      case "quickmatch":
        return new ClientFrame.Quickmatch(id, Fields.gameType(frame));
      case "cancel_quickmatch":
        return new ClientFrame.CancelQuickmatch(id, Fields.gameType(frame));
      case "subscribe":
        return new ClientFrame.Subscribe(id, Fields.requiredText(frame, "gameId"));
      case "unsubscribe":
        return new ClientFrame.Unsubscribe(id, Fields.requiredText(frame, "gameId"));
      case "move":
        return new ClientFrame.Move(id, Fields.requiredText(frame, "gameId"), move(frame));
      case "resign":
        return new ClientFrame.Resign(id, Fields.requiredText(frame, "gameId"));
      case "leave":
        return new ClientFrame.Leave(id, Fields.requiredText(frame, "gameId"));
      case "ping":
        return new ClientFrame.Ping(id);
      default:
        throw ProtocolException.badRequest("unknown frame type '" + Fields.truncate(type) + "'");
    }
  }

  private static java.util.Map<String, Object> move(JsonNode frame) throws ProtocolException {
    JsonNode move = frame.get("move");
    if (move == null || move.isNull()) {
      throw ProtocolException.badRequest("move is missing");
    }
    if (!move.isObject()) {
      throw ProtocolException.badRequest("move must be a JSON object");
    }
    return Json.toMap(move);
  }
}
