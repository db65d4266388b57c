package arena.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Services, the Ingress, the disruption budget and the network policies around the nodes. */
class NetworkingManifestTest {

  static List<String> overlays() {
    return Kustomize.overlays();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void servicePortsTargetTheContainerPortsOfTheSameName(String overlay) {
    Manifests m = Kustomize.overlay(overlay);
    List<JsonNode> services = nodeServices(m);
    assertThat(services).as("Services in front of the nodes").hasSizeGreaterThanOrEqualTo(2);
    Map<Integer, String> portNames = new LinkedHashMap<>();
    m.containerPorts().forEach((name, port) -> portNames.put(port, name));
    for (JsonNode service : services) {
      for (JsonNode port : service.path("spec").path("ports")) {
        int target = m.resolvePort(port.has("targetPort") ? port.path("targetPort") : port.path("port"));
        String where = Manifests.name(service) + " port " + port.path("name").asText();
        assertThat(portNames).as(where + " targets a container port").containsKey(target);
        assertThat(port.path("name").asText()).as(where).isEqualTo(portNames.get(target));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void playersServiceCarriesOnlyTheHttpPort(String overlay) {
    Manifests m = Kustomize.overlay(overlay);
    JsonNode players = m.get("Service", "arena");
    assertThat(players.path("spec").path("ports")).hasSize(1);
    assertThat(m.resolvePort(players.path("spec").path("ports").get(0).path("targetPort")))
        .isEqualTo(m.containerPorts().get("http"));
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void managementServiceIsHeadlessAndListsPodsThatAreNotReadyYet(String overlay) {
    JsonNode management = Kustomize.overlay(overlay).get("Service", "arena-management");
    assertThat(management.path("spec").path("clusterIP").asText()).isEqualTo("None");
    assertThat(management.path("spec").path("publishNotReadyAddresses").asBoolean()).isTrue();
    List<String> names = new ArrayList<>();
    management.path("spec").path("ports").forEach(p -> names.add(p.path("name").asText()));
    assertThat(names).contains("management");
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void ingressSendsEveryPlayerPathToTheHttpPortWithLongTimeouts(String overlay) {
    Manifests m = Kustomize.overlay(overlay);
    JsonNode ingress = m.get("Ingress", "arena");
    assertThat(ingress.path("spec").path("ingressClassName").asText()).isEqualTo("nginx");
    for (String path : List.of("/api/v1/games", "/ws", "/health", "/")) {
      JsonNode backend = backendFor(ingress, path);
      assertThat(backend).as("a rule for " + path).isNotNull();
      JsonNode service = m.get("Service", backend.path("service").path("name").asText());
      JsonNode wanted = backend.path("service").path("port");
      JsonNode servicePort = null;
      for (JsonNode p : service.path("spec").path("ports")) {
        if (p.path("name").asText().equals(wanted.path("name").asText()) || p.path("port").asInt() == wanted.path("number").asInt(-1)) {
          servicePort = p;
        }
      }
      assertThat(servicePort).as("the Service port the Ingress names").isNotNull();
      assertThat(m.resolvePort(servicePort.path("targetPort"))).isEqualTo(m.containerPorts().get("http"));
    }
    Duration ping = DeploymentManifestTest.nodeConfig(m).getDuration("pekko.http.server.websocket.periodic-keep-alive-max-idle");
    JsonNode annotations = ingress.path("metadata").path("annotations");
    for (String timeout : List.of("proxy-read-timeout", "proxy-send-timeout")) {
      long seconds = annotations.path("nginx.ingress.kubernetes.io/" + timeout).asLong(60);
      assertThat(seconds).as(timeout + " (seconds)").isGreaterThanOrEqualTo(600).isGreaterThan(3 * ping.toSeconds());
    }
  }

  private static JsonNode backendFor(JsonNode ingress, String requestPath) {
    for (JsonNode rule : ingress.path("spec").path("rules")) {
      for (JsonNode p : rule.path("http").path("paths")) {
        String path = p.path("path").asText();
        boolean prefix = p.path("pathType").asText().equals("Prefix")
            && (path.equals("/") || requestPath.equals(path) || requestPath.startsWith(path + "/"));
        if (prefix || requestPath.equals(path)) {
          return p.path("backend");
        }
      }
    }
    return null;
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void disruptionBudgetLetsOneNodeGoAtATime(String overlay) {
    Manifests m = Kustomize.overlay(overlay);
    List<JsonNode> budgets = m.ofKind("PodDisruptionBudget").stream()
        .filter(b -> Manifests.selects(b.path("spec").path("selector"), m.podLabels())).toList();
    assertThat(budgets).hasSize(1);
    JsonNode spec = budgets.get(0).path("spec");
    assertThat(spec.path("maxUnavailable").asText()).isEqualTo("1");
    assertThat(spec.has("minAvailable")).isFalse();
    assertThat(DeploymentManifestTest.smallestReplicaCount(m)).as("replicas, so that one may go").isGreaterThanOrEqualTo(3);
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void onlyArenaPodsReachRemotingAndManagement(String overlay) {
    Manifests m = Kustomize.overlay(overlay);
    Map<Integer, List<String>> peers = allowedPeers(m, m.podLabels(), m.containerPorts());
    String arena = "pods " + Manifests.strings(m.deployment().path("spec").path("selector").path("matchLabels"));
    assertThat(peers.get(m.containerPorts().get("remoting"))).containsExactly(arena);
    assertThat(peers.get(m.containerPorts().get("management"))).contains(arena)
        .allMatch(p -> p.equals(arena) || p.startsWith("namespace {kubernetes.io/metadata.name=monitoring}"));
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void playersPortIsOpenOnlyToTheIngressController(String overlay) {
    Manifests m = Kustomize.overlay(overlay);
    Map<Integer, List<String>> peers = allowedPeers(m, m.podLabels(), m.containerPorts());
    assertThat(peers.get(m.containerPorts().get("http")))
        .isNotEmpty()
        .allMatch(p -> p.startsWith("namespace {kubernetes.io/metadata.name=ingress-nginx}"));
  }

  /** Any PostgreSQL the overlay runs takes connections from Arena's nodes only. */
  @ParameterizedTest
  @MethodSource("overlays")
  void postgresqlInTheClusterIsOpenOnlyToArena(String overlay) {
    Manifests m = Kustomize.overlay(overlay);
    String arena = "pods " + Manifests.strings(m.deployment().path("spec").path("selector").path("matchLabels"));
    for (JsonNode set : m.ofKind("StatefulSet")) {
      JsonNode template = set.path("spec").path("template");
      Map<String, String> labels = Manifests.strings(template.path("metadata").path("labels"));
      Map<String, Integer> ports = new LinkedHashMap<>();
      for (JsonNode c : template.path("spec").path("containers")) {
        for (JsonNode p : c.path("ports")) {
          ports.put(p.path("name").asText(), p.path("containerPort").asInt());
        }
      }
      Map<Integer, List<String>> peers = allowedPeers(m, labels, ports);
      for (int port : ports.values()) {
        assertThat(peers.get(port)).as(Manifests.name(set) + " port " + port).containsExactly(arena);
      }
    }
  }

  /**
   * Who may connect to each port of pods with these labels, from the NetworkPolicies that select
   * them. A port no policy opens stays closed (empty list); the pods must be isolated by at least
   * one policy, and no rule may open every port or admit every source.
   */
  static Map<Integer, List<String>> allowedPeers(Manifests m, Map<String, String> labels, Map<String, Integer> ports) {
    Map<Integer, List<String>> peers = new LinkedHashMap<>();
    ports.values().forEach(p -> peers.put(p, new ArrayList<>()));
    int policies = 0;
    for (JsonNode policy : m.ofKind("NetworkPolicy")) {
      if (!Manifests.selects(policy.path("spec").path("podSelector"), labels)) {
        continue;
      }
      policies++;
      String name = Manifests.name(policy);
      for (JsonNode rule : policy.path("spec").path("ingress")) {
        assertThat(rule.path("ports").size()).as(name + ": a rule without ports opens every port").isPositive();
        assertThat(rule.path("from").size()).as(name + ": a rule without from admits everyone").isPositive();
        for (JsonNode port : rule.path("ports")) {
          int number = port.path("port").isInt() ? port.path("port").asInt() : ports.getOrDefault(port.path("port").asText(), -1);
          assertThat(peers).as(name + " opens port " + port.path("port").asText() + ", which the pods do not have").containsKey(number);
          for (JsonNode from : rule.path("from")) {
            peers.get(number).add(describe(from));
          }
        }
      }
    }
    assertThat(policies).as("network policies selecting " + labels).isPositive();
    return peers;
  }

  private static String describe(JsonNode peer) {
    assertThat(peer.has("ipBlock")).as("ipBlock peers").isFalse();
    StringBuilder s = new StringBuilder();
    if (peer.has("namespaceSelector")) {
      s.append("namespace ").append(Manifests.strings(peer.path("namespaceSelector").path("matchLabels"))
          .toString().replace(", ", ",")).append(' ');
      assertThat(peer.path("namespaceSelector").path("matchLabels").size()).as("a namespaceSelector that selects every namespace").isPositive();
    }
    if (peer.has("podSelector")) {
      s.append("pods ").append(Manifests.strings(peer.path("podSelector").path("matchLabels")));
    }
    return s.toString().trim();
  }

  private static List<JsonNode> nodeServices(Manifests m) {
    return m.ofKind("Service").stream()
        .filter(s -> Manifests.selectsPlain(s.path("spec").path("selector"), m.podLabels())).toList();
  }
}
