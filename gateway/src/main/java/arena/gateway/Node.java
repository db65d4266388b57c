package arena.gateway;

import arena.gateway.auth.Tokens;
import arena.gateway.kubernetes.PodDeletionCost;
import arena.gateway.ops.DatabaseProbe;
import arena.gateway.ops.HttpMetrics;
import arena.gateway.ops.NodeMetrics;
import arena.gateway.ops.NodeState;
import arena.gateway.rollout.CreatePlacement;
import arena.gateway.rollout.Drain;
import arena.gateway.rollout.Fence;
import arena.gateway.rollout.MembershipChanges;
import arena.session.Draining;
import arena.gateway.ws.ConnectionRegistry;
import arena.gateway.ws.PlayerSockets;
import arena.gateway.reads.Queries;
import arena.gateway.ws.SocketLimits;
import arena.gateway.ws.WsSettings;
import arena.lobby.Lobby;
import arena.lobby.Matchmaker;
import arena.lobby.MatchmakerEntity;
import arena.persistence.Database;
import arena.persistence.directory.DirectorySettings;
import arena.persistence.directory.JdbcGameDirectory;
import arena.persistence.leaderboard.Leaderboard;
import arena.persistence.wakeup.JdbcWakeups;
import arena.persistence.wakeup.WakeupSweeper;
import arena.session.GameSession;
import arena.session.SessionServices;
import arena.session.SessionSettings;
import com.typesafe.config.Config;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's guardian: starts management and cluster bootstrap, hosts game sessions, the lobby,
 * the matchmaker and the leaderboard, and serves players over HTTP and WebSocket.
 */
final class Node {

  private static final Logger log = LoggerFactory.getLogger(Node.class);

  private Node() {}

