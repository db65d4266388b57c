package arena.gateway.kubernetes;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * How this node reaches the Kubernetes API from inside its pod ({@code arena.kubernetes}): the API
 * server from the {@code KUBERNETES_SERVICE_*} variables, the service account's token, CA and
 * namespace from their mounted files, and the pod's own name. Validated at start-up; a wrong value
 * stops the node with a message that names its key.
 */
public record KubernetesSettings(String apiHost, int apiPort, Path tokenPath, Path caPath,
    String namespace, String podName, Duration requestTimeout, int annotatedPods,
    Backoff annotateRetry, Backoff revisionRetry) {

  static final String PATH = "arena.kubernetes";

  /** A DNS-1123 subdomain: what Kubernetes allows in pod, ReplicaSet and namespace names. */
  private static final String OBJECT_NAME = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";

  public KubernetesSettings {
    if (apiHost == null || apiHost.isBlank()) {
      throw new IllegalArgumentException(PATH + ".api-host (KUBERNETES_SERVICE_HOST) must not be empty");
    }
    if (apiPort < 1 || apiPort > 65535) {
      throw new IllegalArgumentException(PATH + ".api-port (KUBERNETES_SERVICE_PORT) must be a port 1-65535, was " + apiPort);
    }
    requireObjectName(namespace, PATH + ".namespace (or the file at " + PATH + ".namespace-path)");
    requireObjectName(podName, PATH + ".pod-name (ARENA_POD_NAME or HOSTNAME)");
    requireReadable(tokenPath, PATH + ".api-token-path");
    requireReadable(caPath, PATH + ".api-ca-path");
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException(PATH + ".request-timeout must be > 0");
    }
    if (annotatedPods < 0) {
      throw new IllegalArgumentException(PATH + ".pod-deletion-cost.annotated-pods must be >= 0, was " + annotatedPods);
    }
  }

  /**
   * Whether this node talks to the Kubernetes API at all: {@code arena.kubernetes.enabled} is
   * {@code on}, or {@code auto} and {@code arena.discovery} is {@code kubernetes-api}.
   */
  public static boolean enabled(Config config) {
    String value = config.getString(PATH + ".enabled").trim().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "on", "true", "yes" -> true;
      case "off", "false", "no" -> false;
      case "auto" -> config.hasPath("arena.discovery") && config.getString("arena.discovery").equals("kubernetes-api");
      default -> throw new IllegalArgumentException(PATH + ".enabled must be auto, on or off, was '" + value + "'");
    };
  }

  public static KubernetesSettings fromConfig(Config root) {
    try {
      Config c = root.getConfig(PATH);
      String namespace = c.getString("namespace").trim();
      if (namespace.isEmpty()) {
        namespace = readNamespace(Path.of(c.getString("namespace-path")));
      }
      return new KubernetesSettings(c.getString("api-host").trim(), c.getInt("api-port"),
          Path.of(c.getString("api-token-path")), Path.of(c.getString("api-ca-path")), namespace,
          c.getString("pod-name").trim(), c.getDuration("request-timeout"),
          c.getInt("pod-deletion-cost.annotated-pods"),
          Backoff.fromConfig(root, PATH + ".pod-deletion-cost.retry"),
          Backoff.fromConfig(root, PATH + ".app-version.retry"));
    } catch (ConfigException e) {
      throw new IllegalArgumentException("invalid configuration: " + e.getMessage(), e);
    }
  }

  /** {@code https://host:port}, with an IPv6 host in brackets (KUBERNETES_SERVICE_HOST may be one). */
  String baseUri() {
    String host = apiHost.contains(":") && !apiHost.startsWith("[") ? "[" + apiHost + "]" : apiHost;
    return "https://" + host + ":" + apiPort;
  }

  String podPath(String pod) {
    return "/api/v1/namespaces/" + namespace + "/pods/" + pod;
  }

  String replicaSetPath(String replicaSet) {
    return "/apis/apps/v1/namespaces/" + namespace + "/replicasets/" + replicaSet;
  }

  /** Kubernetes object names go into URL paths unescaped, so anything else is refused. */
  static boolean isObjectName(String name) {
    return name != null && name.length() <= 253 && name.matches(OBJECT_NAME);
  }

  private static void requireObjectName(String name, String key) {
    if (!isObjectName(name)) {
      throw new IllegalArgumentException(key + " must be a Kubernetes object name (lower-case DNS subdomain), was '" + name + "'");
    }
  }

  private static void requireReadable(Path path, String key) {
    if (!Files.isReadable(path)) {
      throw new IllegalArgumentException(key + ": cannot read " + path
          + " (is the service account token mounted? automountServiceAccountToken must not be false)");
    }
  }

  private static String readNamespace(Path path) {
    try {
      return Files.readString(path).trim();
    } catch (IOException e) {
      throw new IllegalArgumentException(PATH + ".namespace is empty and " + PATH + ".namespace-path ("
          + path + ") cannot be read: " + e.getMessage(), e);
    }
  }
}
