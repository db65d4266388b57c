package arena.gateway.protocol;

import java.util.Map;

/**
 * What a player's client sends over the WebSocket (ARENA-SPEC §4), one record per frame type.
 * {@code id} is the client's correlation id, or {@code null}.
 */
public sealed interface ClientFrame {

  String id();

  record Create(String id, String game, String visibility, int turnSeconds) implements ClientFrame {}

  record Join(String id, String gameId) implements ClientFrame {}

  record Quickmatch(String id, String game) implements ClientFrame {}

  record CancelQuickmatch(String id, String game) implements ClientFrame {}

  record Subscribe(String id, String gameId) implements ClientFrame {}

  record Unsubscribe(String id, String gameId) implements ClientFrame {}

  record Move(String id, String gameId, Map<String, Object> move) implements ClientFrame {}

  record Resign(String id, String gameId) implements ClientFrame {}

  record Leave(String id, String gameId) implements ClientFrame {}

  record Ping(String id) implements ClientFrame {}
}
