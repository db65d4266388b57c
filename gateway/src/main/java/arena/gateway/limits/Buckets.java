package arena.gateway.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * One token bucket per key (a player id, a client address), in a bounded cache: at most
 * {@code maxKeys} buckets, each forgotten once idle for longer than it takes to refill (a forgotten
 * bucket comes back full, which is what it would be by then anyway). So the memory the limits take
 * is bounded however many addresses a flood comes from.
 */
final class Buckets {

  private final Rate rate;
  private final Cache<String, TokenBucket> buckets;

  Buckets(Rate rate, int maxKeys, Duration idle) {
    this.rate = rate;
    this.buckets = Caffeine.newBuilder()
        .maximumSize(maxKeys)
        .expireAfterAccess(Duration.ofNanos(Math.max(idle.toNanos(), rate.refillNanos())))
        .build();
  }

  /** Takes a token of {@code key}'s bucket: 0, or the nanoseconds until one is there. */
  long tryTake(String key, long nowNanos) {
    return buckets.get(key, k -> new TokenBucket(rate.perSecond(), rate.burst(), nowNanos)).tryTake(nowNanos);
  }

  long size() {
    buckets.cleanUp();
    return buckets.estimatedSize();
  }
}
