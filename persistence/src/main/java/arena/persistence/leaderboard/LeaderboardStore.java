package arena.persistence.leaderboard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The leaderboard's SQL, the same on PostgreSQL and H2 (tables from the V2 migrations):
 * {@code leaderboard} holds one row per (game type, player), {@code leaderboard_game} one row per
 * game already counted. Every method works inside the caller's transaction.
 */
final class LeaderboardStore {

  private LeaderboardStore() {}

  /** A player's standing in one game type; a player never seen before starts at 1200. */
  record Standing(String playerId, String name, double rating, int wins, int losses, int draws) {

    static Standing newcomer(String playerId, String name) {
      return new Standing(playerId, name, Elo.START, 0, 0, 0);
    }

    /** After one more game that scored {@code score} against {@code opponentRating}. */
    Standing after(double opponentRating, double score, String latestName) {
      return new Standing(playerId, latestName, Elo.next(rating, opponentRating, score),
          wins + (score == Elo.WIN ? 1 : 0),
          losses + (score == Elo.LOSS ? 1 : 0),
          draws + (score == Elo.DRAW ? 1 : 0));
    }
  }

  /**
   * Records that {@code gameId} is counted; false if it already was. The primary key makes this
   * the game's claim: a second writer of the same game (a projection running where it should not,
   * an offset store reset) waits for the first and then fails, and its retry sees the game here.
   */
  static boolean claim(Connection c, String gameId, String game, Instant finishedAt) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM leaderboard_game WHERE game_id = ?")) {
      s.setString(1, gameId);
      try (ResultSet rs = s.executeQuery()) {
        if (rs.next()) {
          return false;
        }
      }
    }
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO leaderboard_game (game_id, game, finished_at) VALUES (?, ?, ?)")) {
      s.setString(1, gameId);
      s.setString(2, game);
      s.setObject(3, utc(finishedAt));
      s.executeUpdate();
    }
    return true;
  }

  /** The player's standing, locked until the transaction ends. */
  static Standing find(Connection c, String game, String playerId, String name) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT name, rating, wins, losses, draws FROM leaderboard WHERE game = ? AND player_id = ? FOR UPDATE")) {
      s.setString(1, game);
      s.setString(2, playerId);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Standing.newcomer(playerId, name);
        }
        return new Standing(playerId, rs.getString(1), rs.getDouble(2), rs.getInt(3), rs.getInt(4), rs.getInt(5));
      }
    }
  }

  /** Writes the standing; {@code at} is when the game that produced it ended. */
  static void save(Connection c, String game, Standing standing, Instant at) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "UPDATE leaderboard SET name = ?, rating = ?, wins = ?, losses = ?, draws = ?, updated_at = ? "
            + "WHERE game = ? AND player_id = ?")) {
      s.setString(1, standing.name());
      s.setDouble(2, standing.rating());
      s.setInt(3, standing.wins());
      s.setInt(4, standing.losses());
      s.setInt(5, standing.draws());
      s.setObject(6, utc(at));
      s.setString(7, game);
      s.setString(8, standing.playerId());
      if (s.executeUpdate() == 1) {
        return;
      }
    }
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO leaderboard (game, player_id, name, rating, wins, losses, draws, updated_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, game);
      s.setString(2, standing.playerId());
      s.setString(3, standing.name());
      s.setDouble(4, standing.rating());
      s.setInt(5, standing.wins());
      s.setInt(6, standing.losses());
      s.setInt(7, standing.draws());
      s.setObject(8, utc(at));
      s.executeUpdate();
    }
  }

  /** Best first: rating, then wins, then player id (code point order), at most {@code limit}. */
  static List<Leaderboard.Entry> top(Connection c, String game, int limit) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT player_id, name, rating, wins, losses, draws FROM leaderboard WHERE game = ? "
            + "ORDER BY rating DESC, wins DESC, player_id LIMIT ?")) {
      s.setString(1, game);
      s.setInt(2, limit);
      try (ResultSet rs = s.executeQuery()) {
        List<Leaderboard.Entry> entries = new ArrayList<>();
        while (rs.next()) {
          entries.add(new Leaderboard.Entry(rs.getString(1), rs.getString(2), rs.getDouble(3),
              rs.getInt(4), rs.getInt(5), rs.getInt(6)));
        }
        return entries;
      }
    }
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
