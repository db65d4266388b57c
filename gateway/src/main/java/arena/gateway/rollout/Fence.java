package arena.gateway.rollout;

import arena.gateway.ws.ConnectionRegistry;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a node that may no longer own its games from answering from their state.
 *
 * <p><b>Pause.</b> A node frozen (a stalled VM, a long GC pause, SIGSTOP) for longer than the
 * split brain resolver waits before downing an unreachable member ({@code stable-after}) may have
 * been downed, and its games taken over elsewhere, while it was away. A dedicated thread ticks every
 * {@code tick}; a gap longer than {@code max-pause} between ticks fences the node for good: it
 * answers every game command {@code unavailable}, sends its players elsewhere (shutdown frame, close
 * 1012) and shuts down. {@link #isFenced()} also looks at the gap itself, so a command handled in
 * the first instant after the node resumes, before the ticker has run, is refused too. (A node
 * cannot be downed by a pause shorter than {@code stable-after}: it turns unreachable only after
 * the failure detector's acceptable pause, and is downed only stable-after later.) Writes need no
 * fence: the journal's key on (game, seq) refuses a stale writer's event.
 *
 * <p><b>Minority.</b> A node that sees itself on the losing side of an unreachability (fewer
 * reachable members than unreachable ones, or as many and without the lowest address: the split
 * brain resolver's keep-majority rule) will be downed by it once stable-after has passed. It does
 * not make its players wait for that: it closes their sockets at once with the shutdown frame, so
 * they reconnect to the majority, refuses game commands, and answers not ready, for as long as it
 * stays on the minority side.
 */
public final class Fence implements Extension {

  private static final Logger log = LoggerFactory.getLogger(Fence.class);

  private final ActorSystem<?> system;
  private final long maxPauseNanos;
  private final Duration tick;
  private final boolean minorityFence;
  private volatile long lastTick;
  private volatile boolean started;
  private volatile String pausedFor;
  private volatile boolean minority;

  private Fence(ActorSystem<?> system) {
    this.system = system;
    Config config = system.settings().config();
    this.maxPauseNanos = maxPause(config).toNanos();
    this.tick = config.getDuration("arena.gateway.fence.tick");
    this.minorityFence = config.getBoolean("arena.gateway.fence.minority");
  }

  public static Fence get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  /** {@code arena.gateway.fence.max-pause}, where {@code auto} is the split brain resolver's stable-after. */
  static Duration maxPause(Config config) {
    String key = "arena.gateway.fence.max-pause";
    return config.getString(key).equals("auto")
        ? config.getDuration("pekko.cluster.split-brain-resolver.stable-after") : config.getDuration(key);
  }

  /** Whether this node must not answer from any game's state now. */
  public boolean isFenced() {
    return pausedFor != null || minority || (started && System.nanoTime() - lastTick > maxPauseNanos);
  }

  /** Starts the pause ticker and the minority watch; {@code connections} are closed when fenced. */
  public void start(ConnectionRegistry connections) {
    lastTick = System.nanoTime();
    started = true;
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "arena-pause-detector");
      thread.setDaemon(true);
      return thread;
    });
    ticker.scheduleAtFixedRate(() -> tick(connections), tick.toNanos(), tick.toNanos(), TimeUnit.NANOSECONDS);
    system.getWhenTerminated().thenRun(ticker::shutdownNow);
    if (minorityFence) {
      watchMinority(connections);
    }
  }

  private void tick(ConnectionRegistry connections) {
    long now = System.nanoTime();
    long gap = now - lastTick;
    lastTick = now;
    if (gap > maxPauseNanos && pausedFor == null) {
      pausedFor = Duration.ofNanos(gap).toMillis() + " ms";
      log.warn("this node was paused for {} (more than {} ms, after which the cluster may have downed it "
          + "and moved its games): refusing game commands, sending players elsewhere and shutting down",
          pausedFor, Duration.ofNanos(maxPauseNanos).toMillis());
      connections.closeAllForShutdown();
      CoordinatedShutdown.get(system.classicSystem()).run(Paused.INSTANCE);
    }
  }

  private void watchMinority(ConnectionRegistry connections) {
    Cluster cluster = Cluster.get(system.classicSystem());
    system.systemActorOf(Behaviors.<Object>setup(ctx -> Behaviors.withTimers(timers -> {
      cluster.subscribe(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(ctx.getSelf()),
          ClusterEvent.initialStateAsEvents(), ClusterEvent.ReachabilityEvent.class, ClusterEvent.MemberEvent.class);
      timers.startTimerWithFixedDelay("recheck", "recheck", Duration.ofSeconds(1));
      return Behaviors.receiveMessage(event -> {
        ClusterEvent.CurrentClusterState state = cluster.state();
        boolean now = inMinority(cluster.selfMember(), state.getMembers(), state.getUnreachable());
        if (now && !minority) {
          log.warn("this node cannot reach a majority of the cluster (unreachable: {}): sending its players "
              + "elsewhere and refusing game commands until it can", state.getUnreachable());
        } else if (!now && minority) {
          log.info("this node reaches a majority of the cluster again");
        }
        minority = now;
        if (now) {
          connections.closeAllForShutdown(); // again each second: players who came back meanwhile
        }
        return Behaviors.same();
      });
    })), "arena-minority-fence", Props.empty());
  }

  /** A member as the minority check sees it. */
  record Seen(Address address, boolean counted, boolean reachable) {}

  /** The keep-majority rule of the split brain resolver, as this node sees it. */
  static boolean inMinority(Member self, Iterable<Member> members, Set<Member> unreachable) {
    Set<UniqueAddress> away = new HashSet<>();
    unreachable.forEach(m -> away.add(m.uniqueAddress()));
    List<Seen> seen = new ArrayList<>();
    for (Member member : members) {
      boolean counted = member.status().equals(MemberStatus.up()) || member.status().equals(MemberStatus.leaving());
      seen.add(new Seen(member.address(), counted, !away.contains(member.uniqueAddress())));
    }
    return inMinority(self.address(), seen);
  }

  /**
   * Whether {@code self} is on the side that keep-majority downs: among Up and Leaving members,
   * fewer reachable than unreachable ones, or as many and the lowest address unreachable.
   */
  static boolean inMinority(Address self, List<Seen> members) {
    int reachable = 0;
    int unreachable = 0;
    Seen lowest = null;
    boolean selfCounted = false;
    for (Seen member : members) {
      if (!member.counted()) {
        continue;
      }
      // Others may find this node unreachable; it sides with itself all the same.
      boolean isSelf = member.address().equals(self);
      selfCounted |= isSelf;
      boolean reachableHere = isSelf || member.reachable();
      if (reachableHere) {
        reachable++;
      } else {
        unreachable++;
      }
      if (lowest == null || Member.addressOrdering().compare(member.address(), lowest.address()) < 0) {
        lowest = member;
      }
    }
    if (!selfCounted || unreachable == 0) {
      return false;
    }
    boolean lowestAway = !lowest.reachable() && !lowest.address().equals(self);
    return reachable < unreachable || (reachable == unreachable && lowestAway);
  }

  /** Why the node shuts down: it was paused for longer than the cluster waits before downing it. */
  enum Paused implements CoordinatedShutdown.Reason {
    INSTANCE
  }

  /** The extension's id. */
  public static final class Id extends ExtensionId<Fence> {
    static final Id INSTANCE = new Id();

    @Override
    public Fence createExtension(ActorSystem<?> system) {
      return new Fence(system);
    }
  }
}
