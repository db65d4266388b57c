package arena.gateway.ws;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The limits of one socket: how many games it may watch, and how many bytes may wait in its
 * outgoing queue. A client that stops reading while its games produce events fills the queue;
 * at the bound it is closed rather than buffered, so that it cannot hold the node's heap.
 *
 * <p>The connection actor reserves bytes before it queues a frame; the outgoing stream gives
 * them back as it takes the frame from the queue towards the network.
 */
final class SocketGuard {

  private final SocketLimits.Slot slot;
  private final int maxWatchedGames;
  private final long maxQueuedBytes;
  private final AtomicLong nodeQueued;
  private final Consumer<String> refused;
  /** What became of a frame offered to the outgoing queue. */
  enum Room {
    /** Queued: send it. */
    QUEUED,
    /** The queue would pass its bound: the client reads too slowly; close it (counted once). */
    OVERFLOW,
    /** The queue overflowed before or the socket is gone: drop it. */
    DROPPED
  }

  /** Guarded by this: the actor reserves, the stream gives back, the actor's stop closes. */
  private long queued;
  private boolean closed;
  private boolean overflowed;
  private volatile Runnable dropQueue = () -> {};

  SocketGuard(SocketLimits.Slot slot, int maxWatchedGames, long maxQueuedBytes, AtomicLong nodeQueued,
      Consumer<String> refused) {
    this.slot = slot;
    this.maxWatchedGames = maxWatchedGames;
    this.maxQueuedBytes = maxQueuedBytes;
    this.nodeQueued = nodeQueued;
    this.refused = refused;
  }

  /** Whether a socket that watches {@code watching} games may watch one more; counts a refusal. */
  boolean mayWatchAnother(int watching) {
    if (watching < maxWatchedGames) {
      return true;
    }
    refused.accept(SocketLimits.WATCHED_GAMES);
    return false;
  }

  int maxWatchedGames() {
    return maxWatchedGames;
  }

  long maxQueuedBytes() {
    return maxQueuedBytes;
  }

  /**
   * Reserves room for a frame of {@code json} in the outgoing queue, unless the queue would pass
   * its bound: then the client does not read fast enough and must be closed. Counts characters,
   * which are bytes for the ASCII that Arena's frames are made of.
   */
  Room reserve(String json) {
    long size = json.length();
    synchronized (this) {
      if (closed || overflowed) {
        return Room.DROPPED;
      }
      if (queued + size <= maxQueuedBytes) {
        queued += size;
        nodeQueued.addAndGet(size);
        return Room.QUEUED;
      }
      overflowed = true;
    }
    refused.accept(SocketLimits.OUTGOING_BYTES);
    return Room.OVERFLOW;
  }

  /** Called once to drop the socket's queue and complete its outgoing stream; set by the socket. */
  void whenAbandoned(Runnable dropQueue) {
    this.dropQueue = dropQueue;
  }

  /** Drops whatever waits in the queue and ends the outgoing stream now (then the socket closes). */
  void abandon() {
    dropQueue.run();
  }

  /** The outgoing stream took a frame of {@code json} from the queue. */
  synchronized void sent(String json) {
    if (!closed) {
      queued -= json.length();
      nodeQueued.addAndGet(-json.length());
    }
  }

  synchronized long queuedBytes() {
    return queued;
  }

  /** The socket is gone: its place is free and whatever it still had queued is dropped. */
  void closed() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      nodeQueued.addAndGet(-queued);
      queued = 0;
    }
    slot.release();
  }
}
