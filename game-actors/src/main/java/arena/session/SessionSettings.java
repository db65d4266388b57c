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
 * @param liveIdle how long a live game with no event and nobody subscribed stays in memory before
 *     it stores its next deadline in the wake-up schedule and passivates (see {@link Wakeups})
 * @param journals how many instances of the journal plugin games are spread over: the default
 *     journal {@code jdbc-journal} and {@code jdbc-journal-1} ... (defined by the persistence module)
 */
public record SessionSettings(Duration waitingExpiry, Duration finishedIdle, int snapshotEvery,
    int keepSnapshots, Duration askTimeout, Duration rebalanceQuietPeriod, Duration liveIdle,
    int journals) {

  /** Settings with the default rebalance quiet period and live idle time (tests, benchmarks). */
  public SessionSettings(Duration waitingExpiry, Duration finishedIdle, int snapshotEvery,
      int keepSnapshots, Duration askTimeout) {
    this(waitingExpiry, finishedIdle, snapshotEvery, keepSnapshots, askTimeout, Duration.ofMinutes(2),
        Duration.ofMinutes(2), 1);
  }

  public SessionSettings {
    requirePositive(waitingExpiry, "arena.session.waiting-expiry");
    requirePositive(finishedIdle, "arena.session.finished-idle");
    requirePositive(liveIdle, "arena.session.live-idle");
    if (journals < 1) {
      throw new IllegalArgumentException("arena.session.journals must be at least 1, was " + journals);
    }
    requirePositive(askTimeout, "arena.session.ask-timeout");
    if (snapshotEvery < 1 || keepSnapshots < 1) {
      throw new IllegalArgumentException("arena.session.snapshot-every and keep-snapshots must be at least 1");
    }
  }

  public static SessionSettings fromConfig(Config root) {
    Config c = root.getConfig("arena.session");
    return new SessionSettings(c.getDuration("waiting-expiry"), c.getDuration("finished-idle"),
        c.getInt("snapshot-every"), c.getInt("keep-snapshots"), c.getDuration("ask-timeout"),
        c.getDuration("rebalance-quiet-period"), c.getDuration("live-idle"), c.getInt("journals"));
  }

  /** These settings with another {@link #liveIdle()}. */
  public SessionSettings withLiveIdle(Duration idle) {
    return new SessionSettings(waitingExpiry, finishedIdle, snapshotEvery, keepSnapshots, askTimeout,
        rebalanceQuietPeriod, idle, journals);
  }

  /** These settings with another {@link #journals()}. */
  public SessionSettings withJournals(int count) {
    return new SessionSettings(waitingExpiry, finishedIdle, snapshotEvery, keepSnapshots, askTimeout,
        rebalanceQuietPeriod, liveIdle, count);
  }

  private static void requirePositive(Duration d, String key) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(key + " must be a positive duration, was " + d);
    }
  }
}
