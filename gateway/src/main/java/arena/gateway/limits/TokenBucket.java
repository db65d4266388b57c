package arena.gateway.limits;

/**
 * A token bucket: {@code burst} tokens, refilled at {@code perSecond}. Thread-safe; one per
 * player or client address.
 */
final class TokenBucket {

  private final double perNano;
  private final double burst;
  private double tokens;
  private long last;

  TokenBucket(double perSecond, double burst, long nowNanos) {
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.last = nowNanos;
  }

  /** Takes a token and answers 0, or answers how many nanoseconds until a token is there. */
  synchronized long tryTake(long nowNanos) {
    tokens = Math.min(burst, tokens + (nowNanos - last) * perNano);
    last = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return (long) Math.ceil((1 - tokens) / perNano);
  }
}
