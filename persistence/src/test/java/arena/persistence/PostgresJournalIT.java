package arena.persistence;

import com.typesafe.config.Config;

/** The journal contract on the real PostgreSQL of the test suite. */
class PostgresJournalIT extends GameSessionJournalContract {

  @Override
  Config databaseSettings() {
    return TestDatabases.postgres();
  }
}
