package arena.loadtest;

import arena.persistence.Database;
import arena.session.GameEvent;
import arena.session.GameSession;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;

/**
 * The game-session benchmark (issue 3): durable moves per second through sharded game sessions on
 * PostgreSQL, with no HTTP in the way, next to pgbench's ceiling for the same rows; cold recovery
 * of a long game with and without snapshots; heap per live game. Results go to standard output as
 * Markdown. Run it with {@code scripts/bench-sessions.sh}.
 */
public final class SessionBench {

  private SessionBench() {}

  public static void main(String[] args) throws Exception {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "bench-logback.xml");
    }
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    System.out.print(run(options));
    System.exit(0); // the JDBC pools' threads would otherwise keep the JVM up
  }

  static String run(BenchOptions options) throws Exception {
    Config config = options.overrides().withFallback(ConfigFactory.load("bench"));
    Database database = Database.fromConfig(config);
    DbTarget db = DbTarget.fromConfig(config);
    db.createIfOwnAndMissing();
    Progress.say("migrating %s", database.describe());
    database.migrate();
    if (db.isOwnDatabase()) {
      db.emptyJournal();
    } else {
      Progress.say("WARNING: %s is not the benchmark's own database (%s): no node may use it during the run",
          db.database(), DbTarget.OWN_DATABASE);
    }
    String runId = Long.toString(System.currentTimeMillis(), 36);
    List<Map<String, Object>> connect4 = MoveScripts.connect4FullBoard();
    List<Map<String, Object>> marathon = MoveScripts.checkersMarathon(options.recoveryEvents() - RecoveryProbe.FRAME_EVENTS);
    Config nodeConfig = database.pekkoConfig().withFallback(config);

    List<PgCeiling.Result> ceiling = List.of();
    List<LoadRun.Result> loads = new ArrayList<>();
    Map<String, RecoveryProbe.Result> recoveries = new LinkedHashMap<>();
    Map<String, String> facts;
    try {
      try (BenchNode node = BenchNode.start(nodeConfig)) {
        PgCeiling.JournalRow row = journalRow(node, options.games().stream().max(Integer::compare).orElse(1000));
        facts = facts(db, config, row, connect4.size());
        if (options.pgbench() != null) {
          ceiling = new PgCeiling(options.pgbench(), db, options.pgbenchDuration())
              .run(row, config.getInt("arena.db.pool-size"), options.pgbenchRows());
        }
        for (int games : options.games()) {
          LoadRun.Settings settings = new LoadRun.Settings(games, options.warmup(), options.measure(), options.rampParallelism());
          LoadRun.Result result = new LoadRun(node, db, connect4, settings, runId).run();
          Progress.say("%,d games: %,.0f moves/s, p99 %.1f ms, errors %s", games,
              result.sample().movesPerSecond(), result.sample().latencyMillis(99), result.sample().errors());
          loads.add(result);
        }
        Progress.say("recovery of a %d-event game with snapshots", options.recoveryEvents());
        recoveries.put("snapshot-every " + config.getInt("arena.session.snapshot-every"),
            new RecoveryProbe(node, db).measure("bench-" + runId + "-recovery-snapshots", marathon, options.recoverySamples()));
      }
      Config noSnapshots = nodeConfig.withValue("arena.session.snapshot-every", ConfigValueFactory.fromAnyRef(Integer.MAX_VALUE));
      try (BenchNode node = BenchNode.start(noSnapshots)) {
        Progress.say("recovery of a %d-event game without snapshots", options.recoveryEvents());
        recoveries.put("no snapshots",
            new RecoveryProbe(node, db).measure("bench-" + runId + "-recovery-plain", marathon, options.recoverySamples()));
      }
    } finally {
      if (!options.keepData() && !db.isOwnDatabase()) {
        deleteGames(db, runId);
      }
    }

    double ceilingRows = ceiling.stream().mapToDouble(PgCeiling.Result::rowsPerSecond).max().orElse(0);
    Report report = new Report().facts(facts);
    if (!ceiling.isEmpty()) {
      report.ceiling(ceiling).line(String.format(Locale.ROOT,
          "Ceiling: %,.0f rows/s (the best pgbench run).", ceilingRows));
    }
    return report.load(loads, ceilingRows).heap(loads).recovery(recoveries).toString();
  }

  /** A Moved event as the journal stores it: same serializer, manifest and payload size. */
  private static PgCeiling.JournalRow journalRow(BenchNode node, int games) {
    GameEvent.Moved moved = new GameEvent.Moved(1, Map.of("column", 3), "m17", Instant.now());
    Serialization serialization = SerializationExtension.get(node.system().classicSystem());
    Serializer serializer = serialization.findSerializerFor(moved);
    return new PgCeiling.JournalRow(serializer.identifier(), Serializers.manifestFor(serializer, moved),
        serializer.toBinary(moved), games);
  }

  private static Map<String, String> facts(DbTarget db, Config config, PgCeiling.JournalRow row, int movesPerGame)
      throws Exception {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("date", ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE));
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    facts.put("machine", String.format(Locale.ROOT, "%d cores (nproc), %.1f GiB memory",
        Runtime.getRuntime().availableProcessors(), os.getTotalMemorySize() / (1024.0 * 1024 * 1024)));
    facts.put("JDK", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
        + ", max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
    facts.put("PostgreSQL", db.serverVersion() + " on " + db.host() + ":" + db.port() + "/" + db.database());
    facts.put("journal", String.format(Locale.ROOT,
        "arena.db.pool-size = %d, jdbc-journal.batchSize = %d, parallelism = %d, bufferSize = %d",
        config.getInt("arena.db.pool-size"), config.getInt("jdbc-journal.batchSize"),
        config.getInt("jdbc-journal.parallelism"), config.getInt("jdbc-journal.bufferSize")));
    facts.put("sharding", String.format(Locale.ROOT,
        "number-of-shards = %d, remember-entities = %s, arena.session.snapshot-every = %d",
        config.getInt("pekko.cluster.sharding.number-of-shards"),
        config.getString("pekko.cluster.sharding.remember-entities"),
        config.getInt("arena.session.snapshot-every")));
    facts.put("workload", String.format(Locale.ROOT,
        "connect4 games of %d moves replayed from a fixed list, one move in flight per game; a Moved"
            + " event is %d bytes of %s (serializer %d)",
        movesPerGame, row.payload().length, row.manifest(), row.serializerId()));
    return facts;
  }

  /** Removes this run's games from the journal and the snapshot store (tags go with them). */
  private static void deleteGames(DbTarget db, String runId) {
    String pattern = GameSession.ENTITY_KEY.name() + "|bench-" + runId + "-%";
    try (Connection c = db.connect()) {
      int deleted = 0;
      for (String table : List.of("event_journal", "snapshot")) {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE persistence_id LIKE ?")) {
          s.setString(1, pattern);
          deleted += s.executeUpdate();
        }
      }
      Progress.say("deleted the run's %,d journal and snapshot rows", deleted);
    } catch (Exception e) {
      Progress.say("could not delete the run's rows (%s): they stay under %s", e.getMessage(), pattern);
    }
  }
}
