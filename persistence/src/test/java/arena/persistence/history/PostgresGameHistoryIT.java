package arena.persistence.history;

import arena.persistence.TestDatabases;
import com.typesafe.config.Config;

/** The event-replay contract on the real PostgreSQL of the test suite. */
class PostgresGameHistoryIT extends GameHistoryContract {

  @Override
  Config databaseSettings() {
    return TestDatabases.postgres();
  }
}
