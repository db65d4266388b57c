package arena.gateway.ws;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;

/**
 * Where a connection actor puts the frames of its socket: the bounded queue at the head of the
 * socket's outgoing stream, which runs fused in the socket's own stream (no stream or actor of its
 * own in between: a frame costs one lock-free offer and, when the stream was idle, one wake-up).
 *
 * <p>The queue exists once the socket's stream has started ({@link #attach}); what the actor sends
 * before that waits here and goes first. Only the connection actor sends and closes.
 */
final class Outbox {

  /** What became of a frame. */
  enum Sent {
    /** In the queue. */
    QUEUED,
    /** The queue is full: the client does not read. */
    FULL,
    /** The socket is closing or gone. */
    CLOSED
  }

  private volatile BoundedSourceQueue<String> queue;
  /** Frames sent before the queue existed; guarded by this. */
  private List<String> early = new ArrayList<>();
  private boolean closeEarly;
  private boolean closed;

  /** The socket's stream started with {@code queue}: frames sent so far go first. */
  void attach(BoundedSourceQueue<String> queue) {
    synchronized (this) {
      for (String text : early) {
        queue.offer(text);
      }
      early = null;
      if (closeEarly) {
        queue.complete();
      }
      this.queue = queue;
    }
  }

  /** Queues one frame. */
  Sent text(String json) {
    BoundedSourceQueue<String> q = queue;
    if (q == null) {
      synchronized (this) {
        q = queue;
        if (q == null) {
          if (closeEarly) {
            return Sent.CLOSED;
          }
          early.add(json);
          return Sent.QUEUED;
        }
      }
    }
    QueueOfferResult result = q.offer(json);
    if (result == QueueOfferResult.enqueued()) {
      return Sent.QUEUED;
    }
    return result == QueueOfferResult.dropped() ? Sent.FULL : Sent.CLOSED;
  }

  /** Ends the stream once the frames before it are sent (the socket then closes). */
  void close() {
    BoundedSourceQueue<String> q;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      q = queue;
      if (q == null) {
        closeEarly = true;
        return;
      }
    }
    try {
      q.complete();
    } catch (IllegalStateException alreadyDone) {
      // the stream ended by itself (the client went away)
    }
  }
}
