package arena.persistence.directory;

import arena.session.GameDirectory;
import arena.session.GameView;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.pekko.Done;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The game directory in the database (tables {@code game_directory} and
 * {@code game_directory_player}, V4 migrations), and the three lists read from it.
 *
 * <p>Writes come from sessions, on lifecycle events only, and are stored in batches: each writer
 * takes every entry waiting (up to {@value #WRITE_BATCH}) into one transaction. One game's writes may overlap, so a row
 * is replaced only by an entry with a higher {@code seq}; the seated players are replaced in the
 * same transaction. A write that fails (or finds the writers' queue full) is tried again with
 * backoff; the session's answer waits at most {@code answer-wait} for the first attempt. Sessions
 * that recover (a node start restarts thousands) are checked in batches, one query per
 * {@value #RECOVERED_BATCH}, and only entries missing or older than the session's are written.
 *
 * <p>Reads run on their own small executor with a bounded queue, each on a connection of the given
 * (read) pool: a flood of list requests is refused ({@link Busy}) instead of queued without end.
 * Blocking JDBC never runs on the caller's thread.
 */
public final class JdbcGameDirectory implements GameDirectory, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(JdbcGameDirectory.class);
  private static final String COLUMNS =
      "d.game_id, d.game, d.status, d.visibility, d.players, d.turn_seconds, d.created_at, d.started_at, d.result";

  /** One game as the lists show it. {@code startedAt} is null until it started, {@code result} until it ended. */
  public record Entry(String gameId, String game, String status, String visibility, List<GameView.Seat> players,
      int turnSeconds, Instant createdAt, Instant startedAt, GameView.Result result) {}

  /** The list queries are all busy and their queue is full: retry later. */
  public static final class Busy extends RuntimeException {
    Busy() {
      super("the game lists are busy; retry");
    }
  }

  /** Recovered games checked with one query. */
  static final int RECOVERED_BATCH = 500;
  /** How often recovered games are checked. */
  private static final long RECOVERED_EVERY_MS = 100;

  private final DataSource pool;
  private final ConcurrentLinkedQueue<GameView> recovered = new ConcurrentLinkedQueue<>();
  private final AtomicInteger recoveredPending = new AtomicInteger();
  private final AtomicInteger recoveredDropped = new AtomicInteger();
  private final DirectorySettings settings;
  private final ThreadPoolExecutor readers;
  /** Entries waiting for a writer; bounded by {@code write-queue}. */
  private final LinkedBlockingQueue<Pending> pending;
  private final List<Thread> writers;
  private final ScheduledExecutorService retries;
  private final int queryTimeoutSeconds;
  private final DirectoryRows rows;

  public JdbcGameDirectory(DataSource pool, DirectorySettings settings) {
    this.pool = Objects.requireNonNull(pool, "pool");
    this.settings = settings;
    this.readers = executor("arena-directory-read", settings.readThreads(), settings.readQueue());
    this.pending = new LinkedBlockingQueue<>(settings.writeQueue());
    ThreadFactory writerThreads = daemons("arena-directory-write");
    this.writers = new ArrayList<>(settings.writeThreads());
    for (int i = 0; i < settings.writeThreads(); i++) {
      Thread writer = writerThreads.newThread(this::writeLoop);
      writers.add(writer);
      writer.start();
    }
    this.retries = Executors.newSingleThreadScheduledExecutor(daemons("arena-directory-retry"));
    this.queryTimeoutSeconds = (int) Math.max(1, settings.queryTimeout().toSeconds());
    this.rows = new DirectoryRows(pool, queryTimeoutSeconds);
    retries.scheduleWithFixedDelay(this::checkRecovered, RECOVERED_EVERY_MS, RECOVERED_EVERY_MS, TimeUnit.MILLISECONDS);
  }

  private static ThreadPoolExecutor executor(String name, int threads, int queue) {
    return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue),
        daemons(name), new ThreadPoolExecutor.AbortPolicy());
  }

  private static ThreadFactory daemons(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  // ---- writes ----

  @Override
  public CompletionStage<Done> record(GameView game, Instant startedAt) {
    CompletableFuture<Done> answered = new CompletableFuture<>();
    attempt(game, startedAt, 1, answered);
    return answered.completeOnTimeout(Done.getInstance(), settings.answerWait().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** An entry waiting for a writer. */
  private record Pending(GameView game, Instant startedAt, int attempt, CompletableFuture<Done> answered) {}

  /** Most entries one writer stores in one transaction. */
  static final int WRITE_BATCH = 200;

  private void attempt(GameView game, Instant startedAt, int attempt, CompletableFuture<Done> answered) {
    if (!pending.offer(new Pending(game, startedAt, attempt, answered))) {
      retry(game, startedAt, attempt, answered, new RejectedExecutionException("the directory's write queue is full"));
    }
  }

  /**
   * A writer: takes what waits (up to {@link #WRITE_BATCH} entries, the newest of each game) and
   * stores it in one transaction, so that a burst of lifecycle changes costs a few round trips, not
   * a transaction each. If the batch fails, each entry is stored on its own, so that one bad entry
   * fails alone and is retried alone.
   */
  private void writeLoop() {
    List<Pending> taken = new ArrayList<>(WRITE_BATCH);
    while (!Thread.currentThread().isInterrupted()) {
      try {
        taken.add(pending.take());
      } catch (InterruptedException e) {
        return;
      }
      pending.drainTo(taken, WRITE_BATCH - 1);
      Map<String, Pending> newest = new java.util.TreeMap<>(); // one lock order for every writer
      for (Pending p : taken) {
        newest.merge(p.game().gameId(), p, (a, b) -> a.game().seq() >= b.game().seq()
            ? withStart(a, b.startedAt()) : withStart(b, a.startedAt()));
      }
      try {
        rows.storeAll(newest.values().stream().map(p -> new DirectoryRows.Write(p.game(), p.startedAt())).toList());
        taken.forEach(p -> p.answered().complete(Done.getInstance()));
      } catch (SQLException | RuntimeException batchFailed) {
        for (Pending p : newest.values()) {
          try {
            rows.store(p.game(), p.startedAt());
          } catch (SQLException | RuntimeException e) {
            retry(p.game(), p.startedAt(), p.attempt(), p.answered(), e);
          }
        }
        taken.forEach(p -> p.answered().complete(Done.getInstance())); // no-op for those retried
      }
      taken.clear();
    }
  }

  /** {@code p}, keeping a start instant that a merged older entry knew. */
  private static Pending withStart(Pending p, Instant startedAt) {
    return p.startedAt() != null || startedAt == null ? p
        : new Pending(p.game(), startedAt, p.attempt(), p.answered());
  }

  private void retry(GameView game, Instant startedAt, int attempt, CompletableFuture<Done> answered, Exception e) {
    answered.completeExceptionally(e); // the answer does not wait for retries
    if (attempt >= settings.writeAttempts() || retries.isShutdown()) {
      log.error("game {}: its directory entry (seq {}) could not be stored after {} attempts; the lists show "
          + "it again after its next change or recovery", game.gameId(), game.seq(), attempt, e);
      return;
    }
    long backoff = Math.min(settings.retryMaxBackoff().toMillis(),
        settings.retryMinBackoff().toMillis() << Math.min(attempt - 1, 20));
    log.warn("game {}: storing its directory entry (seq {}) failed, attempt {} ({}); retrying in {} ms",
        game.gameId(), game.seq(), attempt, e.toString(), backoff);
    try {
      retries.schedule(() -> attempt(game, startedAt, attempt + 1, answered), backoff, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      // shutting down
    }
  }

  @Override
  public void recovered(GameView game) {
    if (recoveredPending.incrementAndGet() > settings.writeQueue()) {
      recoveredPending.decrementAndGet();
      if (recoveredDropped.incrementAndGet() % 1000 == 1) {
        log.warn("game {} recovered while {} others wait to be checked against the directory; it is not checked "
            + "(its entry is written at its next change); {} so far", game.gameId(), settings.writeQueue(),
            recoveredDropped.get());
      }
      return;
    }
    recovered.add(game);
  }

  /** Writes the recovered games whose entry is missing or older, a batch at a time. */
  private void checkRecovered() {
    while (!recovered.isEmpty()) {
      Map<String, GameView> batch = new HashMap<>();
      for (GameView game; batch.size() < RECOVERED_BATCH && (game = recovered.poll()) != null; ) {
        recoveredPending.decrementAndGet();
        batch.merge(game.gameId(), game, (a, b) -> a.seq() >= b.seq() ? a : b);
      }
      Map<String, Long> stored;
      try {
        stored = rows.storedSeqs(batch.keySet());
      } catch (SQLException | RuntimeException e) {
        log.warn("checking {} recovered games against the directory failed ({}); writing each", batch.size(), e.toString());
        stored = Map.of();
      }
      for (GameView game : batch.values()) {
        Long seq = stored.get(game.gameId());
        if (seq == null || seq < game.seq()) {
          attempt(game, null, 1, new CompletableFuture<>());
        }
      }
    }
  }


  // ---- reads ----

  /** Public games waiting for players, newest first; of one game type or all ({@code game} null). */
  public CompletionStage<List<Entry>> open(String game, int limit) {
    return publicGames("waiting", "d.created_at", game, limit);
  }

  /** Public games being played, most recently started first. */
  public CompletionStage<List<Entry>> active(String game, int limit) {
    return publicGames("active", "d.started_at", game, limit);
  }

  private CompletionStage<List<Entry>> publicGames(String status, String order, String game, int limit) {
    String sql = "SELECT " + COLUMNS + " FROM game_directory d WHERE d.status = ? AND d.visibility = 'public'"
        + (game == null ? "" : " AND d.game = ?") + " ORDER BY " + order + " DESC, d.game_id LIMIT ?";
    return read(c -> {
      try (PreparedStatement s = c.prepareStatement(sql)) {
        int i = 1;
        s.setString(i++, status);
        if (game != null) {
          s.setString(i++, game);
        }
        s.setInt(i, limit);
        return rows.entries(s);
      }
    });
  }

  /** The games {@code playerId} is seated in, private ones too, newest first; of one status or all. */
  public CompletionStage<List<Entry>> ofPlayer(String playerId, String status, int limit) {
    String sql = "SELECT " + COLUMNS + " FROM game_directory_player p JOIN game_directory d ON d.game_id = p.game_id"
        + " WHERE p.player_id = ?" + (status == null ? "" : " AND d.status = ?")
        + " ORDER BY d.created_at DESC, d.game_id LIMIT ?";
    return read(c -> {
      try (PreparedStatement s = c.prepareStatement(sql)) {
        int i = 1;
        s.setString(i++, playerId);
        if (status != null) {
          s.setString(i++, status);
        }
        s.setInt(i, limit);
        return rows.entries(s);
      }
    });
  }

  /** How many games {@code playerId} is seated in that are waiting or active. */
  public CompletionStage<Integer> liveGamesOf(String playerId) {
    return read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM game_directory_player p "
          + "JOIN game_directory d ON d.game_id = p.game_id WHERE p.player_id = ? AND d.status IN ('waiting', 'active')")) {
        s.setString(1, playerId);
        s.setQueryTimeout(queryTimeoutSeconds);
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    });
  }


  private interface Query<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> CompletionStage<T> read(Query<T> query) {
    try {
      return CompletableFuture.supplyAsync(() -> {
        try (Connection c = pool.getConnection()) {
          return query.run(c);
        } catch (SQLException e) {
          throw new CompletionException(e);
        }
      }, readers);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new Busy());
    }
  }

  @Override
  public void close() {
    readers.shutdown();
    writers.forEach(Thread::interrupt);
    retries.shutdownNow();
  }

}
