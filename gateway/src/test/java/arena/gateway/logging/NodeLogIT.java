package arena.gateway.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import arena.gateway.e2e.Api;
import arena.gateway.e2e.NodeProcess;
import arena.gateway.e2e.Players;
import arena.gateway.e2e.Players.Player;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The log of a real node on PostgreSQL with {@code ARENA_LOG_FORMAT=json}, after an end-to-end
 * session: players register, create and join a game and play it to its end, a forged token is
 * refused, sockets open with {@code ?token=}, and requests that make Pekko HTTP log warnings carry
 * real tokens (an illegal request target, an illegal Authorization header, an upgrade with a
 * body). Every line must be one JSON object with the fields a collector indexes, and no line may
 * hold a token, the database password or the token secret.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeLogIT {

  private static final String AUTH_SECRET = "log-scan-auth-secret-" + UUID.randomUUID();
  /**
   * The node's ARENA_DB_PASSWORD: distinctive, so that a scan can find it (the suite's own password
   * is a common word). The database is reached with the suite's password, given in the URL, which
   * the PostgreSQL driver prefers; this one still travels every path the node gives a password.
   */
  private static final String DB_PASSWORD = "log-scan-db-password-" + UUID.randomUUID();

  private NodeProcess node;
  private String gameId;
  private Player alice;
  private Player bob;
  /** What must never appear in a line, and why. */
  private final Map<String, String> secrets = new LinkedHashMap<>();
  private List<String> lines;
  private String metrics;

  @BeforeAll
  void playASessionAndStopTheNode() throws Exception {
    Map<String, String> env = NodeProcess.postgres();
    String suitePassword = env.get("ARENA_DB_PASSWORD");
    String url = env.get("ARENA_DB_URL");
    env.put("ARENA_DB_URL", url + (url.contains("?") ? "&" : "?") + "password=" + suitePassword);
    env.put("ARENA_DB_PASSWORD", DB_PASSWORD);
    env.put("ARENA_AUTH_SECRET", AUTH_SECRET);
    env.put("ARENA_LOG_FORMAT", "json");
    secrets.put(DB_PASSWORD, "ARENA_DB_PASSWORD");
    secrets.put("password=" + suitePassword, "the password in ARENA_DB_URL");
    secrets.put(AUTH_SECRET, "ARENA_AUTH_SECRET");

    node = new NodeProcess(Players.unique("json-log"), env).start();
    node.awaitReady(Duration.ofSeconds(90));
    alice = Players.join(node, "alice");
    bob = Players.join(node, "bob");
    addToken(alice.token(), "alice's token");
    addToken(bob.token(), "bob's token");

    gameId = Players.startGame(alice, bob, "tictactoe", "public", 60);
    int[] cells = {0, 3, 1, 4, 2};
    for (int i = 0; i < cells.length; i++) {
      (i % 2 == 0 ? alice : bob).move(gameId, Api.JSON.createObjectNode().put("cell", cells[i]));
    }

    String forged = alice.token().substring(0, alice.token().lastIndexOf('.') + 1) + "A".repeat(43);
    addToken(forged, "a forged token");
    Api api = new Api(node.baseUrl());
    assertThat(api.get("/api/v1/leaderboard?game=tictactoe", forged).status()).isEqualTo(401);
    assertThat(api.get("/ws?token=" + forged, null).status()).isEqualTo(401);

    // Requests that Pekko HTTP itself logs, each with a real token where a careless log shows it.
    assertThat(raw("GET /ws?token=" + alice.token() + "|x HTTP/1.1\r\nHost: arena\r\n\r\n")).startsWith("HTTP/1.1 400");
    assertThat(raw("GET /api/v1/leaderboard?game=tictactoe HTTP/1.1\r\nHost: arena\r\nAuthorization: Bearer "
        + bob.token() + " \u0001\r\n\r\n")).startsWith("HTTP/1.1 400");
    assertThat(raw("GET /ws?token=" + bob.token() + " HTTP/1.1\r\nHost: arena\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + "Content-Length: 10\r\n\r\nab")).startsWith("HTTP/1.1 101");

    // A frame over the limit closes bob's socket, with a line in his name.
    bob.ws().sendText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(20_000) + "\"}");
    assertThat(bob.ws().awaitClose()).isEqualTo(1009);

    metrics = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + node.managementPort + "/metrics")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    alice.close();
    assertThat(node.terminate(Duration.ofSeconds(60))).as("exit code after SIGTERM").isZero();
    lines = Files.readAllLines(node.log(), StandardCharsets.UTF_8);
  }

  @AfterAll
  void stop() throws InterruptedException {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void everyLineIsAJsonObjectWithTimestampLevelLoggerMessageNodeAndVersion() throws IOException {
    assertThat(lines).as("lines of " + node.log()).hasSizeGreaterThan(20);
    String address = "pekko://arena@127.0.0.1:" + node.remotingPort;
    for (String line : lines) {
      JsonNode json = parse(line);
      OffsetDateTime at = OffsetDateTime.parse(json.path("@timestamp").asText());
      assertThat(at.getYear()).as("the date of %s", line).isGreaterThan(2000);
      assertThat(json.path("level").asText()).as("level of %s", line).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
      assertThat(json.path("logger_name").asText()).as("logger of %s", line).isNotBlank();
      assertThat(json.has("message")).as("message of %s", line).isTrue();
      assertThat(json.path("node").asText()).as("node of %s", line).isEqualTo(address);
      assertThat(json.path("appVersion").asText()).as("appVersion of %s", line).isEqualTo("1.0.0");
    }
  }

  @Test
  void linesOfAGameCarryItsIdAndLinesOfASocketItsPlayer() throws IOException {
    List<JsonNode> json = new ArrayList<>();
    for (String line : lines) {
      json.add(parse(line));
    }
    assertThat(json).as("a line of the game's end with its gameId")
        .anySatisfy(line -> {
          assertThat(line.path("gameId").asText()).isEqualTo(gameId);
          assertThat(line.path("message").asText()).contains("over");
        });
    assertThat(json).as("a line of bob's socket with his playerId")
        .anySatisfy(line -> {
          assertThat(line.path("playerId").asText()).isEqualTo(bob.playerId());
          assertThat(line.path("message").asText()).contains("closing a socket");
        });
  }

  @Test
  void noLineHoldsATokenThePasswordOrTheSecret() {
    assertThat(String.join("\n", lines)).as("the risky requests were logged (else this scan proves little)")
        .contains("Illegal request").contains("'early' response");
    for (String line : lines) {
      secrets.forEach((secret, what) -> {
        if (line.contains(secret)) {
          fail("a log line holds " + what + ": " + line);
        }
      });
    }
  }

  /** Not about logs, but measured on the same run: HTTP and journal-pool metrics are exported. */
  @Test
  void metricsCountRequestsByRouteTemplateAndReportTheJournalPool() {
    assertThat(metrics)
        .contains("arena_http_requests_seconds_count{method=\"POST\",route=\"/api/v1/players\",status=\"201\"} 2")
        .contains("arena_http_requests_seconds_count{method=\"GET\",route=\"/api/v1/leaderboard\",status=\"401\"} 1")
        .contains("arena_http_requests_seconds_bucket{method=\"GET\",route=\"/ws\",status=\"101\",le=\"0.1\"}")
        .contains("hikaricp_connections_max{pool=\"arena-journal\"}")
        .contains("hikaricp_connections_max{pool=\"arena-read\"}")
        .contains("arena_leaderboard_lag_seconds");
    assertThat(metrics).as("no id in a label").doesNotContain(gameId).doesNotContain(alice.playerId());
  }

  @Test
  void anUnknownLogFormatStopsStartUpNamingTheVariable() throws Exception {
    Path jar = Path.of("target", "arena-node.jar").toAbsolutePath();
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-jar", jar.toString()).redirectErrorStream(true);
    builder.environment().put("ARENA_LOG_FORMAT", "yaml");
    builder.environment().put("ARENA_HTTP_PORT", String.valueOf(NodeProcess.freePort()));
    builder.environment().put("ARENA_MANAGEMENT_PORT", String.valueOf(NodeProcess.freePort()));
    builder.environment().put("ARENA_REMOTING_PORT", String.valueOf(NodeProcess.freePort()));
    Process process = builder.start();
    try (InputStream out = process.getInputStream()) {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        fail("a node with ARENA_LOG_FORMAT=yaml still runs after 60 s");
      }
      String output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as("exit code; output:\n" + output).isNotZero();
      assertThat(output).contains("ARENA_LOG_FORMAT must be json or text, was 'yaml'");
    } finally {
      process.destroyForcibly();
    }
  }

  /** A token, and its signature alone (a log that cut a token short could still show that). */
  private void addToken(String token, String what) {
    secrets.put(token, what);
    secrets.put(token.substring(token.lastIndexOf('.') + 1), "the signature of " + what);
  }

  private static JsonNode parse(String line) {
    try {
      JsonNode json = Api.JSON.readTree(line);
      assertThat(json != null && json.isObject()).as("a JSON object: %s", line).isTrue();
      return json;
    } catch (IOException e) {
      throw new AssertionError("not a JSON line: " + line, e);
    }
  }

  /** Sends a request as bytes (no HTTP client sends an illegal one) and returns the start of the answer. */
  private String raw(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", node.httpPort)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      byte[] answer = new byte[64];
      int read = socket.getInputStream().read(answer);
      return read <= 0 ? "" : new String(answer, 0, read, StandardCharsets.ISO_8859_1);
    }
  }
}
