package arena.persistence.wakeup;

import arena.persistence.Database;
import arena.session.Wakeups;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.apache.pekko.Done;

/**
 * The wake-up schedule in the database, table {@code session_wakeup} (V3 migrations): one row per
 * game that left memory while live, with the time it must be running again. Blocking JDBC runs on
 * the given executor, never on the caller's thread.
 */
public final class JdbcWakeups implements Wakeups {

  /** One game due to be woken. */
  public record Due(String gameId, Instant wakeAt) {}

  /** How many games wait out of memory, and the earliest wake-up among them (null if none). */
  public record Backlog(long games, Instant earliest) {}

  private final DataSource pool;
  private final Executor executor;
  private final String upsert;

  public JdbcWakeups(DataSource pool, Executor executor, Database.Kind kind) {
    this.pool = Objects.requireNonNull(pool, "pool");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.upsert = kind == Database.Kind.H2
        ? "MERGE INTO session_wakeup (game_id, wake_at) KEY (game_id) VALUES (?, ?)"
        : "INSERT INTO session_wakeup (game_id, wake_at) VALUES (?, ?) "
            + "ON CONFLICT (game_id) DO UPDATE SET wake_at = EXCLUDED.wake_at";
  }

  @Override
  public CompletionStage<Done> schedule(String gameId, Instant at) {
    return run(() -> {
      try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(upsert)) {
        s.setString(1, gameId);
        s.setObject(2, utc(at));
        s.executeUpdate();
      }
      return Done.getInstance();
    });
  }

  /** At most {@code limit} games due by {@code by}, earliest first. */
  public CompletionStage<List<Due>> due(Instant by, int limit) {
    return run(() -> {
      try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(
          "SELECT game_id, wake_at FROM session_wakeup WHERE wake_at <= ? ORDER BY wake_at LIMIT ?")) {
        s.setObject(1, utc(by));
        s.setInt(2, limit);
        try (ResultSet rs = s.executeQuery()) {
          List<Due> due = new ArrayList<>();
          while (rs.next()) {
            due.add(new Due(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant()));
          }
          return due;
        }
      }
    });
  }

  /** The whole schedule at a glance, for operators' metrics. */
  public CompletionStage<Backlog> backlog() {
    return run(() -> {
      try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(
          "SELECT count(*), min(wake_at) FROM session_wakeup");
           ResultSet rs = s.executeQuery()) {
        rs.next();
        OffsetDateTime earliest = rs.getObject(2, OffsetDateTime.class);
        return new Backlog(rs.getLong(1), earliest == null ? null : earliest.toInstant());
      }
    });
  }

  /**
   * Removes the row of a game that was woken, unless the game stored a new time meanwhile (then
   * that row stays for its own wake-up).
   */
  public CompletionStage<Done> woken(Due due) {
    return run(() -> {
      try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(
          "DELETE FROM session_wakeup WHERE game_id = ? AND wake_at = ?")) {
        s.setString(1, due.gameId());
        s.setObject(2, utc(due.wakeAt()));
        s.executeUpdate();
      }
      return Done.getInstance();
    });
  }

  private interface Sql<T> {
    T run() throws SQLException;
  }

  private <T> CompletionStage<T> run(Sql<T> sql) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return sql.run();
      } catch (SQLException e) {
        throw new CompletionException(e);
      }
    }, executor);
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
