package arena.gateway.rollout;

import arena.session.Draining;
import arena.session.GameSession;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first step of a graceful leave: while the node still serves its players, it says it is
 * draining ({@link Draining}) and waits until the shard coordinator has moved its game-session
 * shards away, a few at a time ({@code arena.session.drain-shards-at-once} per rebalance round), or
 * until the phase's time is up. Only then does the usual leave start (players told to reconnect,
 * the region's graceful hand-off of whatever is left, the cluster leave). A node that is not an Up
 * member, that is fenced, or that has no other Up member (not draining itself) to give its shards
 * to skips the drain.
 *
 * <p>It runs in the coordinated-shutdown phase {@code arena-drain}, before
 * {@code before-service-unbind} (see cluster.conf), so it starts with SIGTERM: after the preStop
 * delay in Kubernetes.
 */
public final class Drain {

  private static final Logger log = LoggerFactory.getLogger(Drain.class);

  /** The coordinated-shutdown phase the drain runs in. */
  public static final String PHASE = "arena-drain";

  private Drain() {}

  /** Adds the drain to this node's coordinated shutdown. */
  public static void addToCoordinatedShutdown(ActorSystem<?> system) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system.classicSystem());
    Duration phase = Duration.ofMillis(shutdown.timeout(PHASE).toMillis());
    Duration poll = system.settings().config().getDuration("arena.gateway.drain.poll");
    shutdown.addTask(PHASE, "drain-shards", () -> drain(system, phase.minus(Duration.ofSeconds(1)), poll));
  }

  static CompletionStage<Done> drain(ActorSystem<?> system, Duration within, Duration poll) {
    Cluster cluster = Cluster.get(system.classicSystem());
    if (!cluster.selfMember().status().equals(MemberStatus.up()) || Fence.get(system).isFenced()
        || !othersToTakeOver(system)) {
      log.info("leaving without draining (member {}, fenced: {})", cluster.selfMember().status(),
          Fence.get(system).isFenced());
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    long started = System.nanoTime();
    long deadline = started + within.toNanos();
    CompletableFuture<Done> done = new CompletableFuture<>();
    Draining.get(system).drainSelf(Duration.ofSeconds(2)).whenComplete((ok, failure) ->
        shards(system).whenComplete((count, error) -> {
          log.info("draining: giving away {} game-session shards", count == null ? "?" : count);
          waitForNone(system, started, deadline, poll, done);
        }));
    return done;
  }

  private static void waitForNone(ActorSystem<?> system, long started, long deadline, Duration poll,
      CompletableFuture<Done> done) {
    shards(system).whenComplete((count, failure) -> {
      long now = System.nanoTime();
      if (count != null && count == 0) {
        log.info("drained: no game-session shard left here after {} ms", (now - started) / 1_000_000);
        done.complete(Done.getInstance());
      } else if (!othersToTakeOver(system)) {
        // The whole cluster is stopping (every other member drains or is gone): nobody can take
        // the shards, so waiting would only delay the stop.
        log.info("leaving without waiting further: no other member can take the {} shards left",
            count == null ? "?" : count);
        done.complete(Done.getInstance());
      } else if (now >= deadline) {
        log.warn("drain time is up after {} ms with {} shards left; the graceful hand-off moves them",
            (now - started) / 1_000_000, count == null ? "?" : count);
        done.complete(Done.getInstance());
      } else {
        system.scheduler().scheduleOnce(poll, () -> waitForNone(system, started, deadline, poll, done),
            system.executionContext());
      }
    });
  }

  /** Whether some other reachable Up member, not draining itself, can take this node's shards. */
  private static boolean othersToTakeOver(ActorSystem<?> system) {
    Cluster cluster = Cluster.get(system.classicSystem());
    Draining draining = Draining.get(system);
    for (Member member : cluster.state().getMembers()) {
      if (!member.uniqueAddress().equals(cluster.selfUniqueAddress()) && member.status().equals(MemberStatus.up())
          && !cluster.state().getUnreachable().contains(member) && !draining.isDraining(member.uniqueAddress())) {
        return true;
      }
    }
    return false;
  }

  /** How many game-session shards this node hosts. */
  private static CompletionStage<Integer> shards(ActorSystem<?> system) {
    return AskPattern.<ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(
            ClusterSharding.get(system).shardState(),
            replyTo -> new GetShardRegionState(GameSession.ENTITY_KEY, replyTo),
            Duration.ofSeconds(3), system.scheduler())
        .thenApply(state -> state.getShards().size());
  }
}
