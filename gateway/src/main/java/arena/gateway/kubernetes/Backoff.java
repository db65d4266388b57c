package arena.gateway.kubernetes;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded, jittered exponential backoff for calls to the Kubernetes API: attempt 1 is the first
 * call, attempt {@code n} waits {@code min-backoff * 2^(n-2)} (at most {@code max-backoff}) plus up
 * to {@code random-factor} of that, so that the pods of one rollout do not retry in step.
 */
public record Backoff(Duration minBackoff, Duration maxBackoff, double randomFactor, int maxAttempts) {

  public Backoff {
    if (minBackoff.isNegative() || minBackoff.isZero() || maxBackoff.compareTo(minBackoff) < 0) {
      throw new IllegalArgumentException("min-backoff must be > 0 and <= max-backoff");
    }
    if (randomFactor < 0 || randomFactor > 1) {
      throw new IllegalArgumentException("random-factor must be within 0..1, was " + randomFactor);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("max-attempts must be >= 1, was " + maxAttempts);
    }
  }

  /** Reads {@code min-backoff}, {@code max-backoff}, {@code random-factor}, {@code max-attempts} under {@code path}. */
  static Backoff fromConfig(Config config, String path) {
    try {
      Config c = config.getConfig(path);
      return new Backoff(c.getDuration("min-backoff"), c.getDuration("max-backoff"),
          c.getDouble("random-factor"), c.getInt("max-attempts"));
    } catch (ConfigException | IllegalArgumentException e) {
      throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
    }
  }

  /** The wait before attempt {@code failedAttempts + 1}, with fresh jitter. */
  Duration delayAfter(int failedAttempts) {
    return delayAfter(failedAttempts, ThreadLocalRandom.current().nextDouble());
  }

  /** The wait before attempt {@code failedAttempts + 1} for a given draw {@code random} in [0, 1). */
  Duration delayAfter(int failedAttempts, double random) {
    int doublings = Math.min(Math.max(failedAttempts - 1, 0), 30);
    long base = Math.min(maxBackoff.toMillis(), minBackoff.toMillis() << doublings);
    if (base <= 0) {
      base = maxBackoff.toMillis();
    }
    return Duration.ofMillis(base + (long) (base * randomFactor * random));
  }
}
