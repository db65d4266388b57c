package arena.loadtest.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report of the side-by-side benchmark, from made-up results. */
class SideBySideReportTest {

  @Test
  void theHighestSustainedRateIsTheLastOfTheStepsFromTheBottomUnder50MsAndKeepingUp() {
    Results.Run run = run("arena", step(500, 500, 10), step(1000, 1000, 45), step(2000, 1990, 49.9),
        step(3000, 2500, 30), step(4000, 4000, 20));
    // 3,000 kept its p99 under 50 ms but achieved under 95 %: the headline stops at 2,000, and 4,000
    // (after a failed step) does not count.
    assertThat(SideBySideReport.highestSustained(run)).isEqualTo(2000.0);
    assertThat(SideBySideReport.highestSustained(run("peer", step(500, 500, 51)))).isNull();
  }

  @Test
  void theReportGivesTheRatioAndEveryStepOfBothServers() {
    SideBySideReport.Data data = data();
    assertThat(data.highestUnder50ms()).containsEntry("arena", 1000.0).containsEntry("peer", 500.0);
    assertThat(data.ratioArenaToPeer()).isEqualTo(2.0);
    String md = SideBySideReport.markdown(data, "chart.png");
    assertThat(md).startsWith(SideBySideReport.SECTION)
        .contains("scripts/bench-side-by-side --docs")
        .contains("![ack latency against offered rate](chart.png)")
        .contains("Arena 1,000 moves/s, Node.js peer 500 moves/s; Arena / peer = **2.00**")
        .contains("| 1,000 | 1,000 | 3.00 / 45.0 | 990 | 5.33 / 80.0 |")
        .contains("| 2,000 | not run (saturated) | - | 1,500 | 40.0 / 900.0 |")
        .contains("unavailable 3")
        .contains("### Memory");
  }

  @Test
  void theSectionReplacesItsOldSelfUpToTheNextHeadingOrIsAppended() {
    String section = SideBySideReport.SECTION + " (issue 12)\n\nnew numbers\n\n### Arena\n\nrows\n";
    String doc = "# Benchmarks\n\n## Before\n\ntext\n\n" + SideBySideReport.SECTION + " (issue 12)\n\nold numbers\n\n"
        + "### Arena\n\nold rows\n\n## After\n\nmore\n";
    String updated = SideBySideReport.withSection(doc, section);
    assertThat(updated).isEqualTo("# Benchmarks\n\n## Before\n\ntext\n\n" + section + "\n## After\n\nmore\n");
    assertThat(SideBySideReport.withSection(updated, section)).isEqualTo(updated);
    assertThat(SideBySideReport.withSection("# Benchmarks\n\ntext\n", section))
        .isEqualTo("# Benchmarks\n\ntext\n\n" + section);
    String last = "# Benchmarks\n\n" + SideBySideReport.SECTION + "\n\nold\n";
    assertThat(SideBySideReport.withSection(last, section)).isEqualTo("# Benchmarks\n\n" + section);
  }

  @Test
  void theChartIsAPng(@TempDir Path dir) throws Exception {
    System.setProperty("java.awt.headless", "true");
    Path png = dir.resolve("latency.png");
    SideBySideReport.chart(data(), png);
    byte[] bytes = Files.readAllBytes(png);
    assertThat(bytes.length).isGreaterThan(1000);
    assertThat(new String(bytes, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
  }

  @Test
  void resultsSurviveTheirJson(@TempDir Path dir) throws Exception {
    Results.Run run = data().runs().get("arena");
    Path file = dir.resolve("arena-ramp.json");
    OpenLoad.JSON.writeValue(file.toFile(), run);
    assertThat(OpenLoad.JSON.readValue(file.toFile(), Results.Run.class)).isEqualTo(run);
  }

  // ---- made-up results ----

  private static SideBySideReport.Data data() {
    Map<String, Results.Run> runs = new LinkedHashMap<>();
    runs.put("arena", new Results.Run("arena", "jvm", 1000, 2000, 1, 12.5, null,
        List.of(step(500, 500, 20), step(1000, 1000, 45)), 1000.0, List.of(2000.0), Map.of("unavailable", 3L)));
    runs.put("peer", run("peer", step(500, 500, 30), step(1000, 990, 80), step(2000, 1500, 900)));
    Results.Memory memory = new Results.Memory("arena", 1000, 2000, 1, 5, 20.0, 80.0, 100.0, 30.7, 20.5, 300, 400,
        450, step(200, 200, 5));
    return SideBySideReport.data("2026-12-07 05:00 UTC", "scripts/bench-side-by-side --docs", "GAMES=1000", "abc1234",
        Map.of("cores", "2", "cpu", "test", "memory", "4 GiB", "arenaHeap", "2g"), runs, List.of(memory));
  }

  private static Results.Run run(String server, Results.Step... steps) {
    return new Results.Run(server, "process", 1000, 2000, 1, 3.0, null, List.of(steps), null, List.of(), Map.of());
  }

  private static Results.Step step(double offered, double achieved, double p99) {
    Results.Usage usage = new Results.Usage(0.7, 0.2, 0.3, 0.7, 0.2, 0.3, 0.1, 0.7, 1000, 500, 2.0, 3.5, 12.0,
        0.8, 400);
    return new Results.Step(offered, 15, achieved, (long) offered * 15, (long) offered * 15, (long) achieved * 15, 0,
        0, new Results.Percentiles(1000, Math.min(p99 / 15, 40), p99 / 2, p99, p99 * 2),
        new Results.Percentiles(1000, 1, 2, p99, p99), new Results.Percentiles(1000, 0.1, 0.2, 0.5, 1), Map.of(),
        Map.of(), usage);
  }
}
