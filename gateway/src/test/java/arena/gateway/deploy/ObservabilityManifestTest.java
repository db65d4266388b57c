package arena.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What operators rely on besides the metrics: every alert links a runbook section that exists,
 * the alerts cover a whole cluster gone and a lagging leaderboard, the JVM's collector is chosen
 * explicitly wherever the node runs, and deployed nodes log JSON.
 */
class ObservabilityManifestTest {

  private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} +(.+?) *$");
  private static final Pattern GC_FLAG = Pattern.compile("-XX:\\+Use(G1|Z|Parallel|Shenandoah|Serial)GC");

  @Test
  void everyAlertHasARunbookUrlWhoseAnchorIsASectionOfTheOperationsGuide() {
    Set<String> anchors = anchors(Repository.read("docs/operations.md"));
    MonitoringManifestTest.alerts().forEach((name, rule) -> {
      String url = rule.path("annotations").path("runbook_url").asText();
      assertThat(url).as(name + "'s runbook_url").startsWith("https://").contains("/docs/operations.md#");
      String anchor = url.substring(url.indexOf('#') + 1);
      assertThat(anchors).as(name + "'s runbook_url anchor #" + anchor + " is a heading of docs/operations.md")
          .contains(anchor);
      assertThat(url).as("runbook_url and runbook name the same section")
          .endsWith(rule.path("annotations").path("runbook").asText());
    });
  }

  @Test
  void alertsCoverAWholeClusterGoneAndALaggingLeaderboard() {
    var alerts = MonitoringManifestTest.alerts();
    assertThat(alerts).containsKeys("ArenaClusterAbsent", "ArenaLeaderboardBehind");
    assertThat(alerts.get("ArenaClusterAbsent").path("expr").asText()).contains("absent(").contains("arena-management");
    assertThat(alerts.get("ArenaLeaderboardBehind").path("expr").asText()).contains("arena_leaderboard_lag_seconds");
  }

  @Test
  void theJvmCollectorIsChosenExplicitlyInTheImageAndEveryOverlay() {
    Dockerfile.Stage runtime = Dockerfile.read().stages().get(Dockerfile.read().stages().size() - 1);
    String env = String.join(" ", runtime.all("ENV").stream().map(Dockerfile.Instruction::arguments).toList());
    assertThat(env).as("the runtime image's ENV").contains("JAVA_TOOL_OPTIONS");
    assertThat(GC_FLAG.matcher(env).find()).as("a -XX:+Use…GC flag in the image's JAVA_TOOL_OPTIONS: " + env).isTrue();
    for (String overlay : Kustomize.overlays()) {
      JsonNode options = Kustomize.overlay(overlay).env().get("JAVA_TOOL_OPTIONS");
      assertThat(options).as(overlay + " sets JAVA_TOOL_OPTIONS (it replaces the image's)").isNotNull();
      assertThat(GC_FLAG.matcher(options.path("value").asText()).find())
          .as(overlay + ": a -XX:+Use…GC flag in " + options).isTrue();
    }
  }

  @Test
  void deployedNodesLogJson() {
    for (String overlay : Kustomize.overlays()) {
      JsonNode format = Kustomize.overlay(overlay).env().get("ARENA_LOG_FORMAT");
      assertThat(format).as(overlay + " sets ARENA_LOG_FORMAT").isNotNull();
      assertThat(format.path("value").asText()).as(overlay).isEqualTo("json");
    }
    JsonNode compose;
    try {
      compose = Kustomize.YAML.readTree(Repository.read("docker/compose.yml"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int nodes = 0;
    for (var service = compose.path("services").fields(); service.hasNext(); ) {
      var entry = service.next();
      if (entry.getValue().path("build").path("dockerfile").asText().equals("docker/Dockerfile")) {
        nodes++;
        assertThat(ComposeTest.environment(entry.getValue())).as("compose service " + entry.getKey())
            .containsEntry("ARENA_LOG_FORMAT", "json");
      }
    }
    assertThat(nodes).isPositive();
    assertThat(Repository.read("README.md")).as("README's configuration table").contains("| `ARENA_LOG_FORMAT` |");
  }

  /** GitHub's anchors for a Markdown file's headings: lower case, punctuation dropped, spaces to hyphens. */
  static Set<String> anchors(String markdown) {
    Set<String> anchors = new TreeSet<>();
    Matcher m = HEADING.matcher(markdown.replaceAll("(?s)```.*?```", ""));
    while (m.find()) {
      anchors.add(m.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
    }
    return anchors;
  }
}
