package arena.persistence.wakeup;

import arena.persistence.TestDatabases;
import com.typesafe.config.Config;
import java.nio.file.Files;

/** Idle live games and their clocks on the embedded H2 database of the quick start. */
class H2WakeupIT extends WakeupContract {

  @Override
  Config databaseSettings() throws Exception {
    return TestDatabases.h2(Files.createTempDirectory("arena-h2-wakeup"));
  }
}
