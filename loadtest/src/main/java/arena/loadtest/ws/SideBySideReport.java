package arena.loadtest.ws;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Turns the side-by-side benchmark's JSON files ({@code arena-ramp.json}, {@code peer-ramp.json},
 * {@code *-memory-N.json}, written by {@link OpenLoad}) into one report: Markdown tables
 * ({@code report.md}), all the numbers in one JSON file ({@code report.json}) and a PNG chart of
 * ack p50/p99 against the offered rate for both servers ({@code latency.png}); optionally it puts
 * the Markdown in place of the section {@value #SECTION} of docs/benchmarks.md (appended when
 * missing) and the PNG beside it.
 *
 * <pre>java -cp ... arena.loadtest.ws.SideBySideReport dir=target/side-by-side command=... settings=...
 *     commit=... cores=2 cpu=... memory=... heap=2g [docs=docs/benchmarks.md png=docs/side-by-side.png]</pre>
 */
public final class SideBySideReport {

  static final String SECTION = "## Side by side with the Node.js peer";
  /** The latency bound of issue 12's headline: the highest offered rate with ack p99 under it. */
  static final double P99_LIMIT_MS = 50;
  /** A step counts as sustained when it achieved at least this share of the offered rate. */
  static final double SUSTAINED = 0.95;
  private static final Map<String, String> NAMES = Map.of("arena", "Arena", "peer", "Node.js peer");

  private SideBySideReport() {}

  /** Everything the report says, as written to report.json. */
  public record Data(String date, String command, String settings, String commit, Map<String, String> machine,
      Map<String, Results.Run> runs, List<Results.Memory> memory, Map<String, Double> highestUnder50ms,
      Double ratioArenaToPeer) {}

