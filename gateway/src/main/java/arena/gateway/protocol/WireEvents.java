package arena.gateway.protocol;

import arena.session.GameEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Game events as the wire shows them (ARENA-SPEC §4): the kind and the fields players need, and
 * nothing internal (request ids, instants, expiry).
 */
public final class WireEvents {

  private WireEvents() {}

  public static Map<String, Object> toWire(GameEvent event) {
    Map<String, Object> wire = new LinkedHashMap<>();
    if (event instanceof GameEvent.GameCreated e) {
      wire.put("kind", "game_created");
      wire.put("game", e.game());
      wire.put("visibility", e.visibility());
      wire.put("turnSeconds", e.turnSeconds());
      wire.put("seat", e.seat());
      wire.put("playerId", e.playerId());
      wire.put("name", e.name());
    } else if (event instanceof GameEvent.PlayerJoined e) {
      wire.put("kind", "player_joined");
      wire.put("seat", e.seat());
      wire.put("playerId", e.playerId());
      wire.put("name", e.name());
    } else if (event instanceof GameEvent.PlayerLeft e) {
      wire.put("kind", "player_left");
      wire.put("seat", e.seat());
    } else if (event instanceof GameEvent.GameStarted) {
      wire.put("kind", "game_started");
    } else if (event instanceof GameEvent.Moved e) {
      wire.put("kind", "moved");
      wire.put("seat", e.seat());
      wire.put("move", e.move());
    } else if (event instanceof GameEvent.GameOver e) {
      wire.put("kind", "game_over");
      wire.put("result", e.result());
    } else if (event instanceof GameEvent.GameAborted e) {
      wire.put("kind", "game_aborted");
      wire.put("reason", e.reason());
    }
    return wire;
  }
}
