package arena.gateway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up validation of {@code arena.kubernetes} and the backoff it configures. */
class KubernetesSettingsTest {

  @TempDir
  Path folder;

  @Test
  void readsTheNamespaceFromTheServiceAccountFile() throws Exception {
    try (FakeApiServer api = FakeApiServer.start(folder)) {
      Files.writeString(folder.resolve("namespace"), "games\n");

      KubernetesSettings settings = KubernetesSettings.fromConfig(api.config());

      assertThat(settings.namespace()).isEqualTo("games");
      assertThat(settings.podPath("arena-0")).isEqualTo("/api/v1/namespaces/games/pods/arena-0");
      assertThat(settings.replicaSetPath("arena-1")).isEqualTo("/apis/apps/v1/namespaces/games/replicasets/arena-1");
    }
  }

  @Test
  void anExplicitNamespaceWinsOverTheFile() throws Exception {
    try (FakeApiServer api = FakeApiServer.start(folder)) {
      Config config = ConfigFactory.parseString("arena.kubernetes.namespace = other").withFallback(api.config());

      assertThat(KubernetesSettings.fromConfig(config).namespace()).isEqualTo("other");
    }
  }

  @Test
  void anIpv6ApiHostIsBracketed() throws Exception {
    try (FakeApiServer api = FakeApiServer.start(folder)) {
      Config config = ConfigFactory.parseString("arena.kubernetes { api-host = \"fd00::1\", api-port = 6443 }")
          .withFallback(api.config());

      assertThat(KubernetesSettings.fromConfig(config).baseUri()).isEqualTo("https://[fd00::1]:6443");
    }
  }

  @Test
  void aMissingPodNameStopsStartUpNamingTheKey() throws Exception {
    try (FakeApiServer api = FakeApiServer.start(folder)) {
      Config config = ConfigFactory.parseString("arena.kubernetes.pod-name = \"\"").withFallback(api.config());

      assertThatThrownBy(() -> KubernetesSettings.fromConfig(config))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("arena.kubernetes.pod-name");
    }
  }

  @Test
  void aMissingTokenStopsStartUpNamingTheKey() throws Exception {
    try (FakeApiServer api = FakeApiServer.start(folder)) {
      Config config = ConfigFactory.parseString("arena.kubernetes.api-token-path = \"/nonexistent/token\"")
          .withFallback(api.config());

      assertThatThrownBy(() -> KubernetesSettings.fromConfig(config))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("arena.kubernetes.api-token-path");
    }
  }

  @Test
  void anEmptyApiHostStopsStartUpNamingTheKeyAndTheVariable() throws Exception {
    try (FakeApiServer api = FakeApiServer.start(folder)) {
      Config config = ConfigFactory.parseString("arena.kubernetes.api-host = \"\"").withFallback(api.config());

      assertThatThrownBy(() -> KubernetesSettings.fromConfig(config))
          .hasMessageContaining("arena.kubernetes.api-host (KUBERNETES_SERVICE_HOST)");
    }
  }

  @Test
  void enabledFollowsDiscoveryOnAutoAndCanBeForced() {
    Config reference = TestReference.config();
    assertThat(KubernetesSettings.enabled(ConfigFactory.parseString("arena.discovery = kubernetes-api").withFallback(reference))).isTrue();
    assertThat(KubernetesSettings.enabled(ConfigFactory.parseString("arena.discovery = config").withFallback(reference))).isFalse();
    assertThat(KubernetesSettings.enabled(ConfigFactory.parseString(
        "arena { discovery = config, kubernetes.enabled = on }").withFallback(reference))).isTrue();
    assertThat(KubernetesSettings.enabled(ConfigFactory.parseString(
        "arena { discovery = kubernetes-api, kubernetes.enabled = off }").withFallback(reference))).isFalse();
    assertThatThrownBy(() -> KubernetesSettings.enabled(ConfigFactory.parseString("arena.kubernetes.enabled = maybe")))
        .hasMessageContaining("arena.kubernetes.enabled");
  }

  @Test
  void backoffDoublesFromMinToMaxWithBoundedJitter() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), 0.2, 8);

    assertThat(backoff.delayAfter(1, 0.0)).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.delayAfter(2, 0.0)).isEqualTo(Duration.ofMillis(200));
    assertThat(backoff.delayAfter(3, 0.0)).isEqualTo(Duration.ofMillis(400));
    assertThat(backoff.delayAfter(5, 0.0)).isEqualTo(Duration.ofMillis(1000));
    assertThat(backoff.delayAfter(60, 0.0)).isEqualTo(Duration.ofMillis(1000));
    assertThat(backoff.delayAfter(2, 0.999)).isBetween(Duration.ofMillis(200), Duration.ofMillis(240));
    for (int i = 0; i < 100; i++) {
      assertThat(backoff.delayAfter(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(120));
    }
  }

  @Test
  void backoffRejectsNonsense() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 0.2, 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 0.2, 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0.2, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Backoff.fromConfig(ConfigFactory.parseString(
        "x { min-backoff = 1s, max-backoff = 1s, random-factor = 0.2, max-attempts = 0 }"), "x"))
        .hasMessageContaining("x: max-attempts");
  }

  @Test
  void theGatewaysReferenceConfSaysWhatTheseTestsAssume() {
    Config reference = ConfigFactory.defaultReference();
    assumeTrue(reference.hasPath("arena.kubernetes"), "arena.kubernetes not yet in the gateway's reference.conf");

    assertThat(reference.getConfig("arena.kubernetes").root().unwrapped())
        .isEqualTo(TestReference.config().getConfig("arena.kubernetes").root().unwrapped());
  }
}
