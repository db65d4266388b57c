package arena.gateway.ws;

import java.util.ArrayDeque;

/**
 * A connection's frame budget: a token bucket (a rate with bursts), and a count of the frames it
 * refused in a sliding window, which tells abuse from a burst. Not thread-safe: one per
 * connection actor.
 */
final class RateLimiter {

  private final double perNano;
  private final double burst;
  private final int abuseFrames;
  private final long abuseWindowNanos;
  private final ArrayDeque<Long> refused = new ArrayDeque<>();
  private double tokens;
  private long last;

  RateLimiter(WsSettings settings, long nowNanos) {
    this.perNano = settings.framesPerSecond() / 1e9;
    this.burst = settings.burst();
    this.abuseFrames = settings.abuseFrames();
    this.abuseWindowNanos = settings.abuseWindow().toNanos();
    this.tokens = burst;
    this.last = nowNanos;
  }

  /** Whether a frame arriving now may be acted on; takes a token when it may. */
  boolean tryAcquire(long nowNanos) {
    tokens = Math.min(burst, tokens + (nowNanos - last) * perNano);
    last = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    refused.addLast(nowNanos);
    return false;
  }

  /** More refused frames than allowed within the window: the client is abusing the connection. */
  boolean isAbusive(long nowNanos) {
    while (!refused.isEmpty() && nowNanos - refused.peekFirst() > abuseWindowNanos) {
      refused.removeFirst();
    }
    return refused.size() > abuseFrames;
  }
}
