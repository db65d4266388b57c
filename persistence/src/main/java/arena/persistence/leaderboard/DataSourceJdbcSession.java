package arena.persistence.leaderboard;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.projection.jdbc.JdbcSession;

/**
 * One transaction on one pooled connection: what pekko-projection-jdbc needs to store an offset
 * in the same transaction as the handler's writes. The projection creates a session per envelope
 * and commits or rolls back, then closes it, on its blocking JDBC dispatcher.
 *
 * <p>The connection is taken from the pool on first use, so a session that is never used holds
 * nothing. Auto-commit is switched off for the transaction; the pool restores it on return.
 */
final class DataSourceJdbcSession implements JdbcSession {

  private final DataSource pool;
  private Connection connection;

  DataSourceJdbcSession(DataSource pool) {
    this.pool = pool;
  }

  @Override
  public <R> R withConnection(Function<Connection, R> work) throws Exception {
    if (connection == null) {
      Connection opened = pool.getConnection();
      try {
        opened.setAutoCommit(false);
      } catch (SQLException e) {
        opened.close();
        throw e;
      }
      connection = opened;
    }
    return work.apply(connection);
  }

  @Override
  public void commit() throws SQLException {
    if (connection != null) {
      connection.commit();
    }
  }

  @Override
  public void rollback() throws SQLException {
    if (connection != null) {
      connection.rollback();
    }
  }

  @Override
  public void close() throws SQLException {
    if (connection != null) {
      Connection closing = connection;
      connection = null;
      closing.close();
    }
  }
}
