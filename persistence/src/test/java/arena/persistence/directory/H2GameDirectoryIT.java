package arena.persistence.directory;

import arena.persistence.TestDatabases;
import com.typesafe.config.Config;
import java.nio.file.Files;

/** The game directory on the embedded H2 database of the quick start. */
class H2GameDirectoryIT extends GameDirectoryContract {

  @Override
  Config databaseSettings() throws Exception {
    return TestDatabases.h2(Files.createTempDirectory("arena-h2-directory"));
  }
}
