package arena.gateway.kubernetes;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * Makes a ReplicaSet scale-down (and so a rolling update) remove the oldest cluster members last.
 *
 * <p>The oldest member hosts the shard coordinator and the cluster singletons; each time it goes
 * they all move. Since Kubernetes 1.22 a ReplicaSet no longer reliably deletes its youngest pod
 * first (pods in the same time bucket count as equally old), but it does delete pods with a lower
 * {@code controller.kubernetes.io/pod-deletion-cost} first. So every node ranks the members by
 * age ({@link Member#isOlderThan}) and annotates its own pod: the oldest of the
 * {@code annotated-pods} oldest members gets {@code annotated-pods}, the next one less, down to 1;
 * every younger member gets 0 (the value of an unannotated pod).
 *
 * <p>Only its own pod: every node annotates itself, so no node needs to know other pods' names,
 * and RBAC grants patch on pods of the namespace only.
 */
public final class PodDeletionCost {

  private PodDeletionCost() {}

  /**
   * Spawns the annotator as a child of {@code ctx} when {@code arena.kubernetes} is enabled and
   * {@code arena.kubernetes.pod-deletion-cost.enabled} is on; returns whether it did.
   */
  public static boolean startIfEnabled(ActorContext<?> ctx) {
    Config config = ctx.getSystem().settings().config();
    if (!KubernetesSettings.enabled(config) || !config.getBoolean(KubernetesSettings.PATH + ".pod-deletion-cost.enabled")) {
      return false;
    }
    KubernetesSettings settings = KubernetesSettings.fromConfig(config);
    ctx.spawn(create(new KubernetesApi(settings)), "pod-deletion-cost");
    return true;
  }

  /** Follows cluster membership and tells a {@link PodAnnotator} child this pod's cost after every change. */
  static Behavior<ClusterEvent.MemberEvent> create(KubernetesApi api) {
    Behavior<ClusterEvent.MemberEvent> behavior = Behaviors.setup(ctx -> {
      Cluster cluster = Cluster.get(ctx.getSystem());
      ActorRef<PodAnnotator.Command> annotator = ctx.spawn(
          Behaviors.supervise(PodAnnotator.create(api)).onFailure(SupervisorStrategy.restart()), "annotator");
      // initial state arrives as events: MemberUp for every member already up, and so on
      cluster.subscriptions().tell(Subscribe.create(ctx.getSelf(), ClusterEvent.MemberEvent.class));
      Map<UniqueAddress, Member> members = new HashMap<>();
      int annotatedPods = api.settings().annotatedPods();
      return Behaviors.receiveMessage(event -> {
        if (!event.member().dataCenter().equals(cluster.selfMember().dataCenter()) || !track(members, event)) {
          // age is only defined within a data center (isOlderThan refuses to compare across)
          return Behaviors.same();
        }
        int cost = costOf(cluster.selfMember(), members.values(), Member::isOlderThan, annotatedPods);
        annotator.tell(new PodAnnotator.SetCost(cost));
        return Behaviors.same();
      });
    });
    return Behaviors.supervise(behavior).onFailure(SupervisorStrategy.restart());
  }

  /**
   * Members count from Up until removed: a Leaving or Exiting oldest member still holds the
   * singletons. Joining and WeaklyUp members have no age yet. Returns whether the cost may have
   * changed; the annotator drops repeats of a cost the API server already has.
   */
  private static boolean track(Map<UniqueAddress, Member> members, ClusterEvent.MemberEvent event) {
    Member member = event.member();
    if (event instanceof ClusterEvent.MemberRemoved) {
      return members.remove(member.uniqueAddress()) != null;
    }
    if (event instanceof ClusterEvent.MemberJoined || event instanceof ClusterEvent.MemberWeaklyUp) {
      return false;
    }
    members.put(member.uniqueAddress(), member);
    return true;
  }

  /**
   * The deletion cost of {@code self} among {@code members}: with the members sorted oldest first,
   * the one at index {@code i < annotatedPods} costs {@code annotatedPods - i}, any other 0, as does
   * a {@code self} that is not (or no longer) a member.
   */
  static <M> int costOf(M self, Collection<M> members, BiPredicate<M, M> isOlderThan, int annotatedPods) {
    List<M> oldestFirst = new ArrayList<>(members);
    oldestFirst.sort((a, b) -> isOlderThan.test(a, b) ? -1 : isOlderThan.test(b, a) ? 1 : 0);
    int index = oldestFirst.indexOf(self);
    return index < 0 || index >= annotatedPods ? 0 : annotatedPods - index;
  }
}
