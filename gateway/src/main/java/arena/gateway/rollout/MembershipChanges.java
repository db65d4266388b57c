package arena.gateway.rollout;

import arena.session.Draining;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;

/**
 * Whether game-session shards may be moving now: a member is joining, leaving, draining or
 * unreachable, or one of those happened within {@code window} (a scale-out rebalances after
 * {@code arena.session.rebalance-quiet-period}, a lost member's shards restart elsewhere). Shards
 * move only then, so only then can a command be dropped by a hand-off; at any other time a late
 * answer means a busy node, and sending the command again would only add to its work.
 */
public final class MembershipChanges {

  private final Cluster cluster;
  private final Draining draining;
  private final long windowNanos;
  private volatile long lastChange;

  private MembershipChanges(ActorSystem<?> system, Duration window) {
    this.cluster = Cluster.get(system.classicSystem());
    this.draining = Draining.get(system);
    this.windowNanos = window.toNanos();
    this.lastChange = System.nanoTime() - windowNanos - 1;
  }

  /** Starts watching this node's view of the members. */
  public static MembershipChanges start(ActorSystem<?> system, Duration window) {
    MembershipChanges changes = new MembershipChanges(system, window);
    system.systemActorOf(Behaviors.<Object>setup(ctx -> {
      changes.cluster.subscribe(Adapter.toClassic(ctx.getSelf()), ClusterEvent.initialStateAsEvents(),
          ClusterEvent.MemberEvent.class, ClusterEvent.ReachabilityEvent.class);
      return Behaviors.receiveMessage(event -> {
        changes.seen(event);
        return Behaviors.same();
      });
    }), "arena-membership-changes", Props.empty());
    return changes;
  }

  private void seen(Object event) {
    Member member = event instanceof ClusterEvent.MemberEvent m ? m.member()
        : event instanceof ClusterEvent.ReachabilityEvent r ? r.member() : null;
    // The node's own arrival moves nothing by itself: others joining it are changes of their own.
    if (member != null && !member.uniqueAddress().equals(cluster.selfUniqueAddress())) {
      lastChange = System.nanoTime();
    }
  }

  /** Whether shards may be moving now, or moved within the window. */
  public boolean shardsMayMove() {
    if (System.nanoTime() - lastChange <= windowNanos || draining.anyDraining()) {
      return true;
    }
    ClusterEvent.CurrentClusterState state = cluster.state();
    if (!state.getUnreachable().isEmpty()) {
      return true;
    }
    for (Member member : state.getMembers()) {
      if (!member.status().equals(MemberStatus.up())) {
        return true;
      }
    }
    return false;
  }
}
