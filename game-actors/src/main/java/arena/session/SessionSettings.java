package arena.session;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of game sessions, read from {@code arena.session} (see {@code reference.conf}).
 *
 * @param waitingExpiry how long a game may wait for players before it is aborted
 * @param finishedIdle how long a finished game stays in memory before it passivates
 * @param snapshotEvery a snapshot every this many events
 * @param keepSnapshots how many snapshots to keep
 * @param askTimeout how long callers wait for a session's reply
 * @param rebalanceQuietPeriod how long the cluster must be settled before shards are rebalanced
 */
public record SessionSettings(Duration waitingExpiry, Duration finishedIdle, int snapshotEvery,
    int keepSnapshots, Duration askTimeout, Duration rebalanceQuietPeriod) {

  /** Settings with the default rebalance quiet period (tests, benchmarks). */
  public SessionSettings(Duration waitingExpiry, Duration finishedIdle, int snapshotEvery,
      int keepSnapshots, Duration askTimeout) {
    this(waitingExpiry, finishedIdle, snapshotEvery, keepSnapshots, askTimeout, Duration.ofMinutes(2));
  }

  public SessionSettings {
    requirePositive(waitingExpiry, "arena.session.waiting-expiry");
    requirePositive(finishedIdle, "arena.session.finished-idle");
    requirePositive(askTimeout, "arena.session.ask-timeout");
    if (snapshotEvery < 1 || keepSnapshots < 1) {
      throw new IllegalArgumentException("arena.session.snapshot-every and keep-snapshots must be at least 1");
    }
  }

  public static SessionSettings fromConfig(Config root) {
    Config c = root.getConfig("arena.session");
    return new SessionSettings(c.getDuration("waiting-expiry"), c.getDuration("finished-idle"),
        c.getInt("snapshot-every"), c.getInt("keep-snapshots"), c.getDuration("ask-timeout"),
        c.getDuration("rebalance-quiet-period"));
  }

  private static void requirePositive(Duration d, String key) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(key + " must be a positive duration, was " + d);
    }
  }
}
