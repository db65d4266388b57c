package arena.gateway.reads;

import com.typesafe.config.Config;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Players' database queries (leaderboard, event replay): a fixed set of threads, each with a
 * connection of a pool used by nothing else, and a bounded queue. A query that finds the queue
 * full fails at once with {@link Busy} (the API answers 503 {@code unavailable}) instead of
 * waiting without end, so a flood of reads neither grows the heap nor delays the journal, the
 * leaderboard projection, the wake-up sweeps or {@code /ready}.
 */
public final class Queries implements AutoCloseable {

  /** The queue was full: the caller should answer "unavailable, retry". */
  public static final class Busy extends RuntimeException {
    Busy() {
      super("too many queries waiting", null, false, false);
    }
  }

  /** Work on one JDBC pool. */
  public interface Query<T> {
    T run(DataSource pool) throws SQLException;
  }

  /** The {@code arena.gateway.queries} settings. */
  public record Settings(int threads, int queue) {
    public static Settings fromConfig(Config root) {
      Config c = root.getConfig("arena.gateway.queries");
      Settings settings = new Settings(c.getInt("threads"), c.getInt("queue"));
      if (settings.threads < 1 || settings.queue < 1) {
        throw new IllegalArgumentException("arena.gateway.queries.threads and .queue must be at least 1");
      }
      return settings;
    }
  }

  private final DataSource pool;
  private final ThreadPoolExecutor executor;

  public Queries(DataSource pool, Settings settings) {
    this.pool = pool;
    AtomicInteger n = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(settings.threads(), settings.threads(), 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(settings.queue()), runnable -> {
          Thread thread = new Thread(runnable, "arena-query-" + n.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        }, new ThreadPoolExecutor.AbortPolicy());
  }

  /** Runs {@code query} on a query thread; fails with {@link Busy} when too many wait already. */
  public <T> CompletionStage<T> run(Query<T> query) {
    try {
      return CompletableFuture.supplyAsync(() -> {
        try {
          return query.run(pool);
        } catch (SQLException e) {
          throw new CompletionException(e);
        }
      }, executor);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new Busy());
    }
  }

  /** Whether {@code failure} (as a CompletionStage reports it) means "queue full". */
  public static boolean isBusy(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    return cause instanceof Busy;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
