package arena.gateway.routes;

import static org.assertj.core.api.Assertions.assertThat;

import arena.gateway.HttpApi;
import arena.gateway.Sessions;
import arena.gateway.auth.Player;
import arena.gateway.auth.Tokens;
import arena.gateway.ws.ConnectionRegistry;
import arena.gateway.ws.PlayerSockets;
import arena.gateway.ws.WsSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.testkit.ActorSystemResource;
import org.apache.pekko.http.javadsl.testkit.JUnitRouteTestBase;
import org.apache.pekko.http.javadsl.testkit.TestRoute;
import org.apache.pekko.http.javadsl.testkit.TestRouteResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The HTTP routes that need no game session, through pekko-http-testkit: no socket, no database.
 * (The whole API against a real node is in the end-to-end tests.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpApiRouteTest extends JUnitRouteTestBase {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Config config = ConfigFactory.parseString("""
      pekko.actor.provider = cluster
      pekko.remote.artery.canonical { hostname = "127.0.0.1", port = 0 }
      pekko.loglevel = WARNING
      """).withFallback(ConfigFactory.load());
  private final ActorSystemResource resource = new ActorSystemResource("routes", config);
  private Tokens tokens;
  private TestRoute route;

  @Override
  public ActorSystemResource systemResource() {
    return resource;
  }

  @BeforeAll
  void start() {
    resource.before();
    ActorSystem<Void> system = Adapter.toTyped(resource.system());
    tokens = new Tokens("route-tests-secret-of-at-least-32-bytes!".getBytes(StandardCharsets.UTF_8),
        Duration.ofHours(1), Clock.systemUTC());
    Sessions sessions = new Sessions(system, Duration.ofSeconds(1));
    PlayerSockets sockets = new PlayerSockets(system, sessions, system.ignoreRef(), WsSettings.fromConfig(config),
        new ConnectionRegistry(), nanos -> {});
    route = testRoute(new HttpApi(system, tokens, sessions, system.ignoreRef(), null, sockets, Duration.ofSeconds(1)).route());
  }

  @AfterAll
  void stop() {
    resource.after();
  }

  private static JsonNode body(TestRouteResult result) throws Exception {
    return JSON.readTree(result.entityString());
  }

  private static HttpRequest postJson(String uri, String json) {
    return HttpRequest.POST(uri).withEntity(ContentTypes.APPLICATION_JSON, json);
  }

  private void assertError(TestRouteResult result, int status, String code) throws Exception {
    result.assertStatusCode(status);
    assertThat(body(result).path("code").asText()).isEqualTo(code);
  }

  @Test
  void creatingAPlayerAnswers201WithATokenThatVerifies() throws Exception {
    TestRouteResult result = route.run(postJson("/api/v1/players", "{\"name\":\"alice\"}"));
    result.assertStatusCode(201);
    JsonNode created = body(result);
    assertThat(tokens.verify(created.get("token").asText()))
        .contains(new Player(created.get("playerId").asText(), "alice"));
  }

  @Test
  void badNamesAndBadBodiesAreBadRequests() throws Exception {
    assertError(route.run(postJson("/api/v1/players", "{\"name\":\" x\"}")), 400, "bad_request");
    assertError(route.run(postJson("/api/v1/players", "[1,2]")), 400, "bad_request");
    assertError(route.run(postJson("/api/v1/players", "{\"name\":")), 400, "bad_request");
  }

  @Test
  void theCatalogNeedsNoToken() throws Exception {
    TestRouteResult result = route.run(HttpRequest.GET("/api/v1/games/catalog"));
    result.assertStatusCode(200);
    assertThat(body(result).toString())
        .isEqualTo("[{\"game\":\"tictactoe\",\"seats\":2},{\"game\":\"connect4\",\"seats\":2},{\"game\":\"checkers\",\"seats\":2}]");
  }

  @Test
  void callsWithoutAValidTokenAreUnauthorized() throws Exception {
    assertError(route.run(HttpRequest.GET("/api/v1/games?status=open")), 401, "unauthorized");
    assertError(route.run(HttpRequest.GET("/api/v1/leaderboard?game=checkers")
        .addHeader(RawHeader.create("Authorization", "Bearer not-a-token"))), 401, "unauthorized");
    assertError(route.run(HttpRequest.GET("/ws")), 401, "unauthorized");
  }

  @Test
  void outOfRangeValuesAreRefused() throws Exception {
    String token = tokens.issue(new Player("p1", "alice"));
    RawHeader auth = RawHeader.create("Authorization", "Bearer " + token);
    assertError(route.run(postJson("/api/v1/games", "{\"game\":\"go\"}").addHeader(auth)), 400, "unknown_game_type");
    assertError(route.run(postJson("/api/v1/games", "{\"game\":\"checkers\",\"turnSeconds\":0}").addHeader(auth)), 400, "bad_request");
    assertError(route.run(HttpRequest.GET("/api/v1/leaderboard?game=checkers&limit=0").addHeader(auth)), 400, "bad_request");
    assertError(route.run(HttpRequest.GET("/api/v1/leaderboard").addHeader(auth)), 400, "bad_request");
  }

  @Test
  void bodiesOver64KiBAreTooLarge() throws Exception {
    String token = tokens.issue(new Player("p1", "alice"));
    String huge = "{\"game\":\"checkers\",\"pad\":\"" + "x".repeat(65 * 1024) + "\"}";
    assertError(route.run(postJson("/api/v1/games", huge).addHeader(RawHeader.create("Authorization", "Bearer " + token))),
        413, "too_large");
  }

  @Test
  void unknownPathsAreJsonNotFound() throws Exception {
    assertError(route.run(HttpRequest.GET("/api/v1/nothing")), 404, "not_found");
  }
}
