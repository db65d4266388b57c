package arena.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A clustered node needs a shared secret; one node alone may make up a key (the quick start). */
class AuthSettingsTest {

  private static final String SECRET = "a-shared-secret-of-at-least-32-bytes!!";

  /** The gateway's defaults with these keys set, as the node reads them. */
  private static Config config(Map<String, String> values) {
    return ConfigFactory.parseMap(values).withFallback(ConfigFactory.parseString(
        "arena.discovery = config\narena.contact-points = \"\"")).withFallback(ConfigFactory.defaultReference()).resolve();
  }

  @Test
  void oneNodeWithNoSecretStartsWithARandomKey() {
    AuthSettings settings = AuthSettings.fromConfig(config(Map.of()));
    assertThat(settings.hasSecret()).isFalse();
    assertThat(settings.ticketTtl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(AuthSettings.fromConfig(config(Map.of("arena.contact-points", "127.0.0.1:8558"))).hasSecret()).isFalse();
  }

  @Test
  void aClusteredNodeRefusesToStartWithoutASecret() {
    for (Map<String, String> clustered : new Map[] {
        Map.of("arena.discovery", "kubernetes-api"),
        Map.of("arena.contact-points", "127.0.0.1:8558,127.0.0.1:8559")}) {
      assertThatThrownBy(() -> AuthSettings.fromConfig(config(clustered))).as(clustered.toString())
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ARENA_AUTH_SECRET");
      Map<String, String> withSecret = new java.util.HashMap<>(clustered);
      withSecret.put("arena.auth.secret", SECRET);
      assertThat(AuthSettings.fromConfig(config(withSecret)).hasSecret()).isTrue();
    }
  }

  @Test
  void refusesAShortSecretNamingIt() {
    assertThatThrownBy(() -> AuthSettings.fromConfig(config(Map.of("arena.auth.secret", "too-short"))))
        .hasMessageContaining("ARENA_AUTH_SECRET").hasMessageContaining("32").hasMessageNotContaining("too-short");
    assertThatThrownBy(() -> AuthSettings.fromConfig(config(Map.of("arena.auth.secret", SECRET,
        "arena.auth.secret-previous", "too-short")))).hasMessageContaining("ARENA_AUTH_SECRET_PREVIOUS");
  }

  @Test
  void refusesAPreviousSecretWithoutACurrentOne() {
    assertThatThrownBy(() -> AuthSettings.fromConfig(config(Map.of("arena.auth.secret-previous", SECRET))))
        .hasMessageContaining("ARENA_AUTH_SECRET_PREVIOUS").hasMessageNotContaining(SECRET);
  }

  @Test
  void refusesATicketLongerThanAMinute() {
    assertThatThrownBy(() -> AuthSettings.fromConfig(config(Map.of("arena.auth.ticket.ttl", "61s"))))
        .hasMessageContaining("arena.auth.ticket.ttl");
  }

  @Test
  void neverPrintsTheSecrets() {
    AuthSettings settings = AuthSettings.fromConfig(config(Map.of("arena.auth.secret", SECRET,
        "arena.auth.secret-previous", SECRET + "-old")));
    assertThat(settings.toString()).doesNotContain(SECRET);
  }
}
