package arena.persistence.wakeup;

import arena.JsonSerializable;
import arena.session.GameSession;
import com.typesafe.config.Config;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;

/**
 * Starts idle live games again shortly before their clock needs them: every
 * {@code arena.wakeup.sweep-interval} it reads the games due within {@code lead} from the
 * {@link JdbcWakeups} schedule and sends each one {@link GameSession.GetState} through sharding,
 * which starts the entity; the entity re-arms its clock on recovery. A game that answers (whatever
 * it answers) is removed from the schedule; one that does not is tried again by a later sweep.
 *
 * <p>It runs on exactly one node of the cluster, as a Sharded Daemon Process of one instance that
 * moves when its node leaves; the schedule is in the database, so nothing is lost when it moves.
 */
public final class WakeupSweeper {

  static final String NAME = "wakeup-sweeper";

  /** The sweeper's settings, from {@code arena.wakeup}. */
  public record Settings(Duration sweepInterval, Duration lead, int batch, Duration askTimeout) {

    public static Settings fromConfig(Config root) {
      Config c = root.getConfig("arena.wakeup");
      Settings s = new Settings(c.getDuration("sweep-interval"), c.getDuration("lead"), c.getInt("batch"),
          c.getDuration("ask-timeout"));
      if (s.sweepInterval.isNegative() || s.sweepInterval.isZero() || s.lead.isNegative() || s.batch < 1
          || s.askTimeout.isNegative() || s.askTimeout.isZero()) {
        throw new IllegalArgumentException("arena.wakeup: sweep-interval and ask-timeout must be positive, "
            + "lead not negative, batch at least 1");
      }
      return s;
    }
  }

  interface Command extends JsonSerializable {}

  enum Signal implements Command {
    SWEEP,
    STOP
  }

  record Found(List<JdbcWakeups.Due> due) implements Command {}

  record SweepFailed(String reason) implements Command {}

  record Finished(String gameId, boolean woken) implements Command {}

  private WakeupSweeper() {}

  /** Runs the sweeper somewhere in the cluster; call it once on every node at start-up. */
  public static void start(ActorSystem<?> system, JdbcWakeups wakeups, Settings settings, Clock clock) {
    ShardedDaemonProcess.get(system).init(Command.class, NAME, 1,
        instance -> create(wakeups, settings, clock),
        ShardedDaemonProcessSettings.create(system),
        Optional.of(Signal.STOP));
  }

  static Behavior<Command> create(JdbcWakeups wakeups, Settings settings, Clock clock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Signal.SWEEP, settings.sweepInterval());
      return new Sweeping(ctx, wakeups, settings, clock).behavior();
    }));
  }

  private static final class Sweeping {
    private final ActorContext<Command> ctx;
    private final JdbcWakeups wakeups;
    private final Settings settings;
    private final Clock clock;
    private final ClusterSharding sharding;
    /** Games asked and not yet answered or timed out: not asked again meanwhile. */
    private final Set<String> waking = new HashSet<>();
    private boolean reading;

    Sweeping(ActorContext<Command> ctx, JdbcWakeups wakeups, Settings settings, Clock clock) {
      this.ctx = ctx;
      this.wakeups = wakeups;
      this.settings = settings;
      this.clock = clock;
      this.sharding = ClusterSharding.get(ctx.getSystem());
    }

    Behavior<Command> behavior() {
      return Behaviors.receive(Command.class)
          .onMessageEquals(Signal.SWEEP, this::sweep)
          .onMessageEquals(Signal.STOP, Behaviors::stopped)
          .onMessage(Found.class, this::wake)
          .onMessage(SweepFailed.class, failed -> {
            reading = false;
            ctx.getLog().warn("cannot read the wake-up schedule; trying again: {}", failed.reason());
            return Behaviors.same();
          })
          .onMessage(Finished.class, finished -> {
            waking.remove(finished.gameId());
            if (!finished.woken()) {
              ctx.getLog().debug("game {} did not answer its wake-up; the next sweep tries again", finished.gameId());
            }
            return Behaviors.same();
          })
          .build();
    }

    private Behavior<Command> sweep() {
      if (!reading && waking.size() < settings.batch()) {
        reading = true;
        ctx.pipeToSelf(wakeups.due(clock.instant().plus(settings.lead()), settings.batch()),
            (due, failure) -> failure == null ? new Found(due) : new SweepFailed(failure.toString()));
      }
      return Behaviors.same();
    }

    private Behavior<Command> wake(Found found) {
      reading = false;
      for (JdbcWakeups.Due due : found.due()) {
        if (waking.add(due.gameId())) {
          CompletionStage<GameSession.Reply> answer = sharding
              .entityRefFor(GameSession.ENTITY_KEY, due.gameId())
              .ask(GameSession.GetState::new, settings.askTimeout());
          ctx.pipeToSelf(answer.thenCompose(reply -> wakeups.woken(due)),
              (done, failure) -> new Finished(due.gameId(), failure == null));
        }
      }
      return Behaviors.same();
    }
  }
}
