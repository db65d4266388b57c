package arena.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Map;

/**
 * The databases tests run against: the real PostgreSQL that {@code scripts/test.sh} starts (its
 * URL in {@code ARENA_TEST_DB_URL}), and an embedded H2 file database in a temporary folder.
 */
public final class TestDatabases {

  private TestDatabases() {}

  /** {@code arena.db} settings for the test PostgreSQL; fails loudly when there is none. */
  public static Config postgres() {
    String url = System.getenv("ARENA_TEST_DB_URL");
    if (url == null || url.isBlank()) {
      throw new IllegalStateException(
          "ARENA_TEST_DB_URL is not set: run the suite with scripts/test.sh, which starts PostgreSQL");
    }
    return ConfigFactory.parseMap(Map.of(
        "arena.db.url", url,
        "arena.db.user", envOr("ARENA_TEST_DB_USER", "arena"),
        "arena.db.password", envOr("ARENA_TEST_DB_PASSWORD", "arena")));
  }

  /** {@code arena.db} settings for an embedded H2 database under {@code dir}. */
  public static Config h2(Path dir) {
    return ConfigFactory.parseMap(Map.of("arena.db.url", "", "arena.db.data-dir", dir.toString()));
  }

  /** The configuration of a local (non-cluster) actor system on that database. */
  public static Config actorSystem(Config database) {
    Config base = database
        .withFallback(ConfigFactory.parseResources("persistence.conf"))
        .withFallback(ConfigFactory.parseResources("serialization.conf"))
        .withFallback(ConfigFactory.parseString("pekko.actor.provider = local"))
        .withFallback(ConfigFactory.load())
        .resolve();
    return Database.fromConfig(base).pekkoConfig().withFallback(base);
  }

  private static String envOr(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
