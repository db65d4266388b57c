package arena.gateway.ws;

import arena.gateway.protocol.Json;
import arena.gateway.protocol.ServerFrame;
import arena.gateway.protocol.Wire;
import arena.session.GameSession;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The text of event frames, written once per event on a node rather than once per subscriber. A
 * session sends the same {@link GameSession.Applied} instance to every subscriber on its node (and
 * a remote node's copy reaches its subscribers through one deserialized instance per message), so
 * the text is remembered by identity in a small lock-free table: the players and spectators of a
 * game, served one after the other, find it there. A slot overwritten meanwhile only costs writing
 * the frame again.
 */
final class EventFrames {

  /** Recent events remembered; a power of two. */
  private static final int SLOTS = 512;

  private record Written(GameSession.Applied applied, String text) {}

  private final AtomicReferenceArray<Written> slots = new AtomicReferenceArray<>(SLOTS);

  /** The frame of {@code applied}, as the wire shows it (ARENA-SPEC §4 {@code event}). */
  String text(GameSession.Applied applied) {
    int slot = System.identityHashCode(applied) & (SLOTS - 1);
    Written written = slots.get(slot);
    if (written != null && written.applied() == applied) {
      return written.text();
    }
    String text = Json.frame(new ServerFrame.Event(applied.gameId(), applied.seq(), Wire.event(applied.event()),
        Wire.state(applied.state())));
    slots.set(slot, new Written(applied, text));
    return text;
  }
}
