package arena.session;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * A durable schedule of game sessions that must be running again by a given time: what lets a
 * live game whose players went quiet leave memory without losing its clock.
 *
 * <p>A live game that has been idle for {@code arena.session.live-idle}, with nobody subscribed,
 * stores its next deadline here and passivates only once that is stored; sharding then forgets it
 * (remember-entities no longer restarts it). Someone reading the schedule (the node's
 * {@code WakeupSweeper}) sends the game a message shortly before the deadline; the game recovers,
 * re-arms its clock and the clock fires on time. A game that is woken early, or that was restarted
 * by a player meanwhile, merely re-arms its clock, so waking is always safe.
 *
 * <p>The node stores the schedule in the database ({@code session_wakeup}); tests use their own.
 */
public interface Wakeups {

  /** No schedule: live games stay in memory (sharding remembers them) until they end. */
  Wakeups NONE = new Wakeups() {
    @Override
    public boolean enabled() {
      return false;
    }

    @Override
    public CompletionStage<Done> schedule(String gameId, Instant at) {
      return CompletableFuture.failedFuture(new IllegalStateException("no wake-up schedule"));
    }
  };

  /** Whether idle live games may rely on this schedule and passivate. */
  default boolean enabled() {
    return true;
  }

  /**
   * Durably records that game {@code gameId} must be running by {@code at}, replacing an earlier
   * time for it; completes once stored, fails when it could not be stored.
   */
  CompletionStage<Done> schedule(String gameId, Instant at);
}
