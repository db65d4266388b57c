package arena.persistence.leaderboard;

import arena.persistence.TestDatabases;
import com.typesafe.config.Config;
import java.nio.file.Files;

/** The leaderboard contract on the embedded H2 database of the quick start. */
class H2LeaderboardIT extends LeaderboardContract {

  @Override
  Config databaseSettings() throws Exception {
    return TestDatabases.h2(Files.createTempDirectory("arena-h2-leaderboard"));
  }
}
