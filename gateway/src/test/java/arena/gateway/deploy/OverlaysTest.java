package arena.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every overlay renders with kubectl kustomize, and dev and prod differ as they should. */
class OverlaysTest {

  static List<String> overlays() {
    return Kustomize.overlays();
  }

  @Test
  void devAndProdOverlaysExist() {
    assertThat(overlays()).contains("dev", "prod");
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void overlayRendersEverythingANodeNeeds(String overlay) {
    Manifests m = Kustomize.overlay(overlay);
    for (String kind : List.of("Namespace", "Deployment", "ServiceAccount", "Role", "RoleBinding", "Service",
        "Ingress", "PodDisruptionBudget", "NetworkPolicy", "ConfigMap")) {
      assertThat(m.ofKind(kind)).as(overlay + " renders a " + kind).isNotEmpty();
    }
    String namespace = Manifests.name(m.ofKind("Namespace").get(0));
    for (JsonNode o : m.objects()) {
      if (!o.path("kind").asText().equals("Namespace")) {
        assertThat(o.path("metadata").path("namespace").asText()).as(o.path("kind").asText() + " " + Manifests.name(o))
            .isEqualTo(namespace);
      }
    }
    assertThat(m.ofKind("Namespace").get(0).path("metadata").path("labels").path("pod-security.kubernetes.io/enforce").asText())
        .isEqualTo("restricted");
  }

  @Test
  void devRunsThreeNodesOnAPostgresqlWithAVolume() {
    Manifests dev = Kustomize.overlay("dev");
    assertThat(dev.deployment().path("spec").path("replicas").asInt()).isEqualTo(3);
    JsonNode postgres = dev.ofKind("StatefulSet").get(0);
    JsonNode claim = postgres.path("spec").path("volumeClaimTemplates").get(0);
    assertThat(claim).as("a volume claim template").isNotNull();
    String claimName = claim.path("metadata").path("name").asText();
    boolean mounted = false;
    for (JsonNode c : postgres.path("spec").path("template").path("spec").path("containers")) {
      for (JsonNode mount : c.path("volumeMounts")) {
        mounted |= mount.path("name").asText().equals(claimName) && mount.path("mountPath").asText().startsWith("/var/lib/postgresql");
      }
    }
    assertThat(mounted).as("the claim holds PostgreSQL's data").isTrue();

    // The nodes' database URL names the PostgreSQL Service and its port.
    Map<String, String> env = DeploymentManifestTest.nodeEnvironment(dev);
    URI url = URI.create(env.get("ARENA_DB_URL").substring("jdbc:".length()));
    JsonNode service = dev.get("Service", url.getHost());
    assertThat(Manifests.selectsPlain(service.path("spec").path("selector"),
        Manifests.strings(postgres.path("spec").path("template").path("metadata").path("labels")))).isTrue();
    assertThat(service.path("spec").path("ports").findValues("port").stream().map(JsonNode::asInt)).contains(url.getPort());
  }

  @Test
  void devIsSmallerThanProd() {
    long dev = DeploymentManifestTest.bytes(Kustomize.overlay("dev").container().path("resources").path("limits").path("memory").asText());
    long prod = DeploymentManifestTest.bytes(Kustomize.overlay("prod").container().path("resources").path("limits").path("memory").asText());
    assertThat(dev).isLessThan(prod);
  }

  @Test
  void prodTakesItsDatabaseAndSecretsFromOutsideAndAutoscales() {
    Manifests prod = Kustomize.overlay("prod");
    assertThat(prod.ofKind("StatefulSet")).as("no database in the cluster").isEmpty();
    assertThat(prod.ofKind("Secret")).as("no secrets in the repository").isEmpty();
    JsonNode hpa = prod.get("HorizontalPodAutoscaler", "arena");
    JsonNode target = hpa.path("spec").path("scaleTargetRef");
    assertThat(target.path("kind").asText()).isEqualTo("Deployment");
    assertThat(target.path("name").asText()).isEqualTo(Manifests.name(prod.deployment()));
    assertThat(hpa.path("spec").path("maxReplicas").asInt()).isGreaterThan(hpa.path("spec").path("minReplicas").asInt());
    assertThat(hpa.path("spec").path("minReplicas").asInt())
        .as("more nodes than dev").isGreaterThan(Kustomize.overlay("dev").deployment().path("spec").path("replicas").asInt());
    assertThat(prod.deployment().path("spec").has("replicas"))
        .as("replicas left to the autoscaler, so an apply does not undo its choice").isFalse();
  }
}
