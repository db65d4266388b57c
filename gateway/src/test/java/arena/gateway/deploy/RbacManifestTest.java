package arena.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The node's service account may make exactly the Kubernetes API calls the node makes. */
class RbacManifestTest {

  /**
   * The node's calls, as "apiGroup/resource/verb", all in its own namespace:
   * kubernetes-api discovery lists pods by label (pekko-discovery-kubernetes-api 1.1 sends one
   * GET of the pod list, no watch); the pod-deletion-cost annotator patches its own pod; the
   * app-version derivation gets its own pod and the owning ReplicaSet. No leases: the split brain
   * resolver is keep-majority.
   */
  static final Set<String> NODE_API_CALLS = Set.of(
      "/pods/list",
      "/pods/patch",
      "/pods/get",
      "apps/replicasets/get");

  static List<String> overlays() {
    return Kustomize.overlays();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void roleGrantsExactlyTheNodesApiCalls(String overlay) {
    assertThat(grants(Kustomize.overlay(overlay))).containsExactlyInAnyOrderElementsOf(NODE_API_CALLS);
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void roleIsBoundToTheServiceAccountTheNodesRunAs(String overlay) {
    Manifests m = Kustomize.overlay(overlay);
    String account = m.podSpec().path("serviceAccountName").asText();
    assertThat(account).isNotBlank().isNotEqualTo("default");
    String namespace = m.deployment().path("metadata").path("namespace").asText();
    List<JsonNode> bindings = m.ofKind("RoleBinding");
    assertThat(bindings).hasSize(1);
    JsonNode binding = bindings.get(0);
    assertThat(binding.path("roleRef").path("kind").asText()).isEqualTo("Role");
    m.get("Role", binding.path("roleRef").path("name").asText());
    assertThat(binding.path("subjects")).hasSize(1);
    JsonNode subject = binding.path("subjects").get(0);
    assertThat(subject.path("kind").asText()).isEqualTo("ServiceAccount");
    assertThat(subject.path("name").asText()).isEqualTo(account);
    assertThat(subject.path("namespace").asText()).isEqualTo(namespace);
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void grantsNothingBeyondItsNamespace(String overlay) {
    Manifests m = Kustomize.overlay(overlay);
    assertThat(m.ofKind("ClusterRole")).isEmpty();
    assertThat(m.ofKind("ClusterRoleBinding")).isEmpty();
  }

  /** Every (apiGroup, resource, verb) the overlay's Roles grant; resourceNames are not used. */
  static Set<String> grants(Manifests m) {
    Set<String> grants = new TreeSet<>();
    for (JsonNode role : m.ofKind("Role")) {
      for (JsonNode rule : role.path("rules")) {
        assertThat(rule.has("resourceNames")).as("resourceNames (pod names are not known in advance)").isFalse();
        assertThat(rule.has("nonResourceURLs")).isFalse();
        for (JsonNode group : rule.path("apiGroups")) {
          for (JsonNode resource : rule.path("resources")) {
            for (JsonNode verb : rule.path("verbs")) {
              grants.add(group.asText() + "/" + resource.asText() + "/" + verb.asText());
            }
          }
        }
      }
    }
    return grants;
  }
}
