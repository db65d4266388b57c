package arena.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rotating the token secret on a real node process logs nobody out and keeps every player's
 * identity; a clustered node with no secret does not start.
 */
class SecretRotationIT {

  private static final String OLD = "rotation-test-secret-before-of-32+bytes";
  private static final String NEW = "rotation-test-secret-after-of-32+bytes!";
  private static final String GAMES = "/api/v1/games?status=open&limit=1";

  private static Map<String, String> env(String secret, String previous) {
    Map<String, String> env = new HashMap<>(NodeProcess.postgres());
    env.put("ARENA_AUTH_SECRET", secret);
    if (previous != null) {
      env.put("ARENA_AUTH_SECRET_PREVIOUS", previous);
    }
    return env;
  }

  private static NodeProcess node(String name, Map<String, String> env) throws Exception {
    NodeProcess node = new NodeProcess(name, env).start();
    node.awaitReady(Duration.ofSeconds(90));
    return node;
  }

  @Test
  void aRotatedSecretKeepsTokensAndIdentitiesUntilThePreviousOneIsDropped() throws Exception {
    JsonNode alice;
    try (NodeProcess before = node("rotation-before", env(OLD, null))) {
      alice = new Api(before.baseUrl()).newPlayer("alice");
    }
    String oldToken = alice.get("token").asText();
    String refreshed;
    try (NodeProcess during = node("rotation-during", env(NEW, OLD))) {
      Api api = new Api(during.baseUrl());
      assertThat(api.get(GAMES, oldToken).status()).as("a token of the previous secret").isEqualTo(200);
      assertThat(WsClient.upgradeStatus(during.baseUrl(), "/ws?ticket="
          + api.post("/api/v1/ws-ticket", "", oldToken).body().path("ticket").asText())).isEqualTo(101);
      Api.Answer answer = api.post("/api/v1/players/me/token", "", oldToken);
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.body().path("playerId").asText()).as("same player").isEqualTo(alice.get("playerId").asText());
      assertThat(answer.body().path("name").asText()).isEqualTo("alice");
      refreshed = answer.body().path("token").asText();
    }
    try (NodeProcess after = node("rotation-after", env(NEW, null))) {
      Api api = new Api(after.baseUrl());
      assertThat(api.get(GAMES, refreshed).status()).as("the refreshed token, once the old secret is gone").isEqualTo(200);
      assertThat(api.get(GAMES, oldToken).status()).as("a token never refreshed, once the old secret is gone")
          .isEqualTo(401);
    }
  }

  @Test
  void aClusteredNodeWithoutASecretRefusesToStartNamingTheVariable() throws Exception {
    Map<String, String> env = new HashMap<>(NodeProcess.postgres());
    env.put("ARENA_AUTH_SECRET", "");
    env.put("ARENA_CONTACT_POINTS", "127.0.0.1:" + NodeProcess.freePort() + ",127.0.0.1:" + NodeProcess.freePort());
    NodeProcess node = new NodeProcess("no-secret-clustered", env);
    try {
      assertThatThrownBy(node::start).hasMessageContaining("exited with 1");
      assertThat(Files.readString(node.log())).contains("ARENA_AUTH_SECRET (arena.auth.secret) is not set");
    } finally {
      node.close();
    }
  }
}
