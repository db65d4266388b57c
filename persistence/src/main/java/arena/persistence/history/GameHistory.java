package arena.persistence.history;

import arena.session.GameEvent;
import arena.session.GameSession;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
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
}
