package arena.lobby;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of the quickmatch queue, read from {@code arena.matchmaker} (see {@code reference.conf}).
 *
 * @param maxQueuedPerGame players waiting per game type; beyond it an enqueue is refused with
 *     {@code unavailable}
 * @param maxPendingMatches matches whose game is being set up at once; further pairs wait queued
 * @param askTimeout how long one step of a game's set-up waits for the session
 * @param retryMinBackoff the first delay before a failed set-up is tried again
 * @param retryMaxBackoff the longest delay between set-up attempts
 * @param snapshotEvery a snapshot every this many events (older events are deleted)
 */
public record MatchmakerSettings(int maxQueuedPerGame, int maxPendingMatches, Duration askTimeout,
    Duration retryMinBackoff, Duration retryMaxBackoff, int snapshotEvery) {

  public MatchmakerSettings {
    requireAtLeastOne(maxQueuedPerGame, "arena.matchmaker.max-queued-per-game");
    requireAtLeastOne(maxPendingMatches, "arena.matchmaker.max-pending-matches");
    requireAtLeastOne(snapshotEvery, "arena.matchmaker.snapshot-every");
    requirePositive(askTimeout, "arena.matchmaker.ask-timeout");
    requirePositive(retryMinBackoff, "arena.matchmaker.retry-min-backoff");
    requirePositive(retryMaxBackoff, "arena.matchmaker.retry-max-backoff");
    if (retryMaxBackoff.compareTo(retryMinBackoff) < 0) {
      throw new IllegalArgumentException(
          "arena.matchmaker.retry-max-backoff must not be shorter than arena.matchmaker.retry-min-backoff");
    }
  }

  public static MatchmakerSettings fromConfig(Config root) {
    Config c = root.getConfig("arena.matchmaker");
    return new MatchmakerSettings(c.getInt("max-queued-per-game"), c.getInt("max-pending-matches"),
        c.getDuration("ask-timeout"), c.getDuration("retry-min-backoff"),
        c.getDuration("retry-max-backoff"), c.getInt("snapshot-every"));
  }

  /** The delay before set-up attempt {@code attempt + 1}: doubling from the minimum, capped. */
  Duration backoff(int attempt) {
    Duration delay = retryMinBackoff.multipliedBy(1L << Math.min(Math.max(attempt - 1, 0), 20));
    return delay.compareTo(retryMaxBackoff) > 0 ? retryMaxBackoff : delay;
  }

  private static void requireAtLeastOne(int value, String key) {
    if (value < 1) {
      throw new IllegalArgumentException(key + " must be at least 1, was " + value);
    }
  }

  private static void requirePositive(Duration d, String key) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(key + " must be a positive duration, was " + d);
    }
  }
}
