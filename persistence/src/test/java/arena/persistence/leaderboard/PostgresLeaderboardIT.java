package arena.persistence.leaderboard;

import arena.persistence.TestDatabases;
import com.typesafe.config.Config;

/** The leaderboard contract on the real PostgreSQL of the test suite. */
class PostgresLeaderboardIT extends LeaderboardContract {

  @Override
  Config databaseSettings() {
    return TestDatabases.postgres();
  }
}
