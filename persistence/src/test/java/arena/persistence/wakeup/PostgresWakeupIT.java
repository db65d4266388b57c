package arena.persistence.wakeup;

import arena.persistence.TestDatabases;
import com.typesafe.config.Config;

/** Idle live games and their clocks on the real PostgreSQL of the test suite. */
class PostgresWakeupIT extends WakeupContract {

  @Override
  Config databaseSettings() {
    return TestDatabases.postgres();
  }
}
