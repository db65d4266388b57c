package arena.gateway.rollout;

import arena.session.Draining;
import arena.session.GameIds;
import arena.session.GameSession;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.HashCodeMessageExtractor;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Picks the id of a new game so that it lands on a node that will stay. A game's shard follows
 * from its id, and the gateway chooses the id of a game it creates: it chooses one whose shard is
 * hosted, as of the last look, by an Up, reachable member that is not draining. So a create
 * during a rollout does not land on a shard being handed off (it would wait for the hand-off, or
 * be answered {@code unavailable}), and a create while a member is cut off or frozen does not land
 * on that member's shards.
 *
 * <p>Where the shards live is asked of every region ({@code GetClusterShardingStats}) every
 * {@code refresh}; an answer that timed out (empty) keeps the last good view. Left out are the
 * shards hosted by a member that is not Up, unreachable or draining, and shards that did not
 * answer in time (busy starting); every other shard qualifies, including those not started yet
 * (the coordinator allocates them to a member that stays), so games stay spread over all shards.
 * With no view yet, any id will do, as before.
 */
public final class CreatePlacement implements Supplier<String> {

  /** Ids tried for one create before any id will do; a qualifying shard is usually hit in 1-3. */
  private static final int TRIES = 200;

  private final Cluster cluster;
  private final Draining draining;
  private final HashCodeMessageExtractor<GameSession.Command> shards;
  private final int numberOfShards;
  private volatile Map<String, Address> homes = Map.of();
  private volatile Set<String> busy = Set.of();

  private CreatePlacement(ActorSystem<?> system) {
    this.cluster = Cluster.get(system.classicSystem());
    this.draining = Draining.get(system);
    this.numberOfShards = system.settings().config().getInt("pekko.cluster.sharding.number-of-shards");
    this.shards = new HashCodeMessageExtractor<>(numberOfShards);
  }

  /** Starts looking where the game-session shards live, every {@code refresh}. */
  public static CreatePlacement start(ActorSystem<?> system, Duration refresh) {
    CreatePlacement placement = new CreatePlacement(system);
    system.scheduler().scheduleWithFixedDelay(refresh, refresh, () -> placement.look(system, refresh),
        system.executionContext());
    return placement;
  }

  private void look(ActorSystem<?> system, Duration refresh) {
    AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery, ShardRegion.ClusterShardingStats>ask(
            ClusterSharding.get(system).shardState(),
            replyTo -> new GetClusterShardingStats(GameSession.ENTITY_KEY, refresh, replyTo),
            refresh.plusSeconds(1), system.scheduler())
        .thenAccept(stats -> {
          if (stats.getRegions().isEmpty()) {
            return; // timed out: keep the last good view
          }
          Map<String, Address> seen = new HashMap<>();
          Set<String> failed = new HashSet<>();
          stats.getRegions().forEach((region, regionStats) -> {
            regionStats.getStats().keySet().forEach(shard -> seen.put(shard, region));
            failed.addAll(regionStats.getFailed());
          });
          see(seen, failed);
        });
  }

  /**
   * A new game's id, on a shard of a member that stays when there is one: a shard already started
   * there while those are at least half of the qualifying shards (a create then needs no allocation,
   * which waits while the shard coordinator moves), else any qualifying shard.
   */
  @Override
  public String get() {
    Set<String> good = goodShards();
    Set<String> started = new HashSet<>(good);
    started.retainAll(homes.keySet());
    if (started.size() * 2 >= good.size()) {
      good = started;
    }
    if (good.isEmpty()) {
      return GameIds.newId();
    }
    for (int i = 0; i < TRIES; i++) {
      String id = GameIds.newId();
      if (good.contains(shards.shardId(id))) {
        return id;
      }
    }
    return GameIds.newId();
  }

  /** The shards not hosted, as last seen, by a member that is not Up, unreachable or draining, nor busy. */
  Set<String> goodShards() {
    Map<String, Address> view = homes;
    if (view.isEmpty()) {
      return Set.of();
    }
    Set<Address> staying = new HashSet<>();
    var state = cluster.state();
    for (Member member : state.getMembers()) {
      if (member.status().equals(MemberStatus.up()) && !state.getUnreachable().contains(member)
          && !draining.isDraining(member.uniqueAddress())) {
        staying.add(member.address());
      }
    }
    Set<String> good = new HashSet<>();
    for (int shard = 0; shard < numberOfShards; shard++) {
      good.add(String.valueOf(shard));
    }
    good.removeAll(busy);
    view.forEach((shard, home) -> {
      // The local region answers with its own address without host and port.
      Address member = home.hasLocalScope() ? cluster.selfAddress() : home;
      if (!staying.contains(member)) {
        good.remove(shard);
      }
    });
    return good;
  }

  /** Where shards live, and which did not answer. */
  void see(Map<String, Address> view, Set<String> failed) {
    homes = Map.copyOf(view);
    busy = Set.copyOf(failed);
  }

  /** For tests: the shard of a game id. */
  String shardOf(String gameId) {
    return shards.shardId(gameId);
  }
}
