package arena.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The node's database: PostgreSQL when {@code arena.db.url} is set, otherwise an embedded H2 file
 * database under {@code arena.db.data-dir}.
 *
 * <p>It migrates the schema with Flyway before anything else touches it (Flyway holds a
 * PostgreSQL advisory lock while it migrates, so nodes that start together take turns), and it
 * produces the Pekko configuration that points the journal, snapshot store and read journal at
 * one shared pool.
 */
public final class Database {

  /** Which database engine, and with it which migrations and Slick profile. */
  public enum Kind {
    POSTGRESQL("slick.jdbc.PostgresProfile$", "org.postgresql.Driver", "db/migration/postgresql"),
    H2("slick.jdbc.H2Profile$", "org.h2.Driver", "db/migration/h2");

    final String slickProfile;
    final String driver;
    final String migrations;

    Kind(String slickProfile, String driver, String migrations) {
      this.slickProfile = slickProfile;
      this.driver = driver;
      this.migrations = migrations;
    }
  }

  private final Kind kind;
  private final String url;
  private final String user;
  private final String password;
  private final int poolSize;
  private final int readPoolSize;

  private Database(Kind kind, String url, String user, String password, int poolSize, int readPoolSize) {
    this.kind = kind;
    this.url = url;
    this.user = user;
    this.password = password;
    this.poolSize = poolSize;
    this.readPoolSize = readPoolSize;
  }