  public static void main(String[] args) throws IOException {
    Map<String, String> o = OpenLoad.options(args);
    Path dir = Path.of(o.getOrDefault("dir", "target/side-by-side"));
    Map<String, Results.Run> runs = new LinkedHashMap<>();
    List<Results.Memory> memory = new ArrayList<>();
    for (String server : List.of("arena", "peer")) {
      Path ramp = dir.resolve(server + "-ramp.json");
      if (Files.exists(ramp)) {
        runs.put(server, OpenLoad.JSON.readValue(ramp.toFile(), Results.Run.class));
      }
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, server + "-memory-*.json")) {
        List<Results.Memory> mine = new ArrayList<>();
        for (Path file : files) {
          mine.add(OpenLoad.JSON.readValue(file.toFile(), Results.Memory.class));
        }
        mine.sort((a, b) -> Integer.compare(a.games(), b.games()));
        memory.addAll(mine);
      }
    }
    Map<String, String> machine = new LinkedHashMap<>();
    machine.put("cores", o.getOrDefault("cores", String.valueOf(Runtime.getRuntime().availableProcessors())));
    machine.put("cpu", o.getOrDefault("cpu", "?"));
    machine.put("memory", o.getOrDefault("memory", "?"));
    machine.put("arenaHeap", o.getOrDefault("heap", "?"));
    Data data = data(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")),
        o.getOrDefault("command", "scripts/bench-side-by-side"), o.getOrDefault("settings", ""),
        o.getOrDefault("commit", "?"), machine, runs, memory);
    Files.writeString(dir.resolve("report.md"), markdown(data, "latency.png"));
    OpenLoad.JSON.writeValue(dir.resolve("report.json").toFile(), data);
    Path png = dir.resolve("latency.png");
    chart(data, png);
    if (o.containsKey("docs")) {
      Path docs = Path.of(o.get("docs"));
      Path docsPng = Path.of(o.getOrDefault("png", docs.resolveSibling("side-by-side.png").toString()));
      if (!runs.isEmpty()) {
        Files.copy(png, docsPng, StandardCopyOption.REPLACE_EXISTING);
      }
      String existing = Files.exists(docs) ? Files.readString(docs) : "";
      Files.writeString(docs, withSection(existing, markdown(data, docsPng.getFileName().toString())));
    }
  }

  static Data data(String date, String command, String settings, String commit, Map<String, String> machine,
      Map<String, Results.Run> runs, List<Results.Memory> memory) {
    Map<String, Double> highest = new LinkedHashMap<>();
    runs.forEach((server, run) -> highest.put(server, highestSustained(run)));
    Double arena = highest.get("arena");
    Double peer = highest.get("peer");
    Double ratio = arena != null && peer != null && peer > 0 ? Math.round(arena / peer * 100) / 100.0 : null;
    return new Data(date, command, settings, commit, machine, runs, memory, highest, ratio);
  }

  /**
   * The highest offered rate whose step, and every step below it, had ack p99 under
   * {@value #P99_LIMIT_MS} ms and achieved at least {@value #SUSTAINED} of the offered rate; null
   * if the first step did not.
   */
  static Double highestSustained(Results.Run run) {
    Double best = null;
    for (Results.Step step : run.steps()) {
      boolean ok = step.ack() != null && step.ack().p99() < P99_LIMIT_MS && step.achieved() >= SUSTAINED * step.offered();
      if (!ok) {
        break;
      }
      best = step.offered();
    }
    return best;
  }

  /** The report as Markdown; {@code png} is the chart's file name beside it. */
  static String markdown(Data d, String png) {
    StringBuilder md = new StringBuilder();
    md.append(SECTION).append(" (issue 12)\n\n");
    md.append("Run on ").append(d.date()).append(" at commit `").append(d.commit()).append("` with\n\n```sh\n")
        .append(d.command().strip()).append("\n```\n\n");
    if (!d.settings().isBlank()) {
      md.append("Settings: `").append(d.settings()).append("`. ");
    }
    md.append("Machine: ").append(d.machine().getOrDefault("cores", "?")).append(" cores (")
        .append(d.machine().getOrDefault("cpu", "?")).append("), ").append(d.machine().getOrDefault("memory", "?"))
        .append(" of memory; the servers, PostgreSQL and the generator share it. Arena: one node, `-Xms/-Xmx")
        .append(d.machine().getOrDefault("arenaHeap", "?")).append("`, `ARENA_PER_ADDRESS_LIMITS=off`. ")
        .append("The peer: `../shared/peers/node-ws`, one Node.js process. Each on a fresh database of the same PostgreSQL, ")
        .append("one after the other, driven by the same open-loop generator (`arena.loadtest.ws.OpenLoad`): ");
    Results.Run any = d.runs().values().stream().findFirst().orElse(null);
    if (any != null) {
      md.append(String.format(Locale.ROOT, "%,d connect4 games on %,d sockets", any.games(), any.sockets()));
      if (any.warmup() != null) {
        md.append(String.format(Locale.ROOT, ", warmed up %.0f s at %,.0f moves/s", any.warmup().seconds(),
            any.warmup().offered()));
      }
      md.append(". ");
    }
    md.append("Every game has a schedule (a move due every games/rate seconds, a random phase per game); a move ")
        .append("due while its game is not ready (the mover has not yet seen the previous move) is sent as soon as it ")
        .append("is, and every latency counts from the scheduled time.\n\n");
    if (!d.runs().isEmpty()) {
      headline(md, d, png);
    }
    if (d.runs().size() > 1) {
      overview(md, d.runs());
    }
    d.runs().forEach((server, run) -> details(md, server, run));
    if (!d.memory().isEmpty()) {
      memory(md, d.memory());
    }
    md.append("How to read it: ack = a move's `ack` (committed) after its scheduled time; opponent sees = the ")
        .append("opponent's socket has the move's event. Unsent: moves due in the step but still waiting for their ")
        .append("game when it ended (recorded with the latency they had by then); unacked: sent, never answered. ")
        .append("Achieved: acks received per second during the step. CPU per move: the process's CPU time in the ")
        .append("step over the acks in it (PostgreSQL: all its processes, others' databases included). Journal rows ")
        .append("per commit: rows inserted into the journal table (Arena `event_journal`, the peer `events`) over ")
        .append("the commits of the server's database (PostgreSQL's statistics, up to a second late). Context ")
        .append("switches: all threads of the server process. GC: milliseconds per second the JVM spent in ")
        .append("collections (n/a for the peer). Generator lag: how late the generator itself handed moves to ")
        .append("their games (part of every latency; if it grows, the generator is the bottleneck). A ramp stops ")
        .append("after a step that saturates its server.\n\n");
    return md.toString();
  }

  private static void headline(StringBuilder md, Data d, String png) {
    md.append("![ack latency against offered rate](").append(png).append(")\n\n");
    md.append("**Highest offered rate with ack p99 < 50 ms** (and at least 95 % of it achieved, every lower step too): ");
    md.append(d.highestUnder50ms().entrySet().stream()
        .map(e -> name(e.getKey()) + " " + (e.getValue() == null ? "none of the rates" : rate(e.getValue()) + " moves/s"))
        .collect(Collectors.joining(", ")));
    if (d.ratioArenaToPeer() != null) {
      md.append(String.format(Locale.ROOT, "; Arena / peer = **%.2f**", d.ratioArenaToPeer()));
    }
    md.append(".\n\n");
  }

  private static void overview(StringBuilder md, Map<String, Results.Run> runs) {
    List<Double> rates = runs.values().stream().flatMap(r -> r.steps().stream().map(Results.Step::offered))
        .distinct().sorted().toList();
    List<String> header = new ArrayList<>(List.of("offered moves/s"));
    runs.keySet().forEach(s -> {
      header.add(name(s) + " achieved");
      header.add(name(s) + " ack p50 / p99 ms");
    });
    List<List<String>> rows = new ArrayList<>();
    for (double rate : rates) {
      List<String> row = new ArrayList<>(List.of(rate(rate)));
      runs.values().forEach(run -> {
        Results.Step step = run.steps().stream().filter(s -> s.offered() == rate).findFirst().orElse(null);
        row.add(step == null ? (run.notRun().contains(rate) ? "not run (saturated)" : "-") : rate(step.achieved()));
        row.add(step == null || step.ack() == null ? "-" : ms(step.ack().p50()) + " / " + ms(step.ack().p99()));
      });
      rows.add(row);
    }
    table(md, header, rows);
  }

  private static void details(StringBuilder md, String server, Results.Run run) {
    md.append("### ").append(name(server)).append(String.format(Locale.ROOT,
        ": %,d games, %,d sockets (%d game%s per socket), set up in %.1f s%n%n", run.games(), run.sockets(),
        run.gamesPerSocket(), run.gamesPerSocket() == 1 ? "" : "s", run.setupSeconds()));
    List<List<String>> rows = new ArrayList<>();
    for (Results.Step s : run.steps()) {
      Results.Usage u = s.usage();
      rows.add(List.of(rate(s.offered()), rate(s.achieved()),
          s.ack() == null ? "-" : ms(s.ack().p50()) + " / " + ms(s.ack().p90()) + " / " + ms(s.ack().p99()) + " / "
              + ms(s.ack().max()),
          s.seen() == null ? "-" : ms(s.seen().p50()) + " / " + ms(s.seen().p99()),
          s.lag() == null ? "-" : ms(s.lag().p99()),
          s.unsent() + " / " + s.unacked(), kinds(s.errors()), kinds(s.died()),
          num(u.serverCpuMsPerMove(), 3) + " / " + num(u.postgresCpuMsPerMove(), 3) + " / "
              + num(u.generatorCpuMsPerMove(), 3),
          String.format(Locale.ROOT, "%.2f / %.2f / %.2f / %.2f / %.2f", u.serverCores(), u.postgresCores(),
              u.generatorCores(), u.otherCores(), u.idleCores()),
          num(u.journalRowsPerCommit(), 2), num(u.contextSwitchesPerMove(), 2), num(u.gcMsPerSecond(), 1),
          String.format(Locale.ROOT, "%.0f", u.rssMiB())));
    }
    table(md, List.of("offered moves/s", "achieved", "ack p50 / p90 / p99 / max ms", "opponent sees p50 / p99 ms",
        "generator lag p99 ms", "unsent / unacked", "errors by kind", "games died", "CPU ms per move: server / PostgreSQL / generator",
        "cores: server / PostgreSQL / generator / others / idle", "journal rows per commit",
        "context switches per move", "GC ms/s", "RSS MiB"), rows);
    if (run.stoppedAfter() != null) {
      md.append(String.format(Locale.ROOT, "The ramp stopped after %s moves/s (saturated); not run: %s.%n%n",
          rate(run.stoppedAfter()), run.notRun().stream().map(SideBySideReport::rate).collect(Collectors.joining(", "))));
    }
    if (!run.setupErrors().isEmpty()) {
      md.append("Errors during the set-up: ").append(kinds(run.setupErrors())).append(".\n\n");
    }
  }

  private static void memory(StringBuilder md, List<Results.Memory> memory) {
    md.append("### Memory: live games at a slow pace, each server fresh\n\n");
    List<List<String>> rows = new ArrayList<>();
    for (Results.Memory m : memory) {
      Results.Step h = m.hold();
      rows.add(List.of(name(m.server()), String.format(Locale.ROOT, "%,d", m.games()),
          String.format(Locale.ROOT, "%,d (%d per socket)", m.sockets(), m.gamesPerSocket()),
          num(m.heapIdleMiB(), 1) + " / " + num(m.heapSocketsMiB(), 1) + " / " + num(m.heapGamesMiB(), 1),
          num(m.heapPerSocketKiB(), 1), num(m.heapPerGameKiB(), 1),
          String.format(Locale.ROOT, "%.0f / %.0f / %.0f", m.rssIdleMiB(), m.rssSocketsMiB(), m.rssGamesMiB()),
          rate(h.achieved()) + " of " + rate(h.offered()),
          h.ack() == null ? "-" : ms(h.ack().p50()) + " / " + ms(h.ack().p99()),
          h.seen() == null ? "-" : ms(h.seen().p99()), kinds(h.errors())));
    }
    table(md, List.of("server", "live games", "sockets", "heap after full GC MiB: idle / sockets open / games live",
        "heap per socket KiB", "heap per live game KiB", "RSS MiB: idle / sockets / games", "moves/s",
        "ack p50 / p99 ms", "opponent sees p99 ms", "errors"), rows);
    md.append("Per socket: (heap with every socket open, no game) − (idle), over the sockets; per live game: ")
        .append("(heap with every game live) − (sockets open), over the games. The peer's heap is not measured ")
        .append("(n/a); its RSS is.\n\n");
  }

  private static void table(StringBuilder md, List<String> header, List<List<String>> rows) {
    md.append("| ").append(String.join(" | ", header)).append(" |\n|");
    header.forEach(h -> md.append("---|"));
    md.append('\n');
    rows.forEach(row -> md.append("| ").append(String.join(" | ", row)).append(" |\n"));
    md.append('\n');
  }

  static String name(String server) {
    return NAMES.getOrDefault(server, server);
  }

  private static String rate(double value) {
    return String.format(Locale.ROOT, "%,.0f", value);
  }

  private static String ms(double value) {
    return String.format(Locale.ROOT, value < 10 ? "%.2f" : "%.1f", value);
  }

  private static String num(Double value, int decimals) {
    return value == null ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", value);
  }

  private static String kinds(Map<String, Long> counts) {
    return counts.isEmpty() ? "0"
        : counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
  }

  /**
   * {@code doc} with its section {@value #SECTION} (up to the next {@code ## } heading) replaced by
   * {@code section}, or with {@code section} appended when it has none.
   */
  static String withSection(String doc, String section) {
    int start;
    if (doc.startsWith(SECTION)) {
      start = 0;
    } else {
      int i = doc.indexOf("\n" + SECTION);
      start = i < 0 ? -1 : i + 1;
    }
    if (start < 0) {
      String base = doc.isEmpty() || doc.endsWith("\n\n") ? doc : doc.endsWith("\n") ? doc + "\n" : doc + "\n\n";
      return base + section;
    }
    int next = doc.indexOf("\n## ", start + SECTION.length());
    String tail = next < 0 ? "" : doc.substring(next + 1);
    String body = tail.isEmpty() || section.endsWith("\n\n") ? section : section + "\n";
    return doc.substring(0, start) + body + tail;
  }

  private static String title(Data d) {
    Results.Run any = d.runs().values().stream().findFirst().orElse(null);
    return "Ack latency against offered rate (open loop" + (any == null ? ")"
        : String.format(Locale.ROOT, ", %,d connect4 games, %,d sockets)", any.games(), any.sockets()));
  }

  /** The chart: ack p50 and p99 against the offered rate, one colour per server, log scale. */
  static void chart(Data d, Path png) throws IOException {
    XYChart chart = new XYChartBuilder().width(900).height(560)
        .title(title(d)).xAxisTitle("offered moves/s")
        .yAxisTitle("ack latency, ms (log scale)").build();
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
    chart.getStyler().setMarkerSize(7);
    Map<String, Color> colours = Map.of("arena", new Color(0x1f, 0x77, 0xb4), "peer", new Color(0xd6, 0x27, 0x28));
    double maxRate = 0;
    double minRate = Double.MAX_VALUE;
    for (Map.Entry<String, Results.Run> e : d.runs().entrySet()) {
      List<Results.Step> steps = e.getValue().steps().stream().filter(s -> s.ack() != null).toList();
      if (steps.isEmpty()) {
        continue;
      }
      double[] x = steps.stream().mapToDouble(Results.Step::offered).toArray();
      maxRate = Math.max(maxRate, x[x.length - 1]);
      minRate = Math.min(minRate, x[0]);
      Color colour = colours.getOrDefault(e.getKey(), Color.DARK_GRAY);
      XYSeries p50 = chart.addSeries(name(e.getKey()) + " p50", x,
          steps.stream().mapToDouble(s -> Math.max(0.01, s.ack().p50())).toArray());
      p50.setLineColor(colour);
      p50.setMarkerColor(colour);
      p50.setMarker(SeriesMarkers.CIRCLE);
      p50.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0));
      XYSeries p99 = chart.addSeries(name(e.getKey()) + " p99", x,
          steps.stream().mapToDouble(s -> Math.max(0.01, s.ack().p99())).toArray());
      p99.setLineColor(colour);
      p99.setMarkerColor(colour);
      p99.setMarker(SeriesMarkers.SQUARE);
      p99.setLineStyle(new BasicStroke(2.5f));
    }
    if (maxRate > 0) {
      XYSeries limit = chart.addSeries("p99 bound, 50 ms", new double[] {minRate, maxRate},
          new double[] {P99_LIMIT_MS, P99_LIMIT_MS});
      limit.setLineColor(Color.GRAY);
      limit.setMarker(SeriesMarkers.NONE);
      limit.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {2f, 3f}, 0));
    }
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
