package arena.persistence.leaderboard;

import arena.persistence.Database;
import arena.session.GameEvent;
import arena.session.GameSession;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.ExactlyOnceProjection;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;

/**
 * Elo ratings and win/loss/draw counts per game type and player (ARENA-SPEC §3), kept by a
 * projection over the journal's {@code game-over} events.
 *
 * <p>The projection runs on exactly one node of the cluster, as a Sharded Daemon Process of one
 * instance that moves when its node leaves. It is exactly-once: each game's rating changes are
 * written in the same transaction as the projection's offset (pekko-projection-jdbc's offset
 * store), so a restart, a crash or a move to another node resumes after the last counted game.
 * As a second line of defence every counted game is recorded by id, and a game already recorded
 * is never counted again, whatever the offset says.
 *
 * <p>Ratings start at 1200 and move by K = 32 per game; a resignation or a timeout is a win like
 * any other, a draw scores one half each. The name shown is the latest one the player played
 * under in that game type.
 */
public final class Leaderboard {

  /** The daemon process's name and the projection's name in the offset store. */
  static final String NAME = "leaderboard";

  /** The pekko-projection-jdbc setting that must match the database (see {@link #start}). */
  static final String DIALECT_KEY = "pekko.projection.jdbc.dialect";

  private Leaderboard() {}

  /** One row of the leaderboard of a game type. */
  public record Entry(String playerId, String name, double rating, int wins, int losses, int draws) {}

  /**
   * Runs the projection somewhere in the cluster; call it once on every node at start-up. The
   * projection writes through {@code pool} (one connection at a time), which the caller owns and
   * closes after the actor system. {@value #DIALECT_KEY} must fit {@code database}:
   * {@code postgres-dialect} or {@code h2-dialect}.
   *
   * @throws IllegalStateException when {@value #DIALECT_KEY} does not fit the database
   */
  public static void start(ActorSystem<?> system, Database database, DataSource pool) {
    Objects.requireNonNull(pool, "pool");
    requireDialect(system, database.kind());
    ShardedDaemonProcess.get(system).init(ProjectionBehavior.Command.class, NAME, 1,
        instance -> ProjectionBehavior.create(projection(system, pool)),
        ShardedDaemonProcessSettings.create(system),
        Optional.of(ProjectionBehavior.stopMessage()));
  }

  /**
   * The best {@code limit} players of {@code game}: highest rating first, then most wins, then
   * player id. Empty for a game type nobody has finished a game of.
   */
  public static List<Entry> top(DataSource pool, String game, int limit) throws SQLException {
    Objects.requireNonNull(game, "game");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    try (Connection connection = pool.getConnection()) {
      return LeaderboardStore.top(connection, game, limit);
    }
  }

  static ExactlyOnceProjection<Offset, EventEnvelope<GameEvent>> projection(ActorSystem<?> system,
      DataSource pool) {
    SourceProvider<Offset, EventEnvelope<GameEvent>> gameOvers = EventSourcedProvider.eventsByTag(
        system, JdbcReadJournal.Identifier(), GameSession.GAME_OVER_TAG);
    return JdbcProjection.exactlyOnce(ProjectionId.of(NAME, GameSession.GAME_OVER_TAG), gameOvers,
        () -> new DataSourceJdbcSession(pool), LeaderboardHandler::new, system);
  }

  /** The pekko-projection-jdbc dialect for a database kind. */
  static String dialectFor(Database.Kind kind) {
    return kind == Database.Kind.H2 ? "h2-dialect" : "postgres-dialect";
  }

  private static void requireDialect(ActorSystem<?> system, Database.Kind kind) {
    String expected = dialectFor(kind);
    String actual = system.settings().config().hasPath(DIALECT_KEY)
        ? system.settings().config().getString(DIALECT_KEY) : "";
    if (!expected.equals(actual)) {
      throw new IllegalStateException(DIALECT_KEY + " must be \"" + expected + "\" on " + kind
          + ", was \"" + actual + "\"");
    }
  }
}
