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
 * {@code refresh}; an answer that timed out (empty) keeps the last good view. Shards that did not
 * answer in time (busy starting) are left out. With no view yet, or no shard that qualifies, any
 * id will do, as before. Games are spread as evenly as the shards that qualify.
 */
public final class CreatePlacement implements Supplier<String> {

  /** Ids tried for one create before any id will do; a qualifying shard is usually hit in 1-3. */
  private static final int TRIES = 200;

  private final Cluster cluster;
  private final Draining draining;
  private final HashCodeMessageExtractor<GameSession.Command> shards;
  private volatile Map<String, Address> homes = Map.of();

  private CreatePlacement(ActorSystem<?> system) {
    this.cluster = Cluster.get(system.classicSystem());
    this.draining = Draining.get(system);
    this.shards = new HashCodeMessageExtractor<>(
        system.settings().config().getInt("pekko.cluster.sharding.number-of-shards"));
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
          stats.getRegions().forEach((region, regionStats) -> {
            Set<String> failed = regionStats.getFailed();
            regionStats.getStats().keySet().forEach(shard -> {
              if (!failed.contains(shard)) {
                seen.put(shard, region);
              }
            });
          });
          homes = Map.copyOf(seen);
        });
  }

  /** A new game's id, on a shard of a member that stays when there is one. */
  @Override
  public String get() {
    Set<String> good = goodShards();
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

  /** The shards whose home, as last seen, is an Up, reachable, not draining member. */
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
    view.forEach((shard, home) -> {
      // The local region answers with its own address without host and port.
      Address member = home.hasLocalScope() ? cluster.selfAddress() : home;
      if (staying.contains(member)) {
        good.add(shard);
      }
    });
    return good;
  }

  /** For tests: a view of where shards live. */
  void see(Map<String, Address> view) {
    homes = Map.copyOf(view);
  }

  /** For tests: the shard of a game id. */
  String shardOf(String gameId) {
    return shards.shardId(gameId);
  }
}
