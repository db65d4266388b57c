package arena.persistence.history;

import arena.session.GameEvent;
import arena.session.GameSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * A game's stored events, for replay (ARENA-SPEC §3, {@code GET /api/v1/games/{gameId}/events}).
 * Read from the journal through the read journal, so it answers for any game on any node without
 * waking its entity, finished games included.
 */
public final class GameHistory {

  private GameHistory() {}

  /**
   * One stored event.
   *
   * @param seq its sequence number in the game, from 1
   * @param timestamp when the journal stored it
   */
  public record StoredEvent(long seq, GameEvent event, Instant timestamp) {}

  /**
   * Every event of {@code gameId} stored so far, in order; empty when there is no such game. The
   * events are read in one pass and held in memory: a game has at most a few hundred.
   */
  public static CompletionStage<List<StoredEvent>> events(ActorSystem<?> system, String gameId) {
    JdbcReadJournal journal = PersistenceQuery.get(system)
        .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    String persistenceId = PersistenceId.of(GameSession.ENTITY_KEY.name(), gameId).id();
    return journal.currentEventsByPersistenceId(persistenceId, 0, Long.MAX_VALUE)
        .map(envelope -> new StoredEvent(envelope.sequenceNr(), (GameEvent) envelope.event(),
            Instant.ofEpochMilli(envelope.timestamp())))
        .runWith(Sink.seq(), system);
  }

  private static final String PAGE = "SELECT sequence_number, write_timestamp, event_ser_id, event_ser_manifest,"
      + " event_payload FROM event_journal WHERE persistence_id = ? AND sequence_number > ? AND deleted = FALSE"
      + " ORDER BY sequence_number LIMIT ?";
  private static final String ANY = "SELECT 1 FROM event_journal WHERE persistence_id = ? LIMIT 1";

  /**
   * The events of {@code gameId} with seq above {@code afterSeq}, in order, at most {@code limit};
   * empty when there is no such game (a game that exists but has nothing after {@code afterSeq}
   * gives an empty list). Blocking: it reads the journal's table through {@code pool}, so that
   * players' replays never take connections from the journal's writes, and deserializes each
   * event as the journal would.
   */
  public static Optional<List<StoredEvent>> page(ActorSystem<?> system, DataSource pool, String gameId,
      long afterSeq, int limit) throws SQLException {
    String persistenceId = PersistenceId.of(GameSession.ENTITY_KEY.name(), gameId).id();
    Serialization serialization = SerializationExtension.get(system.classicSystem());
    List<StoredEvent> page = new ArrayList<>();
    try (Connection connection = pool.getConnection()) {
      try (PreparedStatement query = connection.prepareStatement(PAGE)) {
        query.setString(1, persistenceId);
        query.setLong(2, afterSeq);
        query.setInt(3, limit);
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            Object event = serialization.deserialize(rows.getBytes(5), rows.getInt(3), rows.getString(4)).get();
            page.add(new StoredEvent(rows.getLong(1), (GameEvent) event, Instant.ofEpochMilli(rows.getLong(2))));
          }
        }
      }
      if (page.isEmpty() && !exists(connection, persistenceId)) {
        return Optional.empty();
      }
    }
    return Optional.of(page);
  }

  private static boolean exists(Connection connection, String persistenceId) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(ANY)) {
      query.setString(1, persistenceId);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }
}
