package arena.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Scraping, alert rules and the dashboard (k8s/monitoring, used by the prod overlay). */
class MonitoringManifestTest {

  private static final Pattern ARENA_METRIC = Pattern.compile("\\b(arena_[a-z0-9_]+)");

  private static Manifests prod() {
    return Kustomize.overlay("prod");
  }

  @Test
  void serviceMonitorScrapesMetricsOnTheManagementPort() {
    Manifests m = prod();
    JsonNode monitor = m.get("ServiceMonitor", "arena");
    JsonNode endpoint = monitor.path("spec").path("endpoints").get(0);
    assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
    List<JsonNode> services = m.ofKind("Service").stream()
        .filter(s -> Manifests.selects(monitor.path("spec").path("selector"), Manifests.strings(s.path("metadata").path("labels"))))
        .toList();
    assertThat(services).as("Services the ServiceMonitor selects").hasSize(1);
    JsonNode port = null;
    for (JsonNode p : services.get(0).path("spec").path("ports")) {
      if (p.path("name").asText().equals(endpoint.path("port").asText())) {
        port = p;
      }
    }
    assertThat(port).as("the scraped port on " + Manifests.name(services.get(0))).isNotNull();
    assertThat(m.resolvePort(port.path("targetPort"))).isEqualTo(m.containerPorts().get("management"));
    assertThat(Manifests.name(services.get(0))).as("the job name the alerts use").isEqualTo("arena-management");
  }

  @Test
  void podAnnotationsPointAPlainPrometheusAtTheManagementPort() {
    for (String overlay : Kustomize.overlays()) {
      Manifests m = Kustomize.overlay(overlay);
      Map<String, String> annotations = Manifests.strings(m.deployment().path("spec").path("template").path("metadata").path("annotations"));
      assertThat(annotations).containsEntry("prometheus.io/scrape", "true")
          .containsEntry("prometheus.io/path", "/metrics")
          .containsEntry("prometheus.io/port", String.valueOf(m.containerPorts().get("management")));
    }
  }

  @Test
  void alertsCoverTheClustersHazards() {
    assertThat(alerts().keySet()).contains("ArenaNodeNotReady", "ArenaUnreachableMembers", "ArenaPersistFailures",
        "ArenaAckLatencyHigh", "ArenaHandOffStorm", "ArenaWakeupsOverdue");
  }

  @Test
  void everyAlertHasARunbookInTheOperationsGuide() {
    String guide = Repository.read("docs/operations.md");
    alerts().forEach((name, rule) -> {
      assertThat(guide).as("docs/operations.md has a section for " + name).contains("\n### " + name + "\n");
      assertThat(rule.path("annotations").path("runbook").asText())
          .isEqualTo("docs/operations.md#" + name.toLowerCase(Locale.ROOT));
      assertThat(rule.path("annotations").path("summary").asText()).isNotBlank();
      assertThat(rule.path("labels").path("severity").asText()).isIn("warning", "critical");
    });
  }

  @Test
  void dashboardIsTheGrafanaJsonFileInAConfigMapForTheSidecar() throws IOException {
    JsonNode map = prod().get("ConfigMap", "arena-dashboard");
    assertThat(map.path("metadata").path("labels").path("grafana_dashboard").asText()).isEqualTo("1");
    String json = map.path("data").path("arena-dashboard.json").asText();
    assertThat(json).isEqualTo(Repository.read("k8s/monitoring/arena-dashboard.json"));
    JsonNode dashboard = new ObjectMapper().readTree(json);
    assertThat(dashboard.path("uid").asText()).isNotBlank();
    assertThat(dashboard.path("title").asText()).isNotBlank();
    int queries = 0;
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        assertThat(target.path("expr").asText()).isNotBlank();
        queries++;
      }
    }
    assertThat(queries).isGreaterThan(10);
  }

  /** Every Arena metric the alerts and the dashboard use is explained to operators. */
  @Test
  void everyArenaMetricUsedIsNamedInTheOperationsGuide() {
    String guide = Repository.read("docs/operations.md");
    assertThat(metricsUsed()).isNotEmpty().allSatisfy(metric ->
        assertThat(guide).as("docs/operations.md names " + metric).contains(metric));
  }

  /** The Arena metric families the alerts and the dashboard query (histogram suffixes removed). */
  static Set<String> metricsUsed() {
    List<String> expressions = new ArrayList<>();
    alerts().values().forEach(rule -> expressions.add(rule.path("expr").asText()));
    expressions.add(Repository.read("k8s/monitoring/arena-dashboard.json"));
    Set<String> metrics = new TreeSet<>();
    for (String expression : expressions) {
      Matcher m = ARENA_METRIC.matcher(expression);
      while (m.find()) {
        metrics.add(m.group(1).replaceAll("_(bucket|count|sum|max)$", ""));
      }
    }
    return metrics;
  }

  static Map<String, JsonNode> alerts() {
    Map<String, JsonNode> alerts = new java.util.LinkedHashMap<>();
    for (JsonNode group : prod().get("PrometheusRule", "arena").path("spec").path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.has("alert")) {
          assertThat(rule.path("expr").asText()).isNotBlank();
          alerts.put(rule.path("alert").asText(), rule);
        }
      }
    }
    return alerts;
  }
}
