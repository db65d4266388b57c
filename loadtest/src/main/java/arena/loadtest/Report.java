package arena.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The results as Markdown, for docs/benchmarks.md. */
final class Report {

  private final StringBuilder md = new StringBuilder();

  Report facts(Map<String, String> facts) {
    facts.forEach((key, value) -> md.append("- ").append(key).append(": ").append(value).append('\n'));
    md.append('\n');
    return this;
  }

  Report ceiling(List<PgCeiling.Result> runs) {
    table(List.of("pgbench: rows per transaction", "connections", "transactions/s", "rows/s",
            "cores: pgbench / PostgreSQL / others / idle"),
        runs.stream().map(r -> List.of(String.valueOf(r.rowsPerTransaction()), String.valueOf(r.clients()),
            num(r.transactionsPerSecond()), num(r.rowsPerSecond()),
            String.format(Locale.ROOT, "%.2f / %.2f / %.2f / %.2f", r.cpu().children(), r.cpu().postgres(),
                r.cpu().others() + r.cpu().jvm(), r.cpu().idle())))
            .toList());
    return this;
  }

  Report load(List<LoadRun.Result> runs, double ceilingRowsPerSecond) {
    List<List<String>> rows = new ArrayList<>();
    for (LoadRun.Result r : runs) {
      Meter.Sample s = r.sample();
      rows.add(List.of(String.format(Locale.ROOT, "%,d", r.settings().games()),
          s.movesPerSecond() > 0 ? String.format(Locale.ROOT, "%.3f", 1000 * r.cpu().jvm() / s.movesPerSecond()) : "n/a",
          num(s.movesPerSecond()),
          num(s.eventsPerSecond()),
          ceilingRowsPerSecond > 0 ? String.format(Locale.ROOT, "%.2f", s.movesPerSecond() / ceilingRowsPerSecond) : "n/a",
          ms(s.latencyMillis(50)), ms(s.latencyMillis(99)), ms(s.maxLatencyMillis()),
          s.errors().isEmpty() ? "0" : s.errors().toString(),
          String.format(Locale.ROOT, "%.1f", r.db().rowsPerCommit()), num(r.db().commitsPerSecond()),
          String.format(Locale.ROOT, "%.2f / %.2f / %.2f / %.2f", r.cpu().jvm(), r.cpu().postgres(),
              r.cpu().others(), r.cpu().idle()),
          r.cpu().jvm() > 0 ? num(s.movesPerSecond() / r.cpu().jvm()) : "n/a",
          String.format(Locale.ROOT, "%.1f", r.rampSeconds())));
    }
    // The headline is the CPU per stored move of the JVM that runs the node and its driver (issue
    // 12): they share the cores with PostgreSQL, so the cost per move says more than the share of
    // pgbench's ceiling, which stays as a reference.
    table(List.of("games", "**CPU ms per stored move** (the JVM: node and driver)", "moves/s", "events/s",
        "moves/s ÷ ceiling (reference)", "p50 ms", "p99 ms", "max ms",
        "errors", "rows/commit", "commits/s", "cores: JVM / PostgreSQL / others / idle",
        "moves per JVM core-second", "s to create and join all games"), rows);
    return this;
  }

  Report heap(List<LoadRun.Result> runs) {
    table(List.of("games", "heap per game just started", "heap per game mid-play", "live games weighed"),
        runs.stream().map(r -> List.of(String.format(Locale.ROOT, "%,d", r.settings().games()),
            kib(r.bytesPerStartedGame()), kib(r.bytesPerGameInPlay()),
            String.format(Locale.ROOT, "%,d", r.liveGamesAtEnd()))).toList());
    return this;
  }

  Report recovery(Map<String, RecoveryProbe.Result> runs) {
    table(List.of("cold recovery", "events", "latest snapshot at", "median ms", "min ms", "max ms", "samples"),
        runs.entrySet().stream().map(e -> List.of(e.getKey(), String.valueOf(e.getValue().events()),
            e.getValue().snapshotSeq() == 0 ? "none" : "seq " + e.getValue().snapshotSeq(),
            ms(e.getValue().median()), ms(e.getValue().min()), ms(e.getValue().max()),
            String.valueOf(e.getValue().millis().size()))).toList());
    return this;
  }

  Report line(String text) {
    md.append(text).append("\n\n");
    return this;
  }

  private void table(List<String> header, List<List<String>> rows) {
    md.append("| ").append(String.join(" | ", header)).append(" |\n|");
    header.forEach(h -> md.append("---|"));
    md.append('\n');
    rows.forEach(row -> md.append("| ").append(String.join(" | ", row)).append(" |\n"));
    md.append('\n');
  }

  private static String num(double value) {
    return String.format(Locale.ROOT, "%,.0f", value);
  }

  private static String ms(double value) {
    return String.format(Locale.ROOT, value < 10 ? "%.2f" : "%.1f", value);
  }

  private static String kib(long bytes) {
    return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
  }

  @Override
  public String toString() {
    return md.toString();
  }
}
