package arena.gateway.ops;

import arena.persistence.Database;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Whether the database answers, checked in the background on a connection and a thread of its
 * own: {@code /ready} reads the last result and never waits behind players' queries, however many
 * of them hold the read pools. A result older than {@code staleAfter} counts as "not answering",
 * so a probe stuck on a dead database turns readiness off too.
 */
public final class DatabaseProbe implements AutoCloseable {

  private final DataSource connection;
  private final ScheduledExecutorService thread;
  private final long staleAfterNanos;
  private final int timeoutSeconds;
  private volatile long lastAnswerNanos;
  private volatile boolean answered;

  /**
   * @param connection a pool of one connection used by nothing else
   * @param every how often to check
   * @param staleAfter how long a good answer counts
   */
  public DatabaseProbe(DataSource connection, Duration every, Duration staleAfter) {
    this.connection = connection;
    this.staleAfterNanos = staleAfter.toNanos();
    this.timeoutSeconds = (int) Math.max(1, every.toSeconds());
    this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread t = new Thread(runnable, "arena-database-probe");
      t.setDaemon(true);
      return t;
    });
    thread.scheduleWithFixedDelay(this::check, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void check() {
    if (Database.answers(connection, timeoutSeconds)) {
      lastAnswerNanos = System.nanoTime();
      answered = true;
    }
  }

  /** The database answered the probe within the last {@code staleAfter}. */
  public boolean answers() {
    return answered && System.nanoTime() - lastAnswerNanos <= staleAfterNanos;
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
