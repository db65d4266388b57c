package arena.gateway.ops;

import arena.gateway.ws.ConnectionRegistry;
import arena.persistence.wakeup.JdbcWakeups;
import arena.session.GameSession;
import arena.session.SessionMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The node's Prometheus metrics ({@code /metrics} on the management port). Names and meanings are
 * listed in docs/operations.md. Shard figures are sampled every few seconds from the local
 * region, so hand-offs are counted as shards that left or arrived between two samples.
 */
public final class NodeMetrics implements SessionMetrics {

  private static final Duration SAMPLE_EVERY = Duration.ofSeconds(2);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer persistLatency;
  private final Timer ackLatency;
  private final Counter moves;
  private final Counter events;
  private final Counter persistFailures;
  private final AtomicInteger ready = new AtomicInteger();
  private final Counter shardsOut;
  private final Counter shardsIn;
  private final AtomicInteger shards = new AtomicInteger();
  private final AtomicInteger entities = new AtomicInteger();
  private volatile Set<String> lastShards = Set.of();
  private volatile boolean sampled;

  public NodeMetrics(ActorSystem<?> system, String appVersion) {
    persistLatency = Timer.builder("arena.persist.latency")
        .description("From a game command to the journal's confirmation of its events")
        .publishPercentileHistogram().register(registry);
    ackLatency = Timer.builder("arena.ack.latency")
        .description("From a player's move frame to its ack, as the gateway sees it")
        .publishPercentileHistogram().register(registry);
    moves = Counter.builder("arena.moves").description("Moves stored by game sessions on this node").register(registry);
    events = Counter.builder("arena.events.persisted").description("Game events stored on this node").register(registry);
    persistFailures = Counter.builder("arena.persist.failures")
        .description("Game sessions restarted after the journal failed or rejected a write").register(registry);
    Gauge.builder("arena.node.ready", ready, AtomicInteger::get)
        .description("1 while /ready would answer 200: Up member, database answering, not shutting down")
        .register(registry);
    shardsOut = Counter.builder("arena.shard.handoffs").tag("direction", "out")
        .description("Game-session shards that left this node (sampled)").register(registry);
    shardsIn = Counter.builder("arena.shard.handoffs").tag("direction", "in")
        .description("Game-session shards that arrived on this node (sampled)").register(registry);
    Gauge.builder("arena.shards", shards, AtomicInteger::get)
        .description("Game-session shards hosted by this node").register(registry);
    Gauge.builder("arena.live.games", entities, AtomicInteger::get)
        .description("Game-session entities running on this node").register(registry);
    Gauge.builder("arena.app.info", () -> 1).tag("version", appVersion)
        .description("This node's app version (pekko.cluster.app-version)").register(registry);
    Cluster cluster = Cluster.get(system);
    for (MemberStatus status : new MemberStatus[] {MemberStatus.joining(), MemberStatus.weaklyUp(), MemberStatus.up(),
        MemberStatus.leaving(), MemberStatus.exiting(), MemberStatus.down()}) {
      Gauge.builder("arena.cluster.members", () -> countMembers(cluster, status))
          .tag("status", status.toString().toLowerCase(java.util.Locale.ROOT))
          .description("Cluster members by status, as this node sees them").register(registry);
    }
    Gauge.builder("arena.cluster.unreachable", () -> cluster.state().getUnreachable().size())
        .description("Members this node sees as unreachable").register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    system.scheduler().scheduleWithFixedDelay(SAMPLE_EVERY, SAMPLE_EVERY, () -> sampleShards(system), system.executionContext());
    var blocking = system.dispatchers().lookup(
        org.apache.pekko.actor.typed.DispatcherSelector.fromConfig("arena.gateway.blocking-dispatcher"));
    system.scheduler().scheduleWithFixedDelay(SAMPLE_EVERY, SAMPLE_EVERY, () -> sampleReadiness(system), blocking);
  }

  /**
   * Counts creates and joins refused because the player already had the most games waiting or
   * active ({@code arena.gateway.player-games.max-live}).
   */
  public Runnable playerGamesLimitCounter() {
    Counter refused = Counter.builder("arena.limit.player.games.refused")
        .description("Creates and joins refused: the player had the most games waiting or active")
        .register(registry);
    return refused::increment;
  }

  /** Creates and joins decided on the last known count, because the directory could not be read. */
  public Runnable playerGamesUncountedCounter() {
    Counter uncounted = Counter.builder("arena.limit.player.games.uncounted")
        .description("Creates and joins admitted or refused on the player's last known count: the game directory could not be read")
        .register(registry);
    return uncounted::increment;
  }

  /**
   * Reports the wake-up schedule of idle live games (every node reads the same table): how many
   * games wait out of memory, and how far the earliest wake-up is overdue — above a few seconds
   * only when no sweeper is running or the games it wakes do not answer.
   */
  public void watchWakeups(ActorSystem<?> system, JdbcWakeups wakeups, Clock clock) {
    AtomicLong pending = new AtomicLong();
    AtomicLong overdueMillis = new AtomicLong();
    Gauge.builder("arena.wakeups.pending", pending, AtomicLong::get)
        .description("Live games out of memory, waiting in the wake-up schedule (sampled every 10 s)")
        .register(registry);
    Gauge.builder("arena.wakeups.overdue.seconds", overdueMillis, ms -> ms.get() / 1000.0)
        .description("How long ago the earliest scheduled wake-up was due; 0 when none is (sampled every 10 s)")
        .register(registry);
    Duration every = Duration.ofSeconds(10);
    system.scheduler().scheduleWithFixedDelay(every, every, () -> wakeups.backlog().thenAccept(backlog -> {
      pending.set(backlog.games());
      overdueMillis.set(backlog.earliest() == null ? 0
          : Math.max(0, Duration.between(backlog.earliest(), clock.instant()).toMillis()));
    }), system.executionContext());
  }

