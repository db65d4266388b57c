package arena.session;

import arena.session.GameSession.Command;
import arena.session.GameSession.Internal;
import arena.session.GameSession.WakeupFailed;
import arena.session.GameSession.WakeupStored;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * A session's clock and its time in memory: the timer of the next deadline (a turn's end, an
 * unfilled game's expiry), the passivation of a finished game after {@code finished-idle}, and
 * the live-idle check that lets a quiet live game leave memory once its deadline is stored in the
 * {@link Wakeups} schedule.
 *
 * <p>Timers are re-armed from the state after every event and after recovery; what a deadline
 * does to the game (a timeout, an expiry) the session decides when {@link Internal#CLOCK} fires.
 */
final class SessionClock {

  private static final Object CLOCK_TIMER = "clock";
  private static final Object IDLE_TIMER = "idle";
  private static final Object LIVE_TIMER = "live-idle";

  private final String gameId;
  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final SessionSettings settings;
  private final Clock clock;
  private final Wakeups wakeups;
  /** The seq at the last live-idle check: no event since then means the game is idle. */
  private long seqAtLastCheck = -1;
  /** Whether the deadline is being stored in the wake-up schedule. */
  private boolean storingWakeup;

  SessionClock(String gameId, ActorContext<Command> ctx, TimerScheduler<Command> timers,
      ActorRef<ClusterSharding.ShardCommand> shard, SessionSettings settings, Clock clock, Wakeups wakeups) {
    this.gameId = gameId;
    this.ctx = ctx;
    this.timers = timers;
    this.shard = shard;
    this.settings = settings;
    this.clock = clock;
    this.wakeups = wakeups;
  }

  /** Milliseconds are all the precision players and the journal need. */
  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /** When the game's clock next needs it: the turn deadline, the expiry; none once it is over. */
  static Instant deadline(GameState state) {
    return switch (state.status()) {
      case ACTIVE -> state.turnDeadline();
      case WAITING -> state.expiresAt();
      default -> null;
    };
  }

  void recovered(GameState state) {
    seqAtLastCheck = state.seq();
    arm(state);
  }

  /** Arms the timers the state needs: its deadline, the live-idle check, the finished idle time. */
  void arm(GameState state) {
    Instant deadline = deadline(state);
    if (deadline != null) {
      Duration left = Duration.between(now(), deadline);
      timers.startSingleTimer(CLOCK_TIMER, Internal.CLOCK, left.isNegative() ? Duration.ZERO : left);
      if (wakeups.enabled() && !timers.isTimerActive(LIVE_TIMER)) {
        timers.startTimerWithFixedDelay(LIVE_TIMER, Internal.LIVE_CHECK, settings.liveIdle());
      }
    } else {
      timers.cancel(CLOCK_TIMER);
      timers.cancel(LIVE_TIMER);
    }
    if (state.status().isOver()) {
      timers.startSingleTimer(IDLE_TIMER, Internal.IDLE, settings.finishedIdle());
    }
  }

  /** Whether the state's deadline has come. */
  boolean isDue(GameState state) {
    Instant deadline = deadline(state);
    return deadline != null && !now().isBefore(deadline);
  }

  /**
   * A live game with no event since the last check and nobody subscribed stores its deadline in
   * the wake-up schedule; once that is stored it passivates (see {@link #wakeupStored}). A game
   * whose deadline comes before the next check stays: its clock needs it sooner than that.
   */
  void liveCheck(GameState state, boolean subscribed) {
    Instant deadline = deadline(state);
    boolean idle = state.seq() == seqAtLastCheck;
    seqAtLastCheck = state.seq();
    if (deadline != null && idle && !subscribed && !storingWakeup && wakeups.enabled()
        && deadline.isAfter(now().plus(settings.liveIdle()))) {
      storingWakeup = true;
      long seq = state.seq();
      ctx.pipeToSelf(wakeups.schedule(gameId, deadline),
          (done, failure) -> failure == null ? new WakeupStored(seq) : new WakeupFailed(failure.toString()));
    }
  }

  /** Passivates unless something happened while the deadline was being stored. */
  void wakeupStored(GameState state, WakeupStored stored, boolean subscribed) {
    storingWakeup = false;
    if (state.seq() == stored.seq() && !subscribed) {
      ctx.getLog().debug("game {} is idle; its deadline is in the wake-up schedule, passivating", gameId);
      passivate();
    }
  }

  void wakeupFailed(WakeupFailed failed) {
    storingWakeup = false;
    ctx.getLog().warn("game {} stays in memory: its deadline could not be stored in the wake-up schedule ({})",
        gameId, failed.reason());
  }

  /** Asks the shard to stop this session (it stops once the shard answers). */
  void passivate() {
    shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
  }
}
