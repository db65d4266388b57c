package arena.session;

import arena.session.GameEvent.GameAborted;
import arena.session.GameEvent.GameOver;
import arena.session.GameEvent.GameStarted;
import arena.session.GameEvent.Moved;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everyone a session tells about its stored events: the game directory (lifecycle changes), the
 * subscribers (every event), the lobby (public games), operators (metrics, one log line per end).
 */
final class Announcements {

  private static final Logger LOG = LoggerFactory.getLogger(GameSession.class);

  private final String gameId;
  private final SessionServices services;
  private final Subscribers subscribers;

  Announcements(String gameId, SessionServices services, Subscribers subscribers) {
    this.gameId = gameId;
    this.services = services;
    this.subscribers = subscribers;
  }

  /** {@code events} are stored, {@code states} the state after each, since {@code startedNanos}. */
  void stored(List<GameEvent> events, List<GameState> states, long startedNanos) {
    GameState after = states.get(states.size() - 1);
    services.metrics().persisted(events.size(), System.nanoTime() - startedNanos,
        (int) events.stream().filter(Moved.class::isInstance).count());
    subscribers.listing(record(after, events));
    subscribers.publish(events, states);
    list(after);
    GameEvent last = events.get(events.size() - 1);
    if (last instanceof GameOver over) {
      LOG.info("game {} over: {}", gameId, over.result());
    } else if (last instanceof GameAborted aborted) {
      LOG.info("game {} aborted: {}", gameId, aborted.reason());
    }
  }

  /** The session recovered: the lobby (in memory only) and the directory learn of it again. */
  void recovered(GameState state) {
    list(state);
    if (state.exists()) {
      services.directory().recovered(state.view()); // games stored before the directory existed enter it now
    }
  }

  /** Public games keep the lobby up to date; it lists them while they wait for players. */
  private void list(GameState state) {
    if (state.visibility() == Visibility.PUBLIC) {
      services.publicGames().changed(state.view());
    }
  }

  /** A lifecycle change (anything but moves: they change no list) goes to the game directory. */
  private CompletionStage<?> record(GameState state, List<GameEvent> events) {
    if (events.stream().allMatch(Moved.class::isInstance)) {
      return CompletableFuture.completedFuture(null);
    }
    Instant started = events.stream().filter(GameStarted.class::isInstance).map(GameEvent::at).findFirst().orElse(null);
    return services.directory().record(state.view(), started).handle((done, failure) -> null); // answers go on
  }
}
