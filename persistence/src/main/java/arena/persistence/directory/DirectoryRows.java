package arena.persistence.directory;

import arena.session.GameView;
import arena.session.Status;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The SQL of the game directory's rows: storing one game's entry (only over an older one, seats
 * with it, in one transaction), reading stored seqs, and turning selected rows into entries. Plain
 * blocking JDBC; {@link JdbcGameDirectory} decides on which threads it runs.
 */
final class DirectoryRows {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<GameView.Seat>> SEATS = new TypeReference<>() {};

  private final DataSource pool;
  private final int queryTimeoutSeconds;

  DirectoryRows(DataSource pool, int queryTimeoutSeconds) {
    this.pool = pool;
    this.queryTimeoutSeconds = queryTimeoutSeconds;
  }

  /** Stores {@code game} unless the row holds a newer entry; the seats with it. */
  void store(GameView game, Instant startedAt) throws SQLException {
    Instant started = new Write(game, startedAt).started();
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        for (int tries = 1; ; tries++) {
          try {
            if (update(c, game, started) == 0) {
              if (exists(c, game.gameId())) {
                c.rollback();
                return; // the row holds this entry or a newer one
              }
              insert(c, game, started);
            }
            replacePlayers(c, game);
            c.commit();
            return;
          } catch (SQLException e) {
            c.rollback();
            if (!isDuplicate(e) || tries >= 3) {
              throw e;
            }
            // another write of this game inserted it meanwhile: compare seqs again
          }
        }
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  /** One entry to store, with the instant its game started when the change started it. */
  record Write(GameView game, Instant startedAt) {
    Instant started() {
      return startedAt != null ? startedAt
          : game.status() == Status.ACTIVE ? game.updatedAt() : null; // a game of the previous release
    }
  }

  /**
   * Stores {@code writes} (one per game, ordered by game id) in one transaction: each only over an
   * older entry or where there is none, the seats with it. Fails as a whole; the caller then
   * stores each on its own ({@link #store}), which also settles a race with another node's insert.
   */
  void storeAll(List<Write> writes) throws SQLException {
    if (writes.isEmpty()) {
      return;
    }
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        List<Write> stored = new ArrayList<>(writes.size());
        List<Write> notUpdated = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(UPDATE)) {
          s.setQueryTimeout(queryTimeoutSeconds);
          for (Write w : writes) {
            bindUpdate(s, w.game(), w.started());
            s.addBatch();
          }
          int[] counts = s.executeBatch();
          for (int i = 0; i < writes.size(); i++) {
            (counts[i] > 0 ? stored : notUpdated).add(writes.get(i));
          }
        }
        if (!notUpdated.isEmpty()) {
          java.util.Set<String> present = storedSeqs(c, notUpdated.stream().map(w -> w.game().gameId()).toList()).keySet();
          List<Write> fresh = notUpdated.stream().filter(w -> !present.contains(w.game().gameId())).toList();
          if (!fresh.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement(INSERT)) {
              s.setQueryTimeout(queryTimeoutSeconds);
              for (Write w : fresh) {
                bindInsert(s, w.game(), w.started());
                s.addBatch();
              }
              s.executeBatch();
            }
            stored.addAll(fresh);
          }
        }
        if (!stored.isEmpty()) {
          try (PreparedStatement s = c.prepareStatement("DELETE FROM game_directory_player WHERE game_id = ?")) {
            s.setQueryTimeout(queryTimeoutSeconds);
            for (Write w : stored) {
              s.setString(1, w.game().gameId());
              s.addBatch();
            }
            s.executeBatch();
          }
          try (PreparedStatement s = c.prepareStatement(
              "INSERT INTO game_directory_player (player_id, game_id) VALUES (?, ?)")) {
            s.setQueryTimeout(queryTimeoutSeconds);
            int seats = 0;
            for (Write w : stored) {
              for (String playerId : w.game().players().stream().map(GameView.Seat::playerId).distinct().toList()) {
                s.setString(1, playerId);
                s.setString(2, w.game().gameId());
                s.addBatch();
                seats++;
              }
            }
            if (seats > 0) {
              s.executeBatch();
            }
          }
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  private static final String UPDATE = "UPDATE game_directory SET seq = ?, status = ?, players = ?, "
      + "result = ?, started_at = COALESCE(started_at, ?), updated_at = ? WHERE game_id = ? AND seq < ?";

  private static final String INSERT = "INSERT INTO game_directory (game_id, seq, game, visibility, "
      + "status, turn_seconds, players, result, created_at, started_at, updated_at) "
      + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private static void bindUpdate(PreparedStatement s, GameView game, Instant started) throws SQLException {
    s.setLong(1, game.seq());
    s.setString(2, game.status().wireName());
    s.setString(3, json(game.players()));
    s.setString(4, game.result() == null ? null : json(game.result()));
    s.setObject(5, utc(started));
    s.setObject(6, utc(game.updatedAt()));
    s.setString(7, game.gameId());
    s.setLong(8, game.seq());
  }

  private static void bindInsert(PreparedStatement s, GameView game, Instant started) throws SQLException {
    s.setString(1, game.gameId());
    s.setLong(2, game.seq());
    s.setString(3, game.game());
    s.setString(4, game.visibility().wireName());
    s.setString(5, game.status().wireName());
    s.setInt(6, game.turnSeconds());
    s.setString(7, json(game.players()));
    s.setString(8, game.result() == null ? null : json(game.result()));
    s.setObject(9, utc(game.createdAt()));
    s.setObject(10, utc(started));
    s.setObject(11, utc(game.updatedAt()));
  }

  private int update(Connection c, GameView game, Instant started) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(UPDATE)) {
      s.setQueryTimeout(queryTimeoutSeconds);
      bindUpdate(s, game, started);
      return s.executeUpdate();
    }
  }

  private boolean exists(Connection c, String gameId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM game_directory WHERE game_id = ?")) {
      s.setQueryTimeout(queryTimeoutSeconds);
      s.setString(1, gameId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  private void insert(Connection c, GameView game, Instant started) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(INSERT)) {
      s.setQueryTimeout(queryTimeoutSeconds);
      bindInsert(s, game, started);
      s.executeUpdate();
    }
  }

  private void replacePlayers(Connection c, GameView game) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("DELETE FROM game_directory_player WHERE game_id = ?")) {
      s.setQueryTimeout(queryTimeoutSeconds);
      s.setString(1, game.gameId());
      s.executeUpdate();
    }
    if (game.players().isEmpty()) {
      return;
    }
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO game_directory_player (player_id, game_id) VALUES (?, ?)")) {
      s.setQueryTimeout(queryTimeoutSeconds);
      for (String playerId : game.players().stream().map(GameView.Seat::playerId).distinct().toList()) {
        s.setString(1, playerId);
        s.setString(2, game.gameId());
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  private static boolean isDuplicate(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /** The stored seq of each of {@code gameIds} that has a row. */
  Map<String, Long> storedSeqs(java.util.Set<String> gameIds) throws SQLException {
    try (Connection c = pool.getConnection()) {
      return storedSeqs(c, gameIds);
    }
  }

  private Map<String, Long> storedSeqs(Connection c, java.util.Collection<String> gameIds) throws SQLException {
    String marks = String.join(", ", java.util.Collections.nCopies(gameIds.size(), "?"));
    Map<String, Long> seqs = new HashMap<>();
    try (PreparedStatement s = c.prepareStatement(
        "SELECT game_id, seq FROM game_directory WHERE game_id IN (" + marks + ")")) {
      s.setQueryTimeout(queryTimeoutSeconds);
      int i = 1;
      for (String gameId : gameIds) {
        s.setString(i++, gameId);
      }
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          seqs.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return seqs;
  }

  /** The rows {@code s} selects ({@code COLUMNS}, in their order) as entries. */
  List<JdbcGameDirectory.Entry> entries(PreparedStatement s) throws SQLException {
    s.setQueryTimeout(queryTimeoutSeconds);
    List<JdbcGameDirectory.Entry> entries = new ArrayList<>();
    try (ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        String result = rs.getString(9);
        entries.add(new JdbcGameDirectory.Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            parse(rs.getString(5), SEATS), rs.getInt(6), instant(rs.getObject(7, OffsetDateTime.class)),
            instant(rs.getObject(8, OffsetDateTime.class)),
            result == null ? null : parse(result, new TypeReference<GameView.Result>() {})));
      }
    }
    return entries;
  }


  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a directory entry", e);
    }
  }

  private static <T> T parse(String text, TypeReference<T> type) {
    try {
      return JSON.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable directory entry: " + e.getOriginalMessage(), e);
    }
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }
}