  static Behavior<Void> create(NodeSettings settings, Database database) {
    return Behaviors.setup(ctx -> {
      ActorSystem<Void> system = ctx.getSystem();
      Config config = system.settings().config();
      Clock clock = Clock.systemUTC();

      PekkoManagement.get(system.classicSystem()).start();
      ClusterBootstrap.get(system.classicSystem()).start();
      PodDeletionCost.startIfEnabled(ctx);

      NodeMetrics metrics = new NodeMetrics(system, settings.appVersion());
      HikariDataSource readPool = database.openReadPool(metrics.registry());
      ConnectionRegistry connections = new ConnectionRegistry();
      metrics.watchConnections(connections);
      NodeState.get(system).started(readPool, connections, metrics);
      // /ready and players' queries each get connections of their own (issue 13): a flood of
      // reads can neither make the node look dead nor starve the read side.
      HikariDataSource probePool = database.openPool("arena-probe", 1, 2000, null);
      DatabaseProbe probe = new DatabaseProbe(probePool, config.getDuration("arena.gateway.readiness.probe-every"),
          config.getDuration("arena.gateway.readiness.stale-after"));
      NodeState.get(system).probing(probe);
      HikariDataSource queryPool = database.openPool("arena-query",
          Queries.Settings.fromConfig(config).threads(), 2000, metrics.registry());

      SessionSettings sessionSettings = SessionSettings.fromConfig(config);
      ActorRef<Lobby.Command> lobby = ctx.spawn(Lobby.create(), "lobby");
      // Idle live games leave memory once their deadline is in the database's wake-up schedule;
      // one node's sweeper starts them again in time for their clock.
      JdbcWakeups wakeups = new JdbcWakeups(readPool, system.dispatchers().lookup(
          DispatcherSelector.fromConfig("arena.gateway.blocking-dispatcher")), database.kind());
      // Sessions write their game to the directory on lifecycle events; the game lists read it.
      JdbcGameDirectory directory = new JdbcGameDirectory(readPool, DirectorySettings.fromConfig(config));
      GameSession.init(system, sessionSettings, new SessionServices(clock, Lobby.listing(lobby), metrics, wakeups, directory));
      WakeupSweeper.start(system, wakeups, WakeupSweeper.Settings.fromConfig(config), clock);
      metrics.watchWakeups(system, wakeups, clock);
      metrics.watchLeaderboard(system, readPool, clock);
      reportJournalPool(system, metrics);
      ActorRef<Matchmaker.Command> matchmaker = MatchmakerEntity.init(system);
      Leaderboard.start(system, database, readPool);

      Fence fence = Fence.get(system);
      fence.start(connections);
      Draining.get(system);
      MembershipChanges changes = MembershipChanges.start(system,
          config.getDuration("arena.gateway.session-asks.resend-window"));
      Sessions sessions = new Sessions(system, sessionSettings.askTimeout(),
          Sessions.attemptTimeout(config, sessionSettings.askTimeout()), fence::isFenced,
          config.getBoolean("arena.gateway.session-asks.resend-only-while-shards-move")
              ? changes::shardsMayMove : () -> true,
          PlayerGamesLimit.fromConfig(config, directory::liveGamesOf, metrics.playerGamesLimitCounter())
              .onUncounted(metrics.playerGamesUncountedCounter()),
          CreatePlacement.start(system, config.getDuration("arena.gateway.create-placement.refresh")));
      SocketLimits socketLimits = new SocketLimits(SocketLimits.Settings.fromConfig(config), metrics::limitRefused);
      metrics.watchOutgoing(socketLimits);
      PlayerSockets sockets = new PlayerSockets(system, sessions, matchmaker, WsSettings.fromConfig(config), connections,
          metrics::moveAcknowledged, socketLimits);
      HttpApi api = new HttpApi(system, Tokens.fromConfig(config, clock), sessions, lobby, queryPool, sockets,
          sessionSettings.askTimeout(), new GameLists(directory));

      Http.get(system)
          .newServerAt(settings.host(), settings.httpPort())
          .bind(new HttpMetrics(metrics.registry()).measure(api::route))
          .thenApply(binding -> binding.addToCoordinatedShutdown(Duration.ofSeconds(10), system))
          .whenComplete((binding, failure) -> {
            if (failure != null) {
              log.error("cannot serve players on {}:{}; stopping", settings.host(), settings.httpPort(), failure);
              system.terminate();
            } else {
              log.info("serving players on http://{}:{}/", settings.host(), settings.httpPort());
            }
          });
      addShutdownTasks(system, connections, readPool);
      CoordinatedShutdown.get(system.classicSystem()).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
          "close-query-pools", () -> {
            probe.close();
            probePool.close();
            queryPool.close();
            return CompletableFuture.completedFuture(Done.getInstance());
          });
      Drain.addToCoordinatedShutdown(system);
      return Behaviors.empty();
    });
  }

  private static void reportJournalPool(ActorSystem<?> system, NodeMetrics metrics) {
    try {
      if (!Database.reportJournalPool(system, metrics.registry())) {
        log.warn("the journal's connection pool is no HikariCP pool: no hikaricp metrics for {}", Database.JOURNAL_POOL);
      }
    } catch (RuntimeException e) {
      log.warn("cannot report the journal's connection pool: {}", e.toString());
    }
  }

  /**
   * A graceful leave in order: {@code /ready} answers 503 from the first phase on (see
   * DatabaseReadiness); players are told to reconnect elsewhere before the HTTP server unbinds;
   * Pekko then hands the shards off and leaves the cluster; the database pool closes last.
   */
  private static void addShutdownTasks(ActorSystem<?> system, ConnectionRegistry connections,
      HikariDataSource readPool) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system.classicSystem());
    shutdown.addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "tell-players", () -> {
      log.info("leaving: telling {} connected players to reconnect elsewhere", connections.count());
      connections.closeAllForShutdown();
      return CompletableFuture.completedFuture(Done.getInstance());
    });
    shutdown.addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "close-read-pool", () -> {
      readPool.close();
      return CompletableFuture.completedFuture(Done.getInstance());
    });
  }
}
