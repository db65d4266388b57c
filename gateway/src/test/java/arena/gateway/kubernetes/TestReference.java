package arena.gateway.kubernetes;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * The {@code arena.kubernetes} block proposed for the gateway's {@code reference.conf}, so these
 * tests run against the documented defaults; {@code KubernetesSettingsTest} checks that the real
 * reference.conf, once it has the block, says the same.
 */
final class TestReference {

  static final String HOCON = """
      arena.kubernetes {
        # Talk to the Kubernetes API (pod deletion cost, app version from the ReplicaSet revision):
        # auto = only when arena.discovery = kubernetes-api; on; off.
        enabled = auto
        # The API server; inside a pod Kubernetes sets KUBERNETES_SERVICE_HOST and
        # KUBERNETES_SERVICE_PORT (mapped in application.conf). Always HTTPS.
        api-host = ""
        api-port = 443
        # The pod's service account, as Kubernetes mounts it. The token is re-read for every request,
        # since the kubelet rotates it.
        api-token-path = "/var/run/secrets/kubernetes.io/serviceaccount/token"
        api-ca-path = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"
        namespace-path = "/var/run/secrets/kubernetes.io/serviceaccount/namespace"
        # The pod's namespace; empty = read from namespace-path.
        namespace = ""
        # This pod's name (ARENA_POD_NAME from the downward API, else HOSTNAME; see application.conf).
        pod-name = ""
        # Per request to the API server, also the connect timeout.
        request-timeout = 10s

        # Annotates this pod with controller.kubernetes.io/pod-deletion-cost by member age, so that
        # a scale-down or rollout removes the oldest members (shard coordinator, singletons) last.
        # Needs RBAC patch on pods.
        pod-deletion-cost {
          enabled = on
          # The oldest this-many members get costs annotated-pods..1 (oldest highest); others 0.
          annotated-pods = 3
          # A failed PATCH (no answer, 5xx, 408, 409, 429) is retried after min-backoff, doubling up
          # to max-backoff, plus up to random-factor of it; after max-attempts attempts in all it
          # gives up with an ERROR until membership changes again. Other 4xx are not retried.
          retry {
            min-backoff = 1s
            max-backoff = 30s
            random-factor = 0.2
            max-attempts = 8
          }
        }

        # When ARENA_APP_VERSION is not set, arena.app-version and pekko.cluster.app-version are the
        # deployment.kubernetes.io/revision of the ReplicaSet that owns this pod, read before the
        # node starts; if it cannot be read the node does not start. Needs RBAC get on pods and on
        # replicasets (group apps).
        app-version {
          from-revision = on
          # Retries of passing errors as above; the node waits for them before it starts.
          retry {
            min-backoff = 500ms
            max-backoff = 4s
            random-factor = 0.2
            max-attempts = 6
          }
        }
      }
      """;

  private TestReference() {}

  static Config config() {
    return ConfigFactory.parseString(HOCON);
  }
}
