package arena.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import arena.gateway.e2e.Api.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The players' HTTP API (ARENA-SPEC §3) of a real node on PostgreSQL, through a plain HTTP client. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlayerApiIT {

  private NodeProcess node;
  private Api api;
  private String token;

  @BeforeAll
  void start() throws Exception {
    node = new NodeProcess("player-api", NodeProcess.postgres()).start();
    node.awaitReady(Duration.ofSeconds(60));
    api = new Api(node.baseUrl());
    token = api.newPlayer("alice").get("token").asText();
  }

  @AfterAll
  void stop() throws Exception {
    node.close();
  }

  private static String body(Object value) throws Exception {
    return Api.JSON.writeValueAsString(value);
  }

  private static void assertError(Answer answer, int status, String code) {
    assertThat(answer.status()).as("status of %s", answer).isEqualTo(status);
    assertThat(answer.body().path("code").asText()).as("code of %s", answer).isEqualTo(code);
    assertThat(answer.body().path("message").asText()).isNotBlank();
  }

  @Test
  void aPlayerGetsAnIdAndASignedToken() throws Exception {
    Answer answer = api.post("/api/v1/players", body(Map.of("name", "bob the 2nd")), null);
    assertThat(answer.status()).isEqualTo(201);
    assertThat(answer.body().get("name").asText()).isEqualTo("bob the 2nd");
    assertThat(answer.body().get("playerId").asText()).isNotBlank();
    assertThat(answer.body().get("token").asText()).contains(".");
  }

  @Test
  void namesMustBeOneToThirtyTwoAllowedCharactersWithoutOuterSpaces() throws Exception {
    for (String bad : List.of("", " alice", "alice ", "a".repeat(33), "al!ce", "élise")) {
      assertError(api.post("/api/v1/players", body(Map.of("name", bad)), null), 400, "bad_request");
    }
    assertError(api.post("/api/v1/players", "{}", null), 400, "bad_request");
    assertError(api.post("/api/v1/players", body(Map.of("name", 7)), null), 400, "bad_request");
    assertError(api.post("/api/v1/players", "not json", null), 400, "bad_request");
    assertThat(api.post("/api/v1/players", body(Map.of("name", "a".repeat(32))), null).status()).isEqualTo(201);
    assertThat(api.post("/api/v1/players", body(Map.of("name", "x_y-z 9")), null).status()).isEqualTo(201);
  }

  @Test
  void theCatalogListsTheThreeGamesWithoutAToken() throws Exception {
    Answer answer = api.get("/api/v1/games/catalog", null);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo(Api.JSON.readTree(
        "[{\"game\":\"tictactoe\",\"seats\":2},{\"game\":\"connect4\",\"seats\":2},{\"game\":\"checkers\",\"seats\":2}]"));
  }

  @Test
  void everyOtherCallNeedsAValidToken() throws Exception {
    assertError(api.get("/api/v1/games?status=open", null), 401, "unauthorized");
    assertError(api.get("/api/v1/games?status=open", "forged.token.value"), 401, "unauthorized");
    assertError(api.post("/api/v1/games", body(Map.of("game", "connect4")), null), 401, "unauthorized");
    assertError(api.get("/api/v1/leaderboard?game=connect4", null), 401, "unauthorized");
  }

  @Test
  void createdGamesAnswer201WithTheirStateAndCanBeRead() throws Exception {
    Answer created = api.post("/api/v1/games", body(Map.of("game", "connect4", "visibility", "private", "turnSeconds", 30)), token);
    assertThat(created.status()).isEqualTo(201);
    JsonNode state = created.body();
    assertThat(state.get("game").asText()).isEqualTo("connect4");
    assertThat(state.get("status").asText()).isEqualTo("waiting");
    assertThat(state.get("seq").asInt()).isEqualTo(1);
    assertThat(state.get("visibility").asText()).isEqualTo("private");
    assertThat(state.get("turnSeconds").asInt()).isEqualTo(30);
    assertThat(state.get("players").get(0).get("seat").asInt()).isZero();
    assertThat(state.get("players").get(0).get("name").asText()).isEqualTo("alice");
    assertThat(state.get("turn").isNull()).isTrue();
    assertThat(state.get("turnDeadline").isNull()).isTrue();
    assertThat(state.get("result").isNull()).isTrue();
    assertThat(state.get("board").size()).isEqualTo(6);
    assertThat(state.get("board").get(0).size()).isEqualTo(7);
    assertThat(state.get("createdAt").asText()).endsWith("Z");

    Answer read = api.get("/api/v1/games/" + state.get("gameId").asText(), token);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.body()).isEqualTo(state);
  }

  @Test
  void gameDefaultsArePublicAndSixtySeconds() throws Exception {
    JsonNode state = api.post("/api/v1/games", body(Map.of("game", "tictactoe")), token).body();
    assertThat(state.get("visibility").asText()).isEqualTo("public");
    assertThat(state.get("turnSeconds").asInt()).isEqualTo(60);
  }

  @Test
  void outOfRangeFieldsAreRefusedNeverClamped() throws Exception {
    assertError(api.post("/api/v1/games", body(Map.of("game", "connect4", "turnSeconds", 4)), token), 400, "bad_request");
    assertError(api.post("/api/v1/games", body(Map.of("game", "connect4", "turnSeconds", 3601)), token), 400, "bad_request");
    assertError(api.post("/api/v1/games", body(Map.of("game", "connect4", "turnSeconds", "60")), token), 400, "bad_request");
    assertError(api.post("/api/v1/games", body(Map.of("game", "connect4", "visibility", "secret")), token), 400, "bad_request");
    assertError(api.post("/api/v1/games", body(Map.of("game", "chess")), token), 400, "unknown_game_type");
    assertError(api.get("/api/v1/games?status=open&limit=0", token), 400, "bad_request");
    assertError(api.get("/api/v1/games?status=open&limit=501", token), 400, "bad_request");
    assertError(api.get("/api/v1/games?status=finished", token), 400, "bad_request");
    assertError(api.get("/api/v1/games?status=open&game=chess", token), 400, "unknown_game_type");
    assertError(api.get("/api/v1/leaderboard?game=connect4&limit=1001", token), 400, "bad_request");
    assertError(api.get("/api/v1/leaderboard?game=connect4&limit=x", token), 400, "bad_request");
  }

  @Test
  void bodiesOver64KiBAreTooLarge() throws Exception {
    String huge = body(Map.of("game", "connect4", "padding", "x".repeat(70 * 1024)));
    assertError(api.post("/api/v1/games", huge, token), 413, "too_large");
  }

  @Test
  void unknownGamesAreNotFound() throws Exception {
    assertError(api.get("/api/v1/games/no-such-game", token), 404, "not_found");
    assertError(api.get("/api/v1/games/no-such-game/events", token), 404, "not_found");
    assertError(api.get("/api/v1/nothing-here", token), 404, "not_found");
  }

  @Test
  void openPublicGamesAreListedNewestFirstAndOthersAreNot() throws Exception {
    String older = api.post("/api/v1/games", body(Map.of("game", "checkers")), token).body().get("gameId").asText();
    String newer = api.post("/api/v1/games", body(Map.of("game", "checkers")), token).body().get("gameId").asText();
    String hidden = api.post("/api/v1/games", body(Map.of("game", "checkers", "visibility", "private")), token).body().get("gameId").asText();
    JsonNode listed = awaitListed(newer);
    List<String> ids = ids(listed);
    assertThat(ids).contains(older, newer).doesNotContain(hidden);
    assertThat(ids.indexOf(newer)).isLessThan(ids.indexOf(older));
    JsonNode entry = listed.get(ids.indexOf(newer));
    assertThat(entry.get("game").asText()).isEqualTo("checkers");
    assertThat(entry.get("turnSeconds").asInt()).isEqualTo(60);
    assertThat(entry.get("players").get(0).get("name").asText()).isEqualTo("alice");
    assertThat(entry.has("createdAt")).isTrue();
    assertThat(ids(api.get("/api/v1/games?status=open&game=tictactoe&limit=500", token).body())).doesNotContain(newer);
    assertThat(api.get("/api/v1/games?status=open&game=checkers&limit=1", token).body().size()).isEqualTo(1);
  }

  private JsonNode awaitListed(String gameId) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      JsonNode listed = api.get("/api/v1/games?status=open&game=checkers&limit=500", token).body();
      if (ids(listed).contains(gameId)) {
        return listed;
      }
      assertThat(System.nanoTime()).as("game %s listed within 5 s", gameId).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static List<String> ids(JsonNode list) {
    List<String> ids = new java.util.ArrayList<>();
    list.forEach(game -> ids.add(game.get("gameId").asText()));
    return ids;
  }

  @Test
  void healthAndWebClientAreServed() throws Exception {
    assertThat(node.serves("/health")).isTrue();
    assertThat(node.serves("/")).isTrue();
    assertThat(node.serves("/app.js")).isTrue();
  }

  @Test
  void operatorsScrapeArenasMetricsOnTheManagementPort() throws Exception {
    java.net.http.HttpResponse<String> metrics = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + node.managementPort + "/metrics"))
            .timeout(java.time.Duration.ofSeconds(10)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("arena_moves_total", "arena_live_games", "arena_node_ready",
        "arena_wakeups_pending", "arena_wakeups_overdue_seconds");
  }
}
