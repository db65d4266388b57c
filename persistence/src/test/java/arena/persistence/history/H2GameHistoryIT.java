package arena.persistence.history;

import arena.persistence.TestDatabases;
import com.typesafe.config.Config;
import java.nio.file.Files;

/** The event-replay contract on the embedded H2 database of the quick start. */
class H2GameHistoryIT extends GameHistoryContract {

  @Override
  Config databaseSettings() throws Exception {
    return TestDatabases.h2(Files.createTempDirectory("arena-h2-history"));
  }
}
