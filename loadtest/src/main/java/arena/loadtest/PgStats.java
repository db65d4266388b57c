package arena.loadtest;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * PostgreSQL's own count of committed transactions and inserted rows in the benchmark's database:
 * how many rows the journal wrote per commit, which is what its write batching achieves.
 */
record PgStats(long commits, long rowsInserted, long nanos) {

  static PgStats read(DbTarget db) throws SQLException {
    try (Connection c = db.connect();
        ResultSet rs = c.createStatement().executeQuery(
            "SELECT xact_commit, tup_inserted FROM pg_stat_database WHERE datname = current_database()")) {
      rs.next();
      return new PgStats(rs.getLong(1), rs.getLong(2), System.nanoTime());
    }
  }

  /** What happened between {@code earlier} and this reading, per second. */
  Rates since(PgStats earlier) {
    double seconds = (nanos - earlier.nanos) / 1e9;
    long commitsDelta = commits - earlier.commits;
    long rowsDelta = rowsInserted - earlier.rowsInserted;
    return new Rates(commitsDelta / seconds, rowsDelta / seconds,
        commitsDelta == 0 ? 0 : (double) rowsDelta / commitsDelta);
  }

  /** Statistics reach pg_stat_database up to a second late: close enough over 30 s. */
  record Rates(double commitsPerSecond, double rowsPerSecond, double rowsPerCommit) {}
}
