package arena.persistence;

import com.typesafe.config.Config;
import java.nio.file.Files;

/** The journal contract on the embedded H2 database of the quick start. */
class H2JournalIT extends GameSessionJournalContract {

  @Override
  Config databaseSettings() throws Exception {
    return TestDatabases.h2(Files.createTempDirectory("arena-h2-it"));
  }
}
