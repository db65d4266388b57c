package arena.gateway.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's app version from its Deployment revision, so that a rollback is a rollout too.
 *
 * <p>Sharding allocates shards to the members of the newest {@code pekko.cluster.app-version}.
 * {@code kubectl rollout undo} brings back an old pod template and with it an old version string,
 * which would send every shard back to the pods being replaced. The owning ReplicaSet's
 * {@code deployment.kubernetes.io/revision} annotation, in contrast, only ever rises (an undo gives
 * the restored ReplicaSet the next revision), so in Kubernetes, unless {@code ARENA_APP_VERSION}
 * is set explicitly, the node's version is that revision: pod → {@code ownerReferences} of kind
 * ReplicaSet → ReplicaSet → annotation.
 *
 * <p>The version is the plain revision number, for example {@code "12"}: Pekko's {@code Version}
 * reads a single number as the major version and compares it as a number, so revision 12 is newer
 * than 9 (a string comparison would say otherwise), and operators see the same number as
 * {@code kubectl rollout history}. One Deployment should use one scheme: an explicit
 * {@code ARENA_APP_VERSION=2.1.0} compares as major version 2 against revisions.
 *
 * <p><b>A failure stops start-up</b> (after bounded retries for passing errors) instead of falling
 * back to the configured default. The default is not the pod's real age: if it ranked above the
 * revisions of the running pods it would pull every shard onto the newest-looking pod and then
 * move them again, and if below, shards would avoid the pod during the whole rollout; either way
 * silently. A pod that fails here goes into CrashLoopBackOff, which stalls the rollout while the
 * old pods keep serving and shows the reason in the log: typically missing RBAC (get on pods and
 * on replicasets), or a pod not managed by a Deployment. Setting {@code ARENA_APP_VERSION} turns
 * the lookup off.
 */
public final class AppVersionRevision {

  static final String REVISION_ANNOTATION = "deployment.kubernetes.io/revision";
  static final String EXPLICIT_VERSION_ENV = "ARENA_APP_VERSION";

  private static final Logger log = LoggerFactory.getLogger(AppVersionRevision.class);

  private AppVersionRevision() {}

  /**
   * {@code config} with {@code arena.app-version} and {@code pekko.cluster.app-version} set to the
   * revision when {@link #derive} finds one; otherwise {@code config} itself. Both keys, since the
   * config is already resolved and {@code pekko.cluster.app-version = ${arena.app-version}} no
   * longer follows. When Kubernetes is enabled it validates {@code arena.kubernetes} even if the
   * version is explicit, so that a wrong key stops the node before its actor system starts (the
   * pod deletion cost reads the same settings later).
   */
  public static Config withDerivedVersion(Config config, Map<String, String> env) {
    return derive(config, env)
        .map(version -> ConfigFactory.parseMap(Map.of(
            "arena.app-version", version,
            "pekko.cluster.app-version", version), "ReplicaSet revision (arena.gateway.kubernetes.AppVersionRevision)")
            .withFallback(config))
        .orElse(config);
  }

  /**
   * The app version from the ReplicaSet revision; empty when not in Kubernetes
   * ({@link KubernetesSettings#enabled}), when {@code ARENA_APP_VERSION} is set in {@code env}, or
   * when {@code arena.kubernetes.app-version.from-revision} is off. Blocks while it asks the API.
   *
   * @throws IllegalStateException when the revision cannot be read; the node must not start then
   * @throws IllegalArgumentException when {@code arena.kubernetes} is invalid
   */
  public static Optional<String> derive(Config config, Map<String, String> env) {
    if (!KubernetesSettings.enabled(config)) {
      return Optional.empty();
    }
    KubernetesSettings settings = KubernetesSettings.fromConfig(config); // validated even when not used here
    String explicit = env.get(EXPLICIT_VERSION_ENV);
    if (explicit != null && !explicit.isBlank()) {
      log.info("app version {} set by {}; not reading the ReplicaSet revision", explicit.trim(), EXPLICIT_VERSION_ENV);
      return Optional.empty();
    }
    if (!config.getBoolean(KubernetesSettings.PATH + ".app-version.from-revision")) {
      return Optional.empty();
    }
    return Optional.of(readRevision(new KubernetesApi(settings)));
  }

  /** Reads the revision, retrying what may pass (no answer, 5xx, 408, 409, 429) up to {@code app-version.retry.max-attempts}. */
  static String readRevision(KubernetesApi api) {
    Backoff retry = api.settings().revisionRetry();
    for (int attempt = 1; ; attempt++) {
      try {
        return readRevisionOnce(api);
      } catch (KubernetesApiException | IOException | UncheckedIOException e) {
        if (!KubernetesApi.retryable(e) || attempt >= retry.maxAttempts()) {
          String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
          throw cannotRead(api, why + (KubernetesApi.retryable(e) ? " (after " + attempt + " attempts)" : ""), e);
        }
        Duration delay = retry.delayAfter(attempt);
        log.warn("reading the ReplicaSet revision failed (attempt {} of {}), retrying in {} ms: {}",
            attempt, retry.maxAttempts(), delay.toMillis(), e.toString());
        sleep(delay, api);
      }
    }
  }

  private static String readRevisionOnce(KubernetesApi api) throws IOException {
    KubernetesSettings settings = api.settings();
    try {
      JsonNode pod = api.get(settings.podPath(settings.podName()));
      String replicaSet = owningReplicaSet(pod)
          .orElseThrow(() -> cannotRead(api, "pod " + settings.podName()
              + " has no ownerReference of kind ReplicaSet (is it managed by a Deployment?)", null));
      JsonNode rs = api.get(settings.replicaSetPath(replicaSet));
      String revision = revision(rs)
          .orElseThrow(() -> cannotRead(api, "ReplicaSet " + replicaSet + " has no annotation " + REVISION_ANNOTATION
              + " that is a whole number (is it managed by a Deployment?)", null));
      log.info("app version {}: revision of ReplicaSet {} owning pod {}", revision, replicaSet, settings.podName());
      return revision;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw cannotRead(api, "interrupted", e);
    }
  }

  /** The name of the ReplicaSet that controls {@code pod}, preferring the owner marked {@code controller}. */
  static Optional<String> owningReplicaSet(JsonNode pod) {
    String candidate = null;
    for (JsonNode owner : pod.path("metadata").path("ownerReferences")) {
      String name = owner.path("name").asText("");
      if (owner.path("kind").asText("").equals("ReplicaSet") && KubernetesSettings.isObjectName(name)) {
        if (owner.path("controller").asBoolean(false)) {
          return Optional.of(name);
        }
        candidate = candidate == null ? name : candidate;
      }
    }
    return Optional.ofNullable(candidate);
  }

  /** The ReplicaSet's revision annotation when it is a positive whole number that Pekko's Version can hold. */
  static Optional<String> revision(JsonNode replicaSet) {
    String value = replicaSet.path("metadata").path("annotations").path(REVISION_ANNOTATION).asText("").trim();
    try {
      int revision = Integer.parseInt(value);
      return revision > 0 ? Optional.of(Integer.toString(revision)) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static IllegalStateException cannotRead(KubernetesApi api, String why, Throwable cause) {
    return new IllegalStateException("cannot derive arena.app-version from the ReplicaSet revision of pod "
        + api.settings().podName() + " in namespace " + api.settings().namespace() + ": " + why
        + "; set ARENA_APP_VERSION to choose the version explicitly", cause);
  }

  private static void sleep(Duration delay, KubernetesApi api) {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw cannotRead(api, "interrupted", e);
    }
  }
}
