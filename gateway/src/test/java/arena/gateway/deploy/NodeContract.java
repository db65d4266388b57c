package arena.gateway.deploy;

import static org.assertj.core.api.Assertions.fail;

import arena.gateway.NodeSettings;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the node expects of its environment, read from the node's own code and configuration, so
 * that the deployment checks follow the code instead of a copy of it.
 */
final class NodeContract {

  /** ARENA-SPEC §7 and issue 5: a graceful leave (ready 503, players told, hand-off, leave) ends within this. */
  static final Duration GRACEFUL_LEAVE_BUDGET = Duration.ofSeconds(30);

  /** The modules inside the node's jar (ARENA-SPEC §1: gateway -> persistence -> game-actors). */
  private static final List<String> NODE_MODULES = List.of("gateway", "persistence", "game-actors");

  private static final Pattern CONF_VARIABLE = Pattern.compile("\\$\\{\\?\\s*(ARENA_[A-Z0-9_]+)\\s*}");
  private static final Pattern JAVA_VARIABLE = Pattern.compile("\"(ARENA_[A-Z0-9_]+)\"");

  private NodeContract() {}

  /**
   * Every ARENA_* environment variable the node reads: the {@code ${?ARENA_...}} substitutions in
   * its configuration files (application.conf maps them onto config keys, which ClusterConfig and
   * the settings classes read), and the variable names its code looks up itself.
   */
  static Set<String> environmentVariables() {
    Set<String> names = new TreeSet<>();
    for (String module : NODE_MODULES) {
      scan(Repository.path(module + "/src/main/resources"), ".conf", CONF_VARIABLE, names);
      scan(Repository.path(module + "/src/main/java"), ".java", JAVA_VARIABLE, names);
    }
    if (!names.contains("ARENA_HOST") || !names.contains("ARENA_DISCOVERY")) {
      fail("the scan of the node's configuration found no ARENA_HOST or ARENA_DISCOVERY, only " + names
          + ": has application.conf moved?");
    }
    return names;
  }

  /** The node's configuration with no environment at all: its defaults. */
  static Config defaults() {
    return withEnvironment(Map.of());
  }

  /**
   * The node's configuration as the node would build it with these environment variables (the
   * same files, and {@code ${?ARENA_...}} taken from {@code env} instead of the real environment).
   */
  static Config withEnvironment(Map<String, String> env) {
    ClassLoader loader = NodeSettings.class.getClassLoader();
    return ConfigFactory.parseMap(env, "environment of a deployment")
        .withFallback(ConfigFactory.parseResources(loader, "application.conf"))
        .withFallback(ConfigFactory.defaultReference(loader))
        .resolve(ConfigResolveOptions.noSystem());
  }

  /**
   * The longest a graceful leave can take: the sum of every coordinated-shutdown phase's timeout
   * (phases run one after another; one with no timeout of its own has the default), after checking
   * that the drain runs first, while players are still served.
   */
  static Duration shutdownPhasesAtTheirLongest(Config config) {
    Config phases = config.getConfig("pekko.coordinated-shutdown.phases");
    Duration fallback = config.getDuration("pekko.coordinated-shutdown.default-phase-timeout");
    if (!phases.getStringList("before-service-unbind.depends-on").contains("arena-drain")) {
      throw new AssertionError("the drain (phase arena-drain) must come before players are told to leave");
    }
    Duration sum = Duration.ZERO;
    for (String phase : phases.root().keySet()) {
      Config one = phases.getConfig("\"" + phase + "\"");
      sum = sum.plus(one.hasPath("timeout") ? one.getDuration("timeout") : fallback);
    }
    return sum;
  }

  static NodeSettings settings(Config config) {
    return NodeSettings.fromConfig(config);
  }

  /**
   * The cluster settings the node derives at start-up (arena.gateway.ClusterConfig, which is
   * package-private: called reflectively). Throws IllegalArgumentException, as the node does, for
   * values the node refuses.
   */
  static Config clusterOverlay(Config config) {
    try {
      Class<?> type = Class.forName("arena.gateway.ClusterConfig");
      Method overlay = type.getDeclaredMethod("overlay", Config.class, NodeSettings.class);
      overlay.setAccessible(true);
      return (Config) overlay.invoke(null, config, NodeSettings.fromConfig(config));
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("arena.gateway.ClusterConfig.overlay(Config, NodeSettings) has changed; "
          + "update NodeContract", e);
    }
  }

  /** How many contact points must be found before a new cluster forms, for this environment. */
  static int requiredContactPoints(Map<String, String> env) {
    return clusterOverlay(withEnvironment(env))
        .getInt("pekko.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr");
  }

  /** The name of the container port where kubernetes-api discovery looks for the management port. */
  static String bootstrapPortName() {
    Config k8s = withEnvironment(Map.of("ARENA_DISCOVERY", "kubernetes-api", "ARENA_HOST", "10.0.0.1"));
    return clusterOverlay(k8s).getString("pekko.management.cluster.bootstrap.contact-point-discovery.port-name");
  }

  /** The label selector kubernetes-api discovery sends with its pod list request. */
  static String bootstrapLabelSelector() {
    Config config = defaults();
    String service = config.getString("pekko.management.cluster.bootstrap.contact-point-discovery.service-name");
    if (service.isBlank()) {
      service = "arena"; // the actor system's name, Pekko's fallback
    }
    return String.format(config.getString("pekko.discovery.kubernetes-api.pod-label-selector"), service);
  }

  /** True when discovery reads the namespace from the service account (the pod's own namespace). */
  static boolean discoveryUsesOwnNamespace() {
    String namespace = defaults().getString("pekko.discovery.kubernetes-api.pod-namespace");
    return namespace.isBlank() || namespace.equals("<pod-namespace>");
  }

  static String readinessPath() {
    return managementPath(defaults().getString("pekko.management.health-checks.readiness-path"));
  }

  static String livenessPath() {
    return managementPath(defaults().getString("pekko.management.health-checks.liveness-path"));
  }

  private static String managementPath(String path) {
    String base = defaults().getString("pekko.management.http.base-path");
    return "/" + (base.isBlank() ? "" : base + "/") + path;
  }

  private static void scan(Path dir, String suffix, Pattern pattern, Set<String> into) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(suffix)).toList()) {
        Matcher m = pattern.matcher(Files.readString(file));
        while (m.find()) {
          into.add(m.group(1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
