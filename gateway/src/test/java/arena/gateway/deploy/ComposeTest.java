package arena.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import arena.gateway.NodeSettings;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docker/compose.yml and docker/nginx.conf: PostgreSQL, three nodes that form one cluster, nginx. */
class ComposeTest {

  private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::?-([^}]*))?}");

  private static JsonNode compose() {
    try {
      return Kustomize.YAML.readTree(Repository.read("docker/compose.yml"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Arena nodes: services built from docker/Dockerfile. */
  private static Map<String, JsonNode> nodes() {
    Map<String, JsonNode> nodes = new LinkedHashMap<>();
    compose().path("services").fields().forEachRemaining(s -> {
      if (s.getValue().path("build").path("dockerfile").asText().equals("docker/Dockerfile")) {
        nodes.put(s.getKey(), s.getValue());
      }
    });
    return nodes;
  }

  private static Map.Entry<String, JsonNode> serviceWithImage(String prefix) {
    var services = compose().path("services").fields();
    while (services.hasNext()) {
      var service = services.next();
      if (service.getValue().path("image").asText().startsWith(prefix)) {
        return service;
      }
    }
    throw new AssertionError("compose.yml has no service with an image " + prefix + "*");
  }

  @Test
  void runsPostgresqlThreeNodesAndNginx() {
    assertThat(nodes()).hasSize(3);
    serviceWithImage("postgres:");
    serviceWithImage("nginx:");
  }

  @Test
  void nodesAreBuiltFromTheRepositoryWithTheDockerfile() {
    for (JsonNode node : nodes().values()) {
      Path context = Repository.path("docker").resolve(node.path("build").path("context").asText()).normalize();
      assertThat(context).isEqualTo(Repository.root());
      assertThat(context.resolve(node.path("build").path("dockerfile").asText())).isRegularFile();
    }
  }

  @Test
  void everyArenaVariableIsOneTheNodeReads() {
    Set<String> set = new TreeSet<>();
    compose().path("services").forEach(service -> set.addAll(environment(service).keySet()));
    set.removeIf(name -> !name.startsWith("ARENA_"));
    assertThat(set).isNotEmpty();
    assertThat(NodeContract.environmentVariables()).containsAll(set);
  }

  @Test
  void nodesBootstrapOneClusterThroughEachOthersManagementPorts() {
    Map<String, JsonNode> nodes = nodes();
    Set<String> everyManagementPort = new TreeSet<>();
    nodes.forEach((name, node) -> {
      Map<String, String> env = environment(node);
      NodeSettings settings = NodeContract.settings(NodeContract.withEnvironment(env));
      assertThat(settings.host()).as(name + " advertises its own service name").isEqualTo(name);
      assertThat(node.path("hostname").asText(name)).isEqualTo(name);
      everyManagementPort.add(settings.host() + ":" + settings.managementPort());
    });
    nodes.forEach((name, node) -> {
      Map<String, String> env = environment(node);
      assertThat(env.get("ARENA_DISCOVERY")).as(name).isEqualTo("config");
      Set<String> contactPoints = new TreeSet<>(List.of(env.get("ARENA_CONTACT_POINTS").split("\\s*,\\s*")));
      assertThat(contactPoints).as(name + "'s contact points").isEqualTo(everyManagementPort);
      int required = NodeContract.requiredContactPoints(env);
      assertThat(required).as(name + " required contact points").isLessThanOrEqualTo(nodes.size());
      assertThat(2 * required).as("a majority").isGreaterThan(nodes.size());
      NodeContract.clusterOverlay(NodeContract.withEnvironment(env));
    });
  }

  @Test
  void nodesShareOneTokenSecretLongEnoughForTheNode() {
    Set<String> secrets = new TreeSet<>();
    nodes().values().forEach(node -> secrets.add(environment(node).get("ARENA_AUTH_SECRET")));
    assertThat(secrets).hasSize(1);
    assertThat(secrets.iterator().next().getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSizeGreaterThanOrEqualTo(32);
  }

  @Test
  void nodesUseTheComposePostgresqlOnceItIsHealthy() {
    var postgres = serviceWithImage("postgres:");
    Map<String, String> pg = environment(postgres.getValue());
    assertThat(postgres.getValue().path("healthcheck").path("test").isMissingNode()).as("a health check").isFalse();
    assertThat(postgres.getValue().path("volumes").toString()).as("data on a named volume").contains(":/var/lib/postgresql/data");
    nodes().forEach((name, node) -> {
      Map<String, String> env = environment(node);
      URI url = URI.create(env.get("ARENA_DB_URL").substring("jdbc:".length()));
      assertThat(url.getHost()).as(name).isEqualTo(postgres.getKey());
      assertThat(url.getPort()).isEqualTo(5432);
      assertThat(url.getPath()).isEqualTo("/" + pg.get("POSTGRES_DB"));
      assertThat(env.get("ARENA_DB_USER")).isEqualTo(pg.get("POSTGRES_USER"));
      assertThat(env.get("ARENA_DB_PASSWORD")).isEqualTo(pg.get("POSTGRES_PASSWORD"));
      assertThat(node.path("depends_on").path(postgres.getKey()).path("condition").asText()).isEqualTo("service_healthy");
    });
  }

  @Test
  void stopGracePeriodOutlastsTheGracefulLeave() {
    nodes().forEach((name, node) ->
        assertThat(duration(node.path("stop_grace_period").asText("10s"))).as(name)
            .isGreaterThan(NodeContract.GRACEFUL_LEAVE_BUDGET));
  }

  @Test
  void stopGracePeriodOutlastsEveryShutdownPhaseAtItsLongest() {
    java.time.Duration phases = NodeContract.shutdownPhasesAtTheirLongest(NodeContract.defaults());
    nodes().forEach((name, node) ->
        assertThat(duration(node.path("stop_grace_period").asText("10s"))).as(name)
            .isGreaterThan(phases));
  }

  @Test
  void nodesPublishTheirManagementPortsOnDistinctHostPorts() {
    Set<String> hostPorts = new TreeSet<>();
    nodes().forEach((name, node) -> {
      int management = NodeContract.settings(NodeContract.withEnvironment(environment(node))).managementPort();
      List<String> published = new ArrayList<>();
      node.path("ports").forEach(p -> published.add(p.asText()));
      assertThat(published).as(name).anyMatch(p -> p.endsWith(":" + management));
      published.forEach(p -> assertThat(hostPorts.add(p.substring(0, p.lastIndexOf(':')))).as("host port of " + p).isTrue());
    });
  }

  @Test
  void nginxSpreadsPlayersOverEveryNodeWithWebSocketUpgrade() throws IOException {
    var nginx = serviceWithImage("nginx:");
    String mount = nginx.getValue().path("volumes").get(0).asText();
    assertThat(mount).endsWith(":/etc/nginx/nginx.conf:ro");
    Path conf = Repository.path("docker").resolve(mount.substring(0, mount.indexOf(':'))).normalize();
    String text = Files.readString(conf);

    Set<String> nodesHttp = new TreeSet<>();
    nodes().values().forEach(node -> {
      NodeSettings settings = NodeContract.settings(NodeContract.withEnvironment(environment(node)));
      nodesHttp.add(settings.host() + ":" + settings.httpPort());
    });
    Matcher upstream = Pattern.compile("upstream\\s+(\\w+)\\s*\\{([^}]*)}").matcher(text);
    assertThat(upstream.find()).as("an upstream block").isTrue();
    Set<String> servers = new TreeSet<>();
    Matcher server = Pattern.compile("(?m)^\\s*server\\s+(\\S+)").matcher(upstream.group(2));
    while (server.find()) {
      servers.add(server.group(1).replace(";", ""));
    }
    assertThat(servers).isEqualTo(nodesHttp);
    assertThat(text).contains("proxy_pass http://" + upstream.group(1) + ";")
        .contains("proxy_http_version 1.1;")
        .contains("proxy_set_header Upgrade $http_upgrade;")
        .containsPattern("proxy_set_header Connection \\$connection_upgrade;")
        .containsPattern("map \\$http_upgrade \\$connection_upgrade");
    Matcher timeout = Pattern.compile("proxy_read_timeout\\s+(\\d+)s;").matcher(text);
    assertThat(timeout.find()).isTrue();
    assertThat(Long.parseLong(timeout.group(1))).isGreaterThanOrEqualTo(600);
    assertThat(nginx.getValue().path("ports")).isNotEmpty();
  }

  /** A service's environment (map or list form), with compose's ${VAR:-default} taken at its default. */
  static Map<String, String> environment(JsonNode service) {
    Map<String, String> env = new LinkedHashMap<>();
    JsonNode environment = service.path("environment");
    if (environment.isArray()) {
      environment.forEach(e -> {
        String[] kv = e.asText().split("=", 2);
        env.put(kv[0], kv.length > 1 ? kv[1] : "");
      });
    } else {
      environment.fields().forEachRemaining(f -> env.put(f.getKey(), f.getValue().asText()));
    }
    env.replaceAll((k, v) -> INTERPOLATION.matcher(v).replaceAll(m -> Matcher.quoteReplacement(m.group(2) == null ? "" : m.group(2))));
    return env;
  }

  private static Duration duration(String compose) {
    Matcher m = Pattern.compile("(\\d+)(ms|s|m|h)").matcher(compose);
    Duration total = Duration.ZERO;
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      });
    }
    return total;
  }
}
