package arena.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kubernetes-api discovery finds exactly the Arena pods, and finds their management port where
 * Cluster Bootstrap looks for it.
 */
class ClusterBootstrapManifestTest {

  static List<String> overlays() {
    return Kustomize.overlays();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void bootstrapLabelSelectorSelectsTheDeploymentsPods(String overlay) {
    Manifests m = Kustomize.overlay(overlay);
    String selector = NodeContract.bootstrapLabelSelector();
    assertThat(matches(selector, m.podLabels())).as(selector + " selects " + m.podLabels()).isTrue();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void bootstrapLabelSelectorSelectsNoOtherPods(String overlay) {
    Manifests m = Kustomize.overlay(overlay);
    String selector = NodeContract.bootstrapLabelSelector();
    m.podTemplates().forEach((workload, template) -> {
      if (!workload.equals("Deployment/" + Manifests.NODE)) {
        Map<String, String> labels = Manifests.strings(template.path("metadata").path("labels"));
        assertThat(matches(selector, labels)).as(workload + " must not look like an Arena node to " + selector).isFalse();
      }
    });
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void deploymentSelectsItsOwnPods(String overlay) {
    Manifests m = Kustomize.overlay(overlay);
    assertThat(Manifests.selects(m.deployment().path("spec").path("selector"), m.podLabels())).isTrue();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void managementPortCarriesTheNameBootstrapLooksFor(String overlay) {
    Manifests m = Kustomize.overlay(overlay);
    int management = NodeContract.settings(DeploymentManifestTest.nodeConfig(m)).managementPort();
    assertThat(m.containerPorts()).containsEntry(NodeContract.bootstrapPortName(), management);
  }

  /** Discovery asks for pods in the namespace of the service account it reads its token from. */
  @ParameterizedTest
  @MethodSource("overlays")
  void discoveryLooksInThePodsOwnNamespaceWithItsServiceAccount(String overlay) {
    Manifests m = Kustomize.overlay(overlay);
    assertThat(NodeContract.discoveryUsesOwnNamespace()).isTrue();
    String account = m.podSpec().path("serviceAccountName").asText();
    JsonNode sa = m.get("ServiceAccount", account);
    boolean mounted = m.podSpec().path("automountServiceAccountToken")
        .asBoolean(sa.path("automountServiceAccountToken").asBoolean(true));
    assertThat(mounted).as("the service account token is mounted").isTrue();
    String namespace = m.deployment().path("metadata").path("namespace").asText();
    assertThat(sa.path("metadata").path("namespace").asText()).isEqualTo(namespace);
  }

  /** Equality-based Kubernetes label selectors: {@code a=b,c==d,e!=f}. */
  static boolean matches(String selector, Map<String, String> labels) {
    Map<String, String> equal = new LinkedHashMap<>();
    Map<String, String> notEqual = new LinkedHashMap<>();
    for (String term : selector.split(",")) {
      String t = term.trim();
      if (t.contains("!=")) {
        notEqual.put(t.substring(0, t.indexOf("!=")).trim(), t.substring(t.indexOf("!=") + 2).trim());
      } else if (t.contains("=")) {
        equal.put(t.substring(0, t.indexOf('=')).trim(), t.substring(t.lastIndexOf('=') + 1).trim());
      } else {
        fail("unsupported label selector term '" + t + "' in " + selector);
      }
    }
    return equal.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())))
        && notEqual.entrySet().stream().noneMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }
}