  /**
   * Reports how far the leaderboard projection is behind the journal (every node reads the same
   * tables): the games over but not yet counted, and how long ago the oldest of them ended. Read
   * through {@code pool} on the blocking dispatcher every 10 s.
   */
  public void watchLeaderboard(ActorSystem<?> system, javax.sql.DataSource pool, Clock clock) {
    AtomicLong games = new AtomicLong();
    AtomicLong lagMillis = new AtomicLong();
    Gauge.builder("arena.leaderboard.lag.games", games, AtomicLong::get)
        .description("Games over that the leaderboard has not counted yet (sampled every 10 s)").register(registry);
    Gauge.builder("arena.leaderboard.lag.seconds", lagMillis, ms -> ms.get() / 1000.0)
        .description("How long ago the oldest game not yet counted by the leaderboard ended; 0 when none waits (sampled every 10 s)")
        .register(registry);
    var blocking = system.dispatchers().lookup(
        org.apache.pekko.actor.typed.DispatcherSelector.fromConfig("arena.gateway.blocking-dispatcher"));
    Duration every = Duration.ofSeconds(10);
    system.scheduler().scheduleWithFixedDelay(every, every, () -> {
      try {
        arena.persistence.leaderboard.LeaderboardLag.Lag lag = arena.persistence.leaderboard.LeaderboardLag.read(pool);
        games.set(lag.games());
        lagMillis.set(lag.oldest() == null ? 0 : Math.max(0, Duration.between(lag.oldest(), clock.instant()).toMillis()));
      } catch (java.sql.SQLException e) {
        // the database is down: /ready and the persistence metrics say so; keep the last figures
      }
    }, blocking);
  }

  private static int countMembers(Cluster cluster, MemberStatus status) {
    int count = 0;
    for (org.apache.pekko.cluster.Member member : cluster.state().getMembers()) {
      if (member.status().equals(status)) {
        count++;
      }
    }
    return count;
  }

  private void sampleShards(ActorSystem<?> system) {
    AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(
            ClusterSharding.get(system).shardState(),
            replyTo -> new GetShardRegionState(GameSession.ENTITY_KEY, replyTo),
            Duration.ofSeconds(2), system.scheduler())
        .thenAccept(state -> {
          Set<String> now = new HashSet<>();
          int running = 0;
          for (ShardRegion.ShardState shard : state.getShards()) {
            now.add(shard.shardId());
            running += shard.getEntityIds().size();
          }
          if (sampled) {
            shardsOut.increment(lastShards.stream().filter(id -> !now.contains(id)).count());
            shardsIn.increment(now.stream().filter(id -> !lastShards.contains(id)).count());
          }
          lastShards = Set.copyOf(now);
          sampled = true;
          shards.set(now.size());
          entities.set(running);
        });
  }

  /** The same conditions as /ready (DatabaseReadiness and the membership check), sampled. */
  private void sampleReadiness(ActorSystem<?> system) {
    DatabaseProbe probe = NodeState.get(system).probe();
    boolean up = Cluster.get(system).selfMember().status().equals(MemberStatus.up());
    boolean leaving = org.apache.pekko.actor.CoordinatedShutdown.get(system.classicSystem()).getShutdownReason().isPresent();
    ready.set(up && !leaving && probe != null && probe.answers() ? 1 : 0);
  }

  @Override
  public void persistFailed() {
    persistFailures.increment();
  }

  @Override
  public void persisted(int eventCount, long nanos, int moveCount) {
    persistLatency.record(nanos, TimeUnit.NANOSECONDS);
    events.increment(eventCount);
    moves.increment(moveCount);
  }

  public void moveAcknowledged(long nanos) {
    ackLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void watchConnections(ConnectionRegistry connections) {
    Gauge.builder("arena.websocket.connections", connections, ConnectionRegistry::count)
        .description("Open player WebSockets on this node").register(registry);
  }

  /**
   * Counts a request, frame or subscription a limit refused, by limit name
   * ({@code arena_ws_limit_refusals_total{limit}}; names in docs/operations.md).
   */
  public void limitRefused(String limit) {
    Counter.builder("arena.ws.limit.refusals").tag("limit", limit)
        .description("WebSocket upgrades, subscriptions and sockets refused or closed at a limit")
        .register(registry).increment();
  }

  @Override
  public void subscriberRefused() {
    limitRefused("subscribers_per_game");
  }

  /** Reports the bytes queued for every socket of this node, not yet handed to the network. */
  public void watchOutgoing(arena.gateway.ws.SocketLimits limits) {
    Gauge.builder("arena.websocket.outgoing.bytes", limits, arena.gateway.ws.SocketLimits::queuedBytes)
        .description("Bytes of frames queued for this node's sockets, not yet handed to the network")
        .register(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public int shards() {
    return shards.get();
  }

  public int liveGames() {
    return entities.get();
  }

  public long handOffsOut() {
    return (long) shardsOut.count();
  }

  public long handOffsIn() {
    return (long) shardsIn.count();
  }

  public String scrape() {
    return registry.scrape();
  }
}
