package arena.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import arena.ErrorCode;
import arena.gateway.HttpApi;
import arena.gateway.Sessions;
import arena.gateway.auth.Player;
import arena.gateway.auth.Tokens;
import arena.gateway.protocol.ErrorStatus;
import arena.gateway.ws.ConnectionRegistry;
import arena.gateway.ws.PlayerSockets;
import arena.gateway.ws.WsSettings;
import arena.lobby.Lobby;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.scaladsl.model.IllegalUriException;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.testkit.ActorSystemResource;
import org.apache.pekko.http.javadsl.testkit.JUnitRouteTestBase;
import org.apache.pekko.http.javadsl.testkit.TestRoute;
import org.apache.pekko.http.javadsl.testkit.TestRouteResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * The player HTTP API's query and body parsers, through the real routes (pekko-http-testkit, no
 * socket): whatever a client puts in a query string, a body or the Authorization header is
 * answered with a success or one of the spec's errors with its status, never {@code internal},
 * never an error in the log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpFuzzTest extends JUnitRouteTestBase {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<Integer> ANSWERS = Set.of(200, 201, 400, 401, 403, 404, 413, 429, 503);
  private final Config config = ConfigFactory.parseString("""
      pekko.actor.provider = cluster
      pekko.remote.artery.canonical { hostname = "127.0.0.1", port = 0 }
      pekko.loglevel = ERROR
      pekko.logger-startup-timeout = 60s
      arena.auth.secret = "fuzz-secret-0123456789abcdef0123456789"
      # Millions of requests come from one (unknown) address: the per-address limit would answer
      # them 429, rightly, and hide the parsers under test (HttpLimitsIT proves the limits).
      arena.gateway.http-limits.per-address-enabled = off
      """).withFallback(ConfigFactory.load());
  private final ActorSystemResource resource = new ActorSystemResource("http-fuzz", config);
  private TestRoute route;
  private String bearer;

  @Override
  public ActorSystemResource systemResource() {
    return resource;
  }

  /**
   * The testkit waits 3 s for an answer; a starved machine (the fuzzer runs niced beside other
   * work) took longer for the very first requests, which the fuzzer then reported as a hang. A
   * real hang still fails, after 30 s.
   */
  @Override
  public scala.concurrent.duration.FiniteDuration awaitDuration() {
    return scala.concurrent.duration.FiniteDuration.create(30, java.util.concurrent.TimeUnit.SECONDS);
  }

  @BeforeAll
  void start() {
    resource.before();
    ActorSystem<Void> system = Adapter.toTyped(resource.system());
    Tokens tokens = Tokens.fromConfig(config, Clock.systemUTC());
    bearer = "Bearer " + tokens.issue(new Player("7d3c1f9e-1111-4222-8333-944445555666", "fuzzer"));
    Sessions sessions = new Sessions(system, Duration.ofSeconds(1));
    PlayerSockets sockets = new PlayerSockets(system, sessions, system.ignoreRef(), WsSettings.fromConfig(config),
        new ConnectionRegistry(), nanos -> {});
    route = testRoute(new HttpApi(system, tokens, sessions, emptyLobby(system), null, sockets,
        Duration.ofSeconds(1)).route());
  }

  /** A lobby with no games, answering at once: the parsers, not the lobby, are under test. */
  private static ActorRef<Lobby.Command> emptyLobby(ActorSystem<Void> system) {
    return Adapter.spawn(Adapter.toClassic(system), Behaviors.receive(Lobby.Command.class)
        .onMessage(Lobby.ListOpen.class, list -> {
          list.replyTo().tell(new Lobby.OpenGames(List.of()));
          return Behaviors.same();
        })
        .build(), "empty-lobby");
  }

  @AfterAll
  void stop() {
    resource.after();
  }

  @BeforeEach
  void clearErrors() {
    ErrorLog.clear();
  }

  @FuzzTest(maxDuration = "30s")
  void queryStringsGetSpecAnswers(FuzzedDataProvider data) throws Exception {
    String[] paths = {"/api/v1/games", "/api/v1/leaderboard", "/api/v1/games/catalog"};
    String path = paths[data.consumeInt(0, paths.length - 1)];
    HttpRequest request;
    try {
      request = HttpRequest.GET(path + "?" + data.consumeRemainingAsString());
    } catch (IllegalUriException notHttp) {
      return; // the server's request parser refuses this before any route sees it
    }
    assertSpecAnswer(route.run(request.addHeader(RawHeader.create("Authorization", bearer))));
  }

  @FuzzTest(maxDuration = "30s")
  void registrationBodiesGetSpecAnswers(byte[] body) throws Exception {
    TestRouteResult result = route.run(HttpRequest.POST("/api/v1/players")
        .withEntity(ContentTypes.APPLICATION_JSON, body));
    assertSpecAnswer(result);
    if (result.response().status().intValue() == 201) {
      JsonNode created = JSON.readTree(result.entityString());
      assertThat(created.path("name").asText()).matches("[A-Za-z0-9_-]([A-Za-z0-9 _-]{0,30}[A-Za-z0-9_-])?");
    }
  }

  @FuzzTest(maxDuration = "30s")
  void madeUpAuthorizationIsUnauthorized(String header) throws Exception {
    HttpRequest request = HttpRequest.GET("/api/v1/games");
    try {
      request = request.addHeader(RawHeader.create("Authorization", header));
    } catch (IllegalArgumentException notAHeader) {
      return;
    }
    TestRouteResult result = route.run(request);
    assertSpecAnswer(result);
    assertThat(result.response().status().intValue()).isEqualTo(401);
  }

  private static void assertSpecAnswer(TestRouteResult result) throws Exception {
    int status = result.response().status().intValue();
    assertThat(status).as("status").isIn(ANSWERS);
    if (status >= 400) {
      JsonNode error = JSON.readTree(result.entityString());
      String code = error.path("code").asText();
      assertThat(ErrorCode.ofWireName(code)).as("code " + code).isPresent();
      assertThat(ErrorStatus.httpStatus(ErrorCode.ofWireName(code).get())).as("status of code " + code).isEqualTo(status);
      assertThat(error.path("message").isTextual()).isTrue();
    }
    assertThat(ErrorLog.errors()).as("errors logged").isEmpty();
  }
}
