package arena.gateway.protocol;

import arena.ErrorCode;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What the server sends over the WebSocket (ARENA-SPEC §4), one record per frame type; the
 * {@code type} property is the record's name below. {@code re} echoes a request's {@code id} and
 * is left out when there is nothing to echo.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ServerFrame.Created.class, name = "created"),
  @JsonSubTypes.Type(value = ServerFrame.Joined.class, name = "joined"),
  @JsonSubTypes.Type(value = ServerFrame.Queued.class, name = "queued"),
  @JsonSubTypes.Type(value = ServerFrame.Matched.class, name = "matched"),
  @JsonSubTypes.Type(value = ServerFrame.Cancelled.class, name = "cancelled"),
  @JsonSubTypes.Type(value = ServerFrame.State.class, name = "state"),
  @JsonSubTypes.Type(value = ServerFrame.Unsubscribed.class, name = "unsubscribed"),
  @JsonSubTypes.Type(value = ServerFrame.Ack.class, name = "ack"),
  @JsonSubTypes.Type(value = ServerFrame.Left.class, name = "left"),
  @JsonSubTypes.Type(value = ServerFrame.Pong.class, name = "pong"),
  @JsonSubTypes.Type(value = ServerFrame.Event.class, name = "event"),
  @JsonSubTypes.Type(value = ServerFrame.Error.class, name = "error"),
  @JsonSubTypes.Type(value = ServerFrame.Shutdown.class, name = "shutdown")
})
public sealed interface ServerFrame {

  record Created(@JsonInclude(JsonInclude.Include.NON_NULL) String re, String gameId, int seat)
      implements ServerFrame {}

  record Joined(@JsonInclude(JsonInclude.Include.NON_NULL) String re, String gameId, int seat)
      implements ServerFrame {}

  record Queued(@JsonInclude(JsonInclude.Include.NON_NULL) String re) implements ServerFrame {}

  record Matched(String game, String gameId, int seat) implements ServerFrame {}

  record Cancelled(@JsonInclude(JsonInclude.Include.NON_NULL) String re) implements ServerFrame {}

  record State(@JsonInclude(JsonInclude.Include.NON_NULL) String re, String gameId, Bodies.GameState state)
      implements ServerFrame {}

  record Unsubscribed(@JsonInclude(JsonInclude.Include.NON_NULL) String re, String gameId)
      implements ServerFrame {}

  record Ack(@JsonInclude(JsonInclude.Include.NON_NULL) String re, String gameId, long seq)
      implements ServerFrame {}

  record Left(@JsonInclude(JsonInclude.Include.NON_NULL) String re, String gameId) implements ServerFrame {}

  record Pong(@JsonInclude(JsonInclude.Include.NON_NULL) String re) implements ServerFrame {}

  record Event(String gameId, long seq, Bodies.Event event, Bodies.GameState state) implements ServerFrame {}

  record Error(@JsonInclude(JsonInclude.Include.NON_NULL) String re, ErrorCode code, String message)
      implements ServerFrame {}

  record Shutdown(long reconnectAfterMs) implements ServerFrame {}
}
