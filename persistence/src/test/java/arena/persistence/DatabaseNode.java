package arena.persistence;

import arena.persistence.leaderboard.Poll;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/**
 * The fixture of the persistence contracts, written once: the database under test, migrated, with
 * a read pool, and an actor system on it, either local or a one-node cluster that joined itself
 * (what Cluster Sharding and Sharded Daemon Processes need), on loopback with a free port.
 * {@link #restart()} replaces the actor system with a fresh one on the same database, as a node
 * restart does. Open it in {@code @BeforeAll} (with {@code PER_CLASS}), close it in
 * {@code @AfterAll}.
 */
public final class DatabaseNode implements AutoCloseable {

  private static final Duration UP = Duration.ofSeconds(15);

  private final String name;
  private final Config config;
  private final boolean cluster;
  private final Database database;
  private final HikariDataSource pool;
  private ActorTestKit testKit;

  private DatabaseNode(String name, Config config, boolean cluster, Database database) throws Exception {
    this.name = name;
    this.config = config;
    this.cluster = cluster;
    this.database = database;
    database.migrate();
    this.pool = database.openReadPool();
    try {
      this.testKit = startActorSystem();
    } catch (Exception | Error e) {
      pool.close();
      throw e;
    }
  }

  /** A local actor system on the migrated database of {@code databaseSettings} ({@code arena.db}). */
  public static DatabaseNode local(String name, Config databaseSettings) throws Exception {
    Config node = TestDatabases.actorSystem(databaseSettings);
    return new DatabaseNode(name, node, false, Database.fromConfig(node));
  }

  /**
   * A one-node cluster on the migrated database of {@code databaseSettings}; {@code extra} adds to
   * the node's configuration (say {@code sharding.conf}, or a setting that depends on the kind of
   * database) and wins over it.
   */
  public static DatabaseNode oneNodeCluster(String name, Config databaseSettings, Function<Database, Config> extra)
      throws Exception {
    Config node = TestDatabases.actorSystem(databaseSettings);
    Database database = Database.fromConfig(node);
    Config config = ConfigFactory.parseString("""
            pekko.actor.provider = cluster
            pekko.remote.artery.canonical.hostname = "127.0.0.1"
            pekko.remote.artery.canonical.port = 0
            pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
            """)
        .withFallback(extra.apply(database))
        .withFallback(node)
        .resolve();
    return new DatabaseNode(name, config, true, database);
  }

  public ActorTestKit testKit() {
    return testKit;
  }

  public ActorSystem<Void> system() {
    return testKit.system();
  }

  public Database database() {
    return database;
  }

  /** A pool of connections to the database, for the test's own queries (and the code under test). */
  public HikariDataSource pool() {
    return pool;
  }

  /** Stops the actor system and starts a fresh one on the same database; the pool stays open. */
  public ActorTestKit restart() throws Exception {
    testKit.shutdownTestKit();
    testKit = startActorSystem();
    return testKit;
  }

  @Override
  public void close() {
    try {
      testKit.shutdownTestKit();
    } finally {
      pool.close();
    }
  }

  private ActorTestKit startActorSystem() throws Exception {
    ActorTestKit started = ActorTestKit.create(name, config);
    if (cluster) {
      Cluster member = Cluster.get(started.system());
      member.manager().tell(Join.create(member.selfMember().address()));
      try {
        Poll.until("the node to be Up", UP, () -> member.selfMember().status(), status -> status == MemberStatus.up());
      } catch (Exception | Error e) {
        started.shutdownTestKit();
        throw e;
      }
    }
    return started;
  }
}
