package arena.gateway;

import arena.gateway.kubernetes.AppVersionRevision;
import arena.gateway.logging.LogFormat;
import arena.gateway.logging.StandardStreams;
import arena.persistence.Database;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one Arena node: migrates the database, starts the actor system (cluster member, game
 * sessions, HTTP gateway) and turns SIGTERM into a graceful leave that ends with exit code 0.
 */
public final class Main {

  static {
    ensureCommonPool(); // before the logger: starting Logback already creates the common pool
  }

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    try {
      LogFormat.check(System.getenv());
      StandardStreams.captureIfJson(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("Arena node could not start: " + e.getMessage()); // the log may have no appender
      System.exit(1);
      return;
    }
    ActorSystem<Void> system;
    try {
      system = start(ConfigFactory.load());
    } catch (RuntimeException e) {
      log.error("Arena node could not start: {}", e.getMessage(), e);
      flushLogs(); // the appender is asynchronous: without this the reason is lost with the exit
      System.exit(1);
      return;
    }
    leaveGracefullyOnSigterm(system);
  }

  private static void flushLogs() {
    if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback) {
      logback.stop();
    }
  }

  private static final String COMMON_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  /**
   * The {@code CompletionStage}s that Pekko's Java API returns (an ask's answer, for one) run even
   * their plain {@code thenApply}/{@code whenComplete} callbacks on the JDK's common pool. With
   * fewer than 3 cores that pool has parallelism 1, and the JDK then starts a new thread for every
   * such callback: one per move a player sends. Unless the operator chose a value, the node gives
   * the pool two threads before anything uses it (the node's own code also passes an executor
   * where it chains on such a stage, see {@code Sessions}).
   */
  static void ensureCommonPool() {
    if (System.getProperty(COMMON_PARALLELISM) == null && Runtime.getRuntime().availableProcessors() < 3) {
      System.setProperty(COMMON_PARALLELISM, "2");
    }
  }

  /** Starts a node from a resolved config; the returned system runs until it is shut down. */
  public static ActorSystem<Void> start(Config loaded) {
    arena.gateway.auth.AuthSettings.fromConfig(loaded); // a clustered node without ARENA_AUTH_SECRET stops here
    // In Kubernetes, unless ARENA_APP_VERSION is set, the version is the ReplicaSet's revision.
    Config config = AppVersionRevision.withDerivedVersion(loaded, System.getenv());
    NodeSettings settings = NodeSettings.fromConfig(config);
    LogFormat.identifyNode("pekko://arena@" + settings.host() + ":" + settings.remotingPort(), settings.appVersion());
    Database database = Database.fromConfig(config);
    log.info("Arena node {} starting on {} (HTTP {}, management {}, remoting {}), database: {}, "
            + "callback pool parallelism {}",
        settings.appVersion(), settings.host(), settings.httpPort(), settings.managementPort(),
        settings.remotingPort(), database.describe(), java.util.concurrent.ForkJoinPool.getCommonPoolParallelism());
    database.migrate();
    Config full = ClusterConfig.overlay(config, settings)
        .withFallback(ConfigFactory.parseString("pekko.coordinated-shutdown.exit-jvm = on"))
        .withFallback(database.pekkoConfig())
        .withFallback(config)
        .resolve();
    return ActorSystem.create(Node.create(settings, database), "arena", full);
  }

  /**
   * The JVM's own SIGTERM handling runs shutdown hooks and then exits with 143; a node that
   * leaves the cluster in good order exits 0, so SIGTERM starts CoordinatedShutdown itself, which
   * ends with {@code System.exit(0)} ({@code pekko.coordinated-shutdown.exit-jvm}).
   */
  @SuppressWarnings("restriction")
  private static void leaveGracefullyOnSigterm(ActorSystem<Void> system) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> {
        log.info("SIGTERM: leaving the cluster");
        CoordinatedShutdown.get(system).run(SigTerm.INSTANCE);
      });
    } catch (IllegalArgumentException e) {
      log.warn("cannot handle SIGTERM on this platform; the JVM's shutdown hook will leave instead");
    }
  }

  /** Why the node shuts down: an orchestrator asked it to. */
  private enum SigTerm implements CoordinatedShutdown.Reason {
    INSTANCE
  }
}