  /** Reads {@code arena.db}; stops with a message naming the key when a value is wrong. */
  public static Database fromConfig(Config root) {
    Config c = root.getConfig("arena.db");
    String url = c.getString("url").trim();
    int pool = c.getInt("pool-size");
    int readPool = c.getInt("read-pool-size");
    if (pool < 1 || readPool < 1) {
      throw new IllegalArgumentException("arena.db.pool-size and arena.db.read-pool-size must be at least 1");
    }
    if (url.isEmpty()) {
      Path dir = Path.of(c.getString("data-dir")).toAbsolutePath().normalize();
      try {
        Files.createDirectories(dir);
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("arena.db.data-dir (ARENA_DATA_DIR): cannot create " + dir, e);
      }
      // The plugin's H2 tables have quoted lower-case names; folding unquoted names to lower case
      // lets the same SQL run on H2 and PostgreSQL.
      String h2 = "jdbc:h2:file:" + dir.resolve("arena") + ";DB_CLOSE_ON_EXIT=FALSE;DATABASE_TO_LOWER=TRUE";
      return new Database(Kind.H2, h2, "sa", "", pool, readPool);
    }
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "arena.db.url (ARENA_DB_URL) must start with jdbc:postgresql:, was " + redact(url));
    }
    return new Database(Kind.POSTGRESQL, withBatchedInserts(url), c.getString("user"),
        c.getString("password"), pool, readPool);
  }

  /** Batched journal writes become multi-row INSERTs, which PostgreSQL takes far faster. */
  private static String withBatchedInserts(String url) {
    if (url.contains("reWriteBatchedInserts")) {
      return url;
    }
    return url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
  }

  /** A URL fit for logs: no query string, where a password could hide. */
  public static String redact(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query) + "?…";
  }

  public Kind kind() {
    return kind;
  }

  /** Where the database is, for logs (never with credentials). */
  public String describe() {
    return kind == Kind.H2 ? "embedded H2 at " + redact(url) : "PostgreSQL at " + redact(url);
  }

  /** Creates or upgrades the schema; safe when several nodes do it at once. */
  public MigrateResult migrate() {
    return Flyway.configure()
        .dataSource(url, user, password)
        .locations("classpath:" + kind.migrations)
        .load()
        .migrate();
  }

  /** The Pekko settings that put the persistence plugins on this database. */
  public Config pekkoConfig() {
    Map<String, Object> db = new HashMap<>();
    db.put("url", url);
    db.put("user", user);
    db.put("password", password);
    db.put("driver", kind.driver);
    db.put("numThreads", poolSize);
    db.put("maxConnections", poolSize);
    db.put("minConnections", 1);
    db.put("connectionTimeout", 5000);
    db.put("poolName", JOURNAL_POOL); // the pool label of its metrics (hikaricp_*{pool="arena-journal"})
    return ConfigFactory.empty()
        .withValue("pekko-persistence-jdbc.shared-databases.slick.profile",
            ConfigValueFactory.fromAnyRef(kind.slickProfile))
        .withValue("pekko-persistence-jdbc.shared-databases.slick.db",
            ConfigValueFactory.fromMap(db))
        .withValue("pekko.projection.jdbc.dialect",
            ConfigValueFactory.fromAnyRef(kind == Kind.H2 ? "h2-dialect" : "postgres-dialect"));
  }

  /** The name of the journal's pool (Slick's HikariCP pool, shared by every persistence plugin). */
  public static final String JOURNAL_POOL = "arena-journal";

  /**
   * Reports the figures of the journal's pool (the one {@link #pekkoConfig} configures, which
   * pekko-persistence-jdbc creates) to {@code metricRegistry}, a Micrometer {@code MeterRegistry}
   * typed loosely as in {@link #openReadPool(Object)}. Starts the pool if it has not started yet.
   *
   * @return false when the pool is not a HikariCP pool (then nothing is reported)
   */
  public static boolean reportJournalPool(org.apache.pekko.actor.ClassicActorSystemProvider system,
      Object metricRegistry) {
    org.apache.pekko.actor.ActorSystem classic = system.classicSystem();
    var slickExtension = (org.apache.pekko.persistence.jdbc.db.SlickExtensionImpl)
        org.apache.pekko.persistence.jdbc.db.SlickExtension$.MODULE$.get(system);
    slick.jdbc.JdbcBackend.JdbcDatabaseDef db =
        slickExtension.database(classic.settings().config().getConfig("jdbc-journal")).database();
    if (db.source() instanceof slick.jdbc.hikaricp.HikariCPJdbcDataSource hikari) {
      hikari.ds().setMetricRegistry(metricRegistry);
      return true;
    }
    return false;
  }

  /** A small pool of its own for the read side and health checks; the caller closes it. */
  public HikariDataSource openReadPool() {
    return openReadPool(null);
  }

  /**
   * As {@link #openReadPool()}, reporting pool figures to {@code metricRegistry} (a Micrometer
   * {@code MeterRegistry}, typed loosely so that this module needs no metrics library).
   */
  public HikariDataSource openReadPool(Object metricRegistry) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setDriverClassName(kind.driver);
    config.setMaximumPoolSize(readPoolSize);
    config.setMinimumIdle(1);
    config.setPoolName("arena-read");
    config.setConnectionTimeout(5000);
    if (metricRegistry != null) {
      config.setMetricRegistry(metricRegistry);
    }
    return new HikariDataSource(config);
  }

  /**
   * A pool of its own, named {@code name} in logs and metrics, of {@code size} connections: for
   * work that must not wait behind other work (players' queries; the readiness probe). A caller
   * that finds no free connection within {@code connectionTimeoutMillis} gets an SQLException.
   */
  public HikariDataSource openPool(String name, int size, long connectionTimeoutMillis, Object metricRegistry) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setDriverClassName(kind.driver);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    config.setPoolName(name);
    config.setConnectionTimeout(Math.max(250, connectionTimeoutMillis));
    // Fail fast at start-up only when the database is reachable then; a probe pool must start
    // even while the database is down, and report it.
    config.setInitializationFailTimeout(-1);
    if (metricRegistry != null) {
      config.setMetricRegistry(metricRegistry);
    }
    return new HikariDataSource(config);
  }

  /** Whether the database answers a trivial query within {@code timeoutSeconds}. */
  public static boolean answers(javax.sql.DataSource pool, int timeoutSeconds) {
    try (Connection connection = pool.getConnection()) {
      return connection.isValid(timeoutSeconds);
    } catch (SQLException e) {
      return false;
    }
  }
}
