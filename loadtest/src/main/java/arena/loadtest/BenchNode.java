package arena.loadtest;

import arena.session.GameSession;
import arena.session.SessionServices;
import arena.session.SessionSettings;
import com.typesafe.config.Config;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/**
 * One Arena node in this process, without HTTP: a single-node cluster (it joins itself) that hosts
 * game sessions through Cluster Sharding, exactly as {@code arena.gateway.Node} does.
 */
final class BenchNode implements AutoCloseable {

  private final ActorSystem<Void> system;
  private final ClusterSharding sharding;
  private final Duration askTimeout;

  private BenchNode(ActorSystem<Void> system, SessionSettings settings) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = settings.askTimeout();
  }

  /** {@code config} is complete: the database's Pekko settings are already in it. */
  static BenchNode start(Config config) throws InterruptedException {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.setup(ctx -> {
      Cluster cluster = Cluster.get(ctx.getSystem());
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
      return Behaviors.empty();
    }), "arena", config);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (Cluster.get(system).selfMember().status() != MemberStatus.up()) {
      if (System.nanoTime() > deadline) {
        system.terminate();
        throw new IllegalStateException("the bench node did not become Up within 30 s");
      }
      Thread.sleep(50);
    }
    SessionSettings settings = SessionSettings.fromConfig(system.settings().config());
    // The benchmark's games are private, and only public games tell the lobby anything.
    GameSession.init(system, settings, SessionServices.of(Clock.systemUTC()));
    return new BenchNode(system, settings);
  }

  ActorSystem<Void> system() {
    return system;
  }

  Duration askTimeout() {
    return askTimeout;
  }

  EntityRef<GameSession.Command> game(String gameId) {
    return sharding.entityRefFor(GameSession.ENTITY_KEY, gameId);
  }

  /**
   * Asks a game as a player's connection would, with the node's ask timeout. The answer completes
   * on the actor system's dispatcher: the stage that {@code ask} returns runs even non-async
   * callbacks through the JDK's default async executor, which on a machine of two cores or fewer
   * (common pool parallelism 1) starts a new thread for every callback.
   */
  CompletableFuture<GameSession.Reply> ask(EntityRef<GameSession.Command> game,
      Function<ActorRef<GameSession.Reply>, GameSession.Command> command) {
    CompletableFuture<GameSession.Reply> answer = new CompletableFuture<>();
    game.ask(command::apply, askTimeout).whenCompleteAsync((reply, failure) -> {
      if (failure != null) {
        answer.completeExceptionally(failure);
      } else {
        answer.complete(reply);
      }
    }, system.executionContext());
    return answer;
  }

  /** How many game sessions whose id starts with {@code prefix} are alive on this node. */
  int liveGames(String prefix) {
    ShardRegion.CurrentShardRegionState state = AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(
            sharding.shardState(),
            replyTo -> new GetShardRegionState(GameSession.ENTITY_KEY, replyTo),
            Duration.ofSeconds(10), system.scheduler())
        .toCompletableFuture().join();
    int live = 0;
    for (ShardRegion.ShardState shard : state.getShards()) {
      for (String id : shard.getEntityIds()) {
        if (id.startsWith(prefix)) {
          live++;
        }
      }
    }
    return live;
  }

  /** Waits until no game whose id starts with {@code prefix} is alive (they passivated). */
  boolean awaitNoLiveGames(String prefix, Duration timeout) throws InterruptedException {
    long start = System.nanoTime();
    long lastSaid = start;
    while (System.nanoTime() - start < timeout.toNanos()) {
      int live = liveGames(prefix);
      if (live == 0) {
        return true;
      }
      if (System.nanoTime() - lastSaid > TimeUnit.SECONDS.toNanos(10)) {
        Progress.say("%,d games still in memory", live);
        lastSaid = System.nanoTime();
      }
      Thread.sleep(100);
    }
    return false;
  }

  @Override
  public void close() throws java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
