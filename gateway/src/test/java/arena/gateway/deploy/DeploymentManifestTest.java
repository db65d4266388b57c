package arena.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import arena.gateway.NodeSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Arena Deployment of every overlay agrees with what the node reads, listens on and needs. */
class DeploymentManifestTest {

  static List<String> overlays() {
    return Kustomize.overlays();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void containerPortsAreTheNodesPortsUnderTheirNames(String overlay) {
    Manifests m = Kustomize.overlay(overlay);
    NodeSettings node = NodeContract.settings(nodeConfig(m));
    assertThat(m.containerPorts()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "http", node.httpPort(),
        "management", node.managementPort(),
        "remoting", node.remotingPort()));
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void probesAskTheManagementPortsAliveAndReadyEndpoints(String overlay) {
    Manifests m = Kustomize.overlay(overlay);
    int management = NodeContract.settings(nodeConfig(m)).managementPort();
    JsonNode c = m.container();
    assertProbe(m, c.path("startupProbe"), NodeContract.livenessPath(), management);
    assertProbe(m, c.path("livenessProbe"), NodeContract.livenessPath(), management);
    assertProbe(m, c.path("readinessProbe"), NodeContract.readinessPath(), management);
    // Start-up (schema migration, joining) may take minutes; the liveness probe must not kill it.
    JsonNode startup = c.path("startupProbe");
    assertThat(startup.path("periodSeconds").asInt(10) * startup.path("failureThreshold").asInt(3))
        .as("startup probe budget in seconds").isGreaterThanOrEqualTo(120);
  }

  private static void assertProbe(Manifests m, JsonNode probe, String path, int port) {
    assertThat(probe.isMissingNode()).as("probe present").isFalse();
    assertThat(probe.path("httpGet").path("path").asText()).isEqualTo(path);
    assertThat(m.resolvePort(probe.path("httpGet").path("port"))).as("probe port of " + path).isEqualTo(port);
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void rollsOutOneNewPodBeforeRemovingAnOldOne(String overlay) {
    JsonNode strategy = Kustomize.overlay(overlay).deployment().path("spec").path("strategy");
    assertThat(strategy.path("type").asText()).isEqualTo("RollingUpdate");
    assertThat(strategy.path("rollingUpdate").path("maxSurge").asText()).isEqualTo("1");
    assertThat(strategy.path("rollingUpdate").path("maxUnavailable").asText()).isEqualTo("0");
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void terminationGraceOutlastsPreStopAndTheGracefulLeave(String overlay) {
    Manifests m = Kustomize.overlay(overlay);
    long preStop = preStopSleepSeconds(m.container());
    long grace = m.podSpec().path("terminationGracePeriodSeconds").asLong(30);
    assertThat(grace).as("terminationGracePeriodSeconds")
        .isGreaterThan(preStop + NodeContract.GRACEFUL_LEAVE_BUDGET.toSeconds());
  }

  /**
   * The kubelet kills the pod terminationGracePeriodSeconds after it starts stopping it: by then the
   * preStop delay and every coordinated-shutdown phase at its longest (the drain first) must be
   * over, with room for the JVM's exit.
   */
  @ParameterizedTest
  @MethodSource("overlays")
  void terminationGraceOutlastsPreStopAndEveryShutdownPhaseAtItsLongest(String overlay) {
    Manifests m = Kustomize.overlay(overlay);
    long preStop = preStopSleepSeconds(m.container());
    long grace = m.podSpec().path("terminationGracePeriodSeconds").asLong(30);
    long phases = NodeContract.shutdownPhasesAtTheirLongest(nodeConfig(m)).toSeconds();
    assertThat(phases).as("coordinated-shutdown phases (drain included)").isGreaterThan(30);
    assertThat(grace).as("terminationGracePeriodSeconds against preStop %d s + phases %d s + 5 s for the exit",
        preStop, phases).isGreaterThanOrEqualTo(preStop + phases + 5);
  }

  private static long preStopSleepSeconds(JsonNode container) {
    JsonNode preStop = container.path("lifecycle").path("preStop");
    if (preStop.has("sleep")) {
      return preStop.path("sleep").path("seconds").asLong();
    }
    JsonNode command = preStop.path("exec").path("command");
    if (command.size() == 2 && command.get(0).asText().equals("sleep")) {
      return Long.parseLong(command.get(1).asText());
    }
    assertThat(preStop.isMissingNode()).as("a preStop hook other than sleep: its length is unknown").isTrue();
    return 0;
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void everyArenaVariableIsOneTheNodeReads(String overlay) {
    Manifests m = Kustomize.overlay(overlay);
    Set<String> set = new TreeSet<>();
    for (String name : m.env().keySet()) {
      assertThat(set.add(name)).as(name + " set twice").isTrue();
    }
    for (String name : m.envFromConfigMaps().keySet()) {
      assertThat(set.add(name)).as(name + " set both in env and through the ConfigMap").isTrue();
    }
    Set<String> arena = new TreeSet<>(set);
    arena.removeIf(name -> !name.startsWith("ARENA_"));
    assertThat(NodeContract.environmentVariables()).as("variables the node reads").containsAll(arena);
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void settingsAreValuesTheNodeAccepts(String overlay) {
    Config config = nodeConfig(Kustomize.overlay(overlay));
    NodeContract.settings(config);
    NodeContract.clusterOverlay(config);
    assertThat(config.getDuration("arena.auth.token-ttl")).isPositive();
    assertThat(config.getDuration("arena.session.waiting-expiry")).isPositive();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void nodeAdvertisesThePodIpAndKnowsItsPodAndDiscoversPeersThroughTheKubernetesApi(String overlay) {
    Map<String, JsonNode> env = Kustomize.overlay(overlay).env();
    assertThat(env.get("ARENA_HOST").path("valueFrom").path("fieldRef").path("fieldPath").asText())
        .isEqualTo("status.podIP");
    assertThat(env.get("ARENA_DISCOVERY").path("value").asText()).isEqualTo("kubernetes-api");
    assertThat(env.get("ARENA_POD_NAME")).as("ARENA_POD_NAME").isNotNull();
    assertThat(env.get("ARENA_POD_NAME").path("valueFrom").path("fieldRef").path("fieldPath").asText())
        .isEqualTo("metadata.name");
  }

  /**
   * The app version comes from the ReplicaSet's revision (issue 5): ARENA_APP_VERSION stays unset,
   * the node may read its pod and ReplicaSet, and old ReplicaSets are kept for rollbacks.
   */
  @ParameterizedTest
  @MethodSource("overlays")
  void appVersionRisesWithEveryRolloutAndRollback(String overlay) {
    Manifests m = Kustomize.overlay(overlay);
    assertThat(m.env()).doesNotContainKey("ARENA_APP_VERSION");
    assertThat(m.envFromConfigMaps()).doesNotContainKey("ARENA_APP_VERSION");
    assertThat(RbacManifestTest.grants(m)).contains("/pods/get", "apps/replicasets/get");
    assertThat(m.deployment().path("spec").path("revisionHistoryLimit").asInt(10)).isGreaterThan(0);
    assertThat(m.podSpec().path("automountServiceAccountToken").asBoolean(true)).isTrue();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void secretsComeFromSecretsAndNeverFromTheConfigMap(String overlay) {
    Manifests m = Kustomize.overlay(overlay);
    for (String name : List.of("ARENA_AUTH_SECRET", "ARENA_DB_URL", "ARENA_DB_USER", "ARENA_DB_PASSWORD")) {
      JsonNode ref = m.env().get(name);
      assertThat(ref).as(name).isNotNull();
      assertThat(ref.path("valueFrom").has("secretKeyRef")).as(name + " from a Secret").isTrue();
      JsonNode key = ref.path("valueFrom").path("secretKeyRef");
      m.secret(key.path("name").asText()).ifPresent(data ->
          assertThat(data).as("Secret " + key.path("name").asText()).containsKey(key.path("key").asText()));
    }
    assertThat(m.envFromConfigMaps().keySet()).noneMatch(k -> k.contains("SECRET") || k.contains("PASSWORD"));
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void heapIsSizedFromTheContainersMemoryLimit(String overlay) {
    Manifests m = Kustomize.overlay(overlay);
    JsonNode resources = m.container().path("resources");
    for (String kind : List.of("requests", "limits")) {
      assertThat(resources.path(kind).has("cpu")).as(kind + ".cpu").isTrue();
      assertThat(resources.path(kind).has("memory")).as(kind + ".memory").isTrue();
    }
    long limit = bytes(resources.path("limits").path("memory").asText());
    assertThat(bytes(resources.path("requests").path("memory").asText()))
        .as("memory request equals the limit (the heap is sized from the limit)").isEqualTo(limit);
    String options = m.env().get("JAVA_TOOL_OPTIONS").path("value").asText();
    Matcher percent = Pattern.compile("-XX:MaxRAMPercentage=([0-9.]+)").matcher(options);
    assertThat(percent.find()).as("JAVA_TOOL_OPTIONS sets MaxRAMPercentage: " + options).isTrue();
    double heap = limit * Double.parseDouble(percent.group(1)) / 100;
    assertThat(limit - heap).as("bytes left off the heap for metaspace, stacks and buffers")
        .isGreaterThanOrEqualTo(256.0 * 1024 * 1024);
    assertThat(options).contains("-XX:+ExitOnOutOfMemoryError");
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void podsSpreadAcrossZonesAndNodes(String overlay) {
    Manifests m = Kustomize.overlay(overlay);
    List<String> keys = new ArrayList<>();
    for (JsonNode constraint : m.podSpec().path("topologySpreadConstraints")) {
      assertThat(Manifests.selects(constraint.path("labelSelector"), m.podLabels())).isTrue();
      assertThat(constraint.path("maxSkew").asInt()).isEqualTo(1);
      keys.add(constraint.path("topologyKey").asText());
    }
    assertThat(keys).contains("topology.kubernetes.io/zone", "kubernetes.io/hostname");
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void securityContextIsHardened(String overlay) {
    Manifests m = Kustomize.overlay(overlay);
    JsonNode pod = m.podSpec().path("securityContext");
    JsonNode c = m.container().path("securityContext");
    assertThat(c.path("runAsNonRoot").asBoolean() || pod.path("runAsNonRoot").asBoolean()).as("runAsNonRoot").isTrue();
    long uid = c.path("runAsUser").asLong(pod.path("runAsUser").asLong(0));
    assertThat(uid).as("runAsUser").isPositive().isEqualTo(DockerfileTest.runtimeUid());
    assertThat(c.path("allowPrivilegeEscalation").asBoolean(true)).as("allowPrivilegeEscalation").isFalse();
    assertThat(c.path("privileged").asBoolean(false)).as("privileged").isFalse();
    assertThat(c.path("readOnlyRootFilesystem").asBoolean()).as("readOnlyRootFilesystem").isTrue();
    assertThat(c.path("capabilities").path("drop").toString()).as("capabilities.drop").isEqualTo("[\"ALL\"]");
    assertThat(c.path("capabilities").path("add").size()).as("capabilities.add").isZero();
    String seccomp = c.path("seccompProfile").path("type").asText(pod.path("seccompProfile").path("type").asText());
    assertThat(seccomp).isEqualTo("RuntimeDefault");
    for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
      assertThat(m.podSpec().path(host).asBoolean(false)).as(host).isFalse();
    }
    assertThat(writableTmp(m)).as("/tmp is a writable emptyDir").isTrue();
  }

  private static boolean writableTmp(Manifests m) {
    for (JsonNode mount : m.container().path("volumeMounts")) {
      if (mount.path("mountPath").asText().equals("/tmp") && !mount.path("readOnly").asBoolean(false)) {
        for (JsonNode volume : m.podSpec().path("volumes")) {
          if (volume.path("name").asText().equals(mount.path("name").asText()) && volume.has("emptyDir")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * Kubernetes injects ARENA_*_PORT=tcp://... and ARENA_*_SERVICE_HOST for every Service named
   * arena-*, and ARENA_MANAGEMENT_PORT is a variable the node reads: service links must be off.
   */
  @ParameterizedTest
  @MethodSource("overlays")
  void serviceLinkVariablesCannotShadowTheNodesVariables(String overlay) {
    assertThat(Kustomize.overlay(overlay).podSpec().path("enableServiceLinks").asBoolean(true)).isFalse();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void requiredContactPointsAreAMajorityOfTheSmallestCluster(String overlay) {
    Manifests m = Kustomize.overlay(overlay);
    int required = NodeContract.requiredContactPoints(nodeEnvironment(m));
    int smallest = smallestReplicaCount(m);
    assertThat(required).as("required contact points").isLessThanOrEqualTo(smallest);
    assertThat(2 * required).as("twice the required contact points").isGreaterThan(smallest);
  }

  /** The fewest pods the overlay runs: the HorizontalPodAutoscaler's minimum, or the replica count. */
  static int smallestReplicaCount(Manifests m) {
    for (JsonNode hpa : m.ofKind("HorizontalPodAutoscaler")) {
      if (hpa.path("spec").path("scaleTargetRef").path("name").asText().equals(Manifests.NODE)) {
        return hpa.path("spec").path("minReplicas").asInt(1);
      }
    }
    return m.deployment().path("spec").path("replicas").asInt(1);
  }

  /** The node's configuration with the environment this Deployment gives it. */
  static Config nodeConfig(Manifests m) {
    return NodeContract.withEnvironment(nodeEnvironment(m));
  }

  /**
   * The variables a pod of this Deployment gets, with stand-ins where Kubernetes fills them in: a pod
   * IP, a pod name, and Secret values where the overlay does not render the Secret (production's).
   */
  static Map<String, String> nodeEnvironment(Manifests m) {
    Map<String, String> env = new LinkedHashMap<>(m.envFromConfigMaps());
    m.env().forEach((name, e) -> {
      JsonNode from = e.path("valueFrom");
      if (e.has("value")) {
        env.put(name, e.path("value").asText());
      } else if (from.path("fieldRef").path("fieldPath").asText().equals("status.podIP")) {
        env.put(name, "10.0.0.1");
      } else if (from.path("fieldRef").path("fieldPath").asText().equals("metadata.name")) {
        env.put(name, "arena-5d8f7c9b4-x2k7q");
      } else if (from.has("secretKeyRef")) {
        JsonNode ref = from.path("secretKeyRef");
        env.put(name, m.secret(ref.path("name").asText())
            .map(data -> data.get(ref.path("key").asText()))
            .orElse(name.equals("ARENA_DB_URL") ? "jdbc:postgresql://db.example.com:5432/arena" : "x".repeat(40)));
      }
    });
    return env;
  }

  /** Kubernetes quantities for memory (Ki, Mi, Gi, k, M, G, plain bytes). */
  static long bytes(String quantity) {
    Matcher m = Pattern.compile("([0-9]+)([KMGT]i?|k)?").matcher(quantity);
    assertThat(m.matches()).as("memory quantity " + quantity).isTrue();
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "" : m.group(2);
    return switch (unit) {
      case "" -> n;
      case "k", "K" -> n * 1000;
      case "M" -> n * 1000_000;
      case "G" -> n * 1000_000_000;
      case "Ki" -> n << 10;
      case "Mi" -> n << 20;
      case "Gi" -> n << 30;
      case "Ti" -> n << 40;
      default -> throw new IllegalArgumentException(quantity);
    };
  }
}
