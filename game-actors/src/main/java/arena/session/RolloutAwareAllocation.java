package arena.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardCoordinator;
import org.apache.pekko.util.Version;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Where game-session shards go, so that a rolling update moves each shard once.
 *
 * <p>Pekko's default strategy already allocates to members of the newest {@code app-version}
 * while versions are mixed and does not rebalance then (see {@code ClusterShardAllocationMixin}).
 * What falls short: the moment the last old member is gone, versions are uniform again and the
 * default strategy starts rebalancing the new members against each other (with a threshold of
 * one shard), so shards that just moved in a rollout move a second time. This strategy allocates
 * the same way (members not leaving, then the newest version, then the fewest shards) but
 * rebalances only once the cluster has been settled (one version, nobody joining, leaving or
 * unreachable) for a quiet period, and only for a real imbalance. A scale-out still spreads
 * shards, a quiet period later.
 *
 * <p>Draining: a member that is about to stop says so ({@link Draining}) before it leaves. It
 * counts as leaving for allocation, so no shard goes there, and every rebalance round (each
 * {@code pekko.cluster.sharding.rebalance-interval}) moves up to {@code arena.session.drain-shards-at-once}
 * of its shards to the others, whether the cluster is settled or not. Each shard is then unavailable
 * only for its own short hand-off, the node keeps serving its players meanwhile, and by the time it
 * leaves it hosts nothing. This runs where the coordinator runs (the oldest member), so it takes
 * effect once the oldest member runs a version with it.
 */
