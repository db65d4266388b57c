package arena.loadtest;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Command-line options of {@link SessionBench}; {@link #USAGE} lists them. */
record BenchOptions(List<Integer> games, Duration warmup, Duration measure, int rampParallelism,
    int recoveryEvents, int recoverySamples, String pgbench, Duration pgbenchDuration,
    List<Integer> pgbenchRows, boolean keepData, Config overrides) {

  static final String USAGE = """
      SessionBench: durable game moves per second through Cluster Sharding on PostgreSQL.
        --games 1000,10000        concurrent games, one case each
        --warmup 10 --duration 30 seconds of warm-up and of measurement per case
        --ramp 500                games being created at once while a case starts
        --recovery-events 1000    length of the game whose cold recovery is timed
        --recovery-samples 5      cold recoveries timed per game
        --pgbench /usr/bin/pgbench --pgbench-seconds 15 --pgbench-rows 1,10,100,400
                                  the ceiling: rows per transaction, one pgbench run each
        --no-pgbench              skip the ceiling
        --db-url URL --db-user U --db-password P
                                  default: ARENA_DB_URL/_USER/_PASSWORD, else the benchmark's own
                                  database arena_bench on 127.0.0.1 (created when missing, its
                                  journal emptied at the start of each run)
        --keep-data               in another database: keep the run's games (deleted by default)
      Any configuration key: -Dkey=value before the class name (e.g. -Djdbc-journal.parallelism=4).
      """;

  static BenchOptions parse(String[] args) {
    Map<String, String> values = new HashMap<>();
    Map<String, Object> config = new HashMap<>();
    boolean keepData = false;
    boolean noPgbench = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--keep-data" -> keepData = true;
        case "--no-pgbench" -> noPgbench = true;
        case "--help", "-h" -> throw new IllegalArgumentException(USAGE);
        default -> {
          if (!arg.startsWith("--") || i + 1 == args.length) {
            throw new IllegalArgumentException("unknown or incomplete option " + arg + "\n" + USAGE);
          }
          values.put(arg.substring(2), args[++i]);
        }
      }
    }
    for (String db : List.of("url", "user", "password")) {
      String value = values.remove("db-" + db);
      if (value != null) {
        config.put("arena.db." + db, value);
      }
    }
    BenchOptions options = new BenchOptions(
        ints(values.remove("games"), "1000,10000"),
        Duration.ofSeconds(Long.parseLong(values.getOrDefault("warmup", "10"))),
        Duration.ofSeconds(Long.parseLong(values.getOrDefault("duration", "30"))),
        Integer.parseInt(values.getOrDefault("ramp", "500")),
        Integer.parseInt(values.getOrDefault("recovery-events", "1000")),
        Integer.parseInt(values.getOrDefault("recovery-samples", "5")),
        noPgbench ? null : values.getOrDefault("pgbench", "/usr/bin/pgbench"),
        Duration.ofSeconds(Long.parseLong(values.getOrDefault("pgbench-seconds", "15"))),
        ints(values.remove("pgbench-rows"), "1,10,100,400"),
        keepData, ConfigFactory.parseMap(config));
    values.keySet().removeAll(List.of("warmup", "duration", "ramp", "recovery-events",
        "recovery-samples", "pgbench", "pgbench-seconds"));
    if (!values.isEmpty()) {
      throw new IllegalArgumentException("unknown options " + values.keySet() + "\n" + USAGE);
    }
    if (options.recoveryEvents() <= RecoveryProbe.FRAME_EVENTS) {
      throw new IllegalArgumentException("--recovery-events must be more than " + RecoveryProbe.FRAME_EVENTS);
    }
    return options;
  }

  private static List<Integer> ints(String value, String fallback) {
    return Arrays.stream((value == null ? fallback : value).split(","))
        .map(String::trim).map(Integer::parseInt).toList();
  }
}
