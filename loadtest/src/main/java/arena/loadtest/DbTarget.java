package arena.loadtest;

import com.typesafe.config.Config;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Set;

/**
 * The PostgreSQL database the benchmark writes to ({@code arena.db}), for its own SQL (statistics,
 * scratch table, clean-up) and for pgbench. Only a database on this machine is accepted.
 */
record DbTarget(String url, String user, String password, String host, int port, String database) {

  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1", "[::1]");

  static DbTarget fromConfig(Config config) {
    String url = config.getString("arena.db.url").trim();
    if (!url.startsWith("jdbc:postgresql://")) {
      throw new IllegalArgumentException("the benchmark needs PostgreSQL: arena.db.url (ARENA_DB_URL) = " + url);
    }
    URI uri = URI.create(url.substring("jdbc:".length()));
    if (!LOOPBACK.contains(uri.getHost())) {
      throw new IllegalArgumentException("the benchmark only runs against this machine (127.0.0.1), not " + uri.getHost());
    }
    String database = uri.getPath().replaceFirst("^/", "");
    return new DbTarget(url, config.getString("arena.db.user"), config.getString("arena.db.password"),
        uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), database);
  }

  /** The database that the benchmark owns: it may empty its journal. */
  static final String OWN_DATABASE = "arena_bench";

  boolean isOwnDatabase() {
    return OWN_DATABASE.equals(database);
  }

  /** Creates the benchmark's own database if it is the target and missing. */
  void createIfOwnAndMissing() throws SQLException {
    if (!isOwnDatabase()) {
      return;
    }
    String maintenance = url.replaceFirst("/" + database + "(\\?|$)", "/postgres$1");
    try (Connection c = DriverManager.getConnection(maintenance, user, password);
        var exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, database);
      if (!exists.executeQuery().next()) {
        c.createStatement().execute("CREATE DATABASE " + database);
      }
    }
  }

  /** Empties the journal, tags and snapshots: every run of the own database starts alike. */
  void emptyJournal() throws SQLException {
    if (!isOwnDatabase()) {
      throw new IllegalStateException("refusing to empty " + database + ": not the benchmark's own database");
    }
    try (Connection c = connect()) {
      c.createStatement().execute("TRUNCATE event_tag, event_journal, snapshot, durable_state");
    }
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  String serverVersion() throws SQLException {
    try (Connection c = connect(); var rs = c.createStatement().executeQuery("SHOW server_version")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
