package arena.persistence.leaderboard;

import arena.session.GameSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * How far the leaderboard projection is behind the journal: the {@code game-over} events stored
 * after the projection's offset, and when the oldest of them was stored. A healthy projection
 * counts a game within a second or two; a growing age means it is stopped, failing or slow.
 */
public final class LeaderboardLag {

  /** {@code oldest} is null when nothing waits. */
  public record Lag(long games, Instant oldest) {}

  private static final String SQL = """
      SELECT count(*), min(j.write_timestamp)
      FROM event_tag t JOIN event_journal j ON j.ordering = t.event_id
      WHERE t.tag = ? AND t.event_id > COALESCE((
        SELECT CAST(o.current_offset AS BIGINT) FROM pekko_projection_offset_store o
        WHERE o.projection_name = ? AND o.projection_key = ?), 0)""";

  private LeaderboardLag() {}

  /** One query: an index range scan from the projection's offset on. */
  public static Lag read(DataSource pool) throws SQLException {
    try (Connection connection = pool.getConnection();
        PreparedStatement query = connection.prepareStatement(SQL)) {
      query.setString(1, GameSession.GAME_OVER_TAG);
      query.setString(2, Leaderboard.NAME);
      query.setString(3, GameSession.GAME_OVER_TAG);
      try (ResultSet row = query.executeQuery()) {
        row.next();
        long games = row.getLong(1);
        long oldest = row.getLong(2);
        return new Lag(games, row.wasNull() ? null : Instant.ofEpochMilli(oldest));
      }
    }
  }
}