public final class RolloutAwareAllocation extends ShardCoordinator.AbstractShardAllocationStrategy
    implements ShardCoordinator.ActorSystemDependentAllocationStrategy {

  private final Duration quietPeriod;
  private final int threshold;
  private final int maxSimultaneous;
  private final Clock clock;
  private Cluster cluster;
  private Draining draining;
  private int drainAtOnce;
  private Instant lastUnsettled;

  public RolloutAwareAllocation(Duration quietPeriod, int threshold, int maxSimultaneous, Clock clock) {
    this.quietPeriod = quietPeriod;
    this.threshold = threshold;
    this.maxSimultaneous = maxSimultaneous;
    this.clock = clock;
  }

  @Override
  public void start(ActorSystem system) {
    cluster = Cluster.get(system);
    draining = Draining.get(org.apache.pekko.actor.typed.javadsl.Adapter.toTyped(system));
    String key = "arena.session.drain-shards-at-once";
    drainAtOnce = system.settings().config().hasPath(key) ? system.settings().config().getInt(key) : maxSimultaneous;
    lastUnsettled = clock.instant();
  }

  /** A region as allocation sees it. */
  record Region(ActorRef ref, boolean leaving, Version version, int shards) {}

  /** Not leaving first, then the newest version, then the fewest shards. */
  static final Comparator<Region> SUITABILITY = Comparator
      .comparing(Region::leaving)
      .thenComparing(Region::version, Comparator.reverseOrder())
      .thenComparingInt(Region::shards);

  @Override
  public Future<ActorRef> allocateShard(ActorRef requester, String shardId,
      Map<ActorRef, scala.collection.immutable.IndexedSeq<String>> current) {
    List<Region> regions = regions(current);
    if (regions.isEmpty()) {
      return Future.successful(requester);
    }
    return Future.successful(regions.stream().min(SUITABILITY).orElseThrow().ref());
  }

  @Override
  public Future<Set<String>> rebalance(Map<ActorRef, scala.collection.immutable.IndexedSeq<String>> current,
      Set<String> inProgress) {
    Instant now = clock.instant();
    if (draining.anyDraining()) {
      Map<Region, List<String>> byRegion = new java.util.HashMap<>();
      Map<ActorRef, Region> regions = new java.util.HashMap<>();
      regions(current).forEach(r -> regions.put(r.ref(), r));
      current.forEach((ref, ids) -> {
        Region region = regions.get(ref);
        if (region != null && reachableUpOrLeaving(ref)) { // a hand-off from a dead region would hang
          byRegion.put(region, CollectionConverters.asJava(ids));
        }
      });
      Set<String> drain = toDrain(byRegion, inProgress, drainAtOnce);
      if (!drain.isEmpty() || !inProgress.isEmpty()) {
        lastUnsettled = now;
        return Future.successful(drain);
      }
    }
    if (!settled(cluster.state())) {
      lastUnsettled = now;
      return Future.successful(Set.of());
    }
    if (!inProgress.isEmpty() || Duration.between(lastUnsettled, now).compareTo(quietPeriod) < 0) {
      return Future.successful(Set.of());
    }
    Map<ActorRef, List<String>> shards = new java.util.HashMap<>();
    current.forEach((region, ids) -> shards.put(region, CollectionConverters.asJava(ids)));
    return Future.successful(toRebalance(shards, threshold, maxSimultaneous));
  }

  /** One version, everybody Up and reachable: no rollout, join or leave under way. */
  static boolean settled(ClusterEvent.CurrentClusterState state) {
    Set<Version> versions = new HashSet<>();
    for (Member member : state.getMembers()) {
      if (!member.status().equals(MemberStatus.up())) {
        return false;
      }
      versions.add(member.appVersion());
    }
    return versions.size() <= 1 && state.getUnreachable().isEmpty();
  }

  /** Shards to move from the fullest region when it has more than {@code threshold} over the emptiest. */
  static <K> Set<String> toRebalance(Map<K, List<String>> shards, int threshold, int maxSimultaneous) {
    if (shards.size() < 2) {
      return Set.of();
    }
    List<String> most = shards.values().stream().max(Comparator.comparingInt(List::size)).orElseThrow();
    int least = shards.values().stream().mapToInt(List::size).min().orElseThrow();
    int difference = most.size() - least;
    if (difference <= threshold) {
      return Set.of();
    }
    List<String> sorted = new ArrayList<>(most);
    sorted.sort(Comparator.naturalOrder());
    return Set.copyOf(sorted.subList(0, Math.min(difference / 2, maxSimultaneous)));
  }

  /**
   * Shards of leaving (draining) regions to move now: at most {@code atOnce} in progress at a time,
   * none while no region that stays is there to take them.
   */
  static Set<String> toDrain(Map<Region, List<String>> shards, Set<String> inProgress, int atOnce) {
    if (shards.keySet().stream().allMatch(Region::leaving)) {
      return Set.of();
    }
    List<String> candidates = new ArrayList<>();
    shards.entrySet().stream()
        .filter(e -> e.getKey().leaving())
        .sorted(Comparator.comparing((Map.Entry<Region, List<String>> e) -> e.getKey().shards()))
        .forEach(e -> e.getValue().stream().sorted().filter(id -> !inProgress.contains(id)).forEach(candidates::add));
    int room = Math.max(0, atOnce - inProgress.size());
    return Set.copyOf(candidates.subList(0, Math.min(room, candidates.size())));
  }

  private boolean reachableUpOrLeaving(ActorRef region) {
    Address address = region.path().address().hasLocalScope() ? cluster.selfAddress() : region.path().address();
    ClusterEvent.CurrentClusterState state = cluster.state();
    for (Member member : state.getMembers()) {
      if (member.address().equals(address)) {
        return (member.status().equals(MemberStatus.up()) || member.status().equals(MemberStatus.leaving()))
            && !state.getUnreachable().contains(member);
      }
    }
    return false;
  }

  private List<Region> regions(Map<ActorRef, scala.collection.immutable.IndexedSeq<String>> current) {
    ClusterEvent.CurrentClusterState state = cluster.state();
    Map<Address, Member> members = new java.util.HashMap<>();
    state.getMembers().forEach(m -> members.put(m.address(), m));
    List<Region> regions = new ArrayList<>();
    current.forEach((region, ids) -> {
      Address address = region.path().address().hasLocalScope() ? cluster.selfAddress() : region.path().address();
      Member member = members.get(address);
      if (member != null) {
        MemberStatus status = member.status();
        boolean leaving = status.equals(MemberStatus.leaving()) || status.equals(MemberStatus.exiting())
            || status.equals(MemberStatus.down()) || draining.isDraining(member.uniqueAddress());
        regions.add(new Region(region, leaving, member.appVersion(), ids.size()));
      }
    });
    return regions;
  }
}
