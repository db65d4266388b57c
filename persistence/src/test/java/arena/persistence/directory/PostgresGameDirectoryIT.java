package arena.persistence.directory;

import arena.persistence.TestDatabases;
import com.typesafe.config.Config;

/** The game directory on the real PostgreSQL of the test suite. */
class PostgresGameDirectoryIT extends GameDirectoryContract {

  @Override
  Config databaseSettings() {
    return TestDatabases.postgres();
  }
}
