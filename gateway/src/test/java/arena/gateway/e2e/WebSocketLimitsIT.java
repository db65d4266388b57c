package arena.gateway.e2e;

import static arena.gateway.e2e.WsClient.frame;
import static org.assertj.core.api.Assertions.assertThat;

import arena.gateway.e2e.Players.Player;
import arena.rules.GameRules;
import arena.rules.Step;
import arena.rules.checkers.Checkers;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The WebSocket limits of issue 13 on a real node (PostgreSQL), each set small here: sockets per
 * player (3) and per address (6), games per socket (3), subscribers per game (4), outgoing bytes
 * per socket (16 KiB, with the node's socket send buffer cut to 8 KiB so that a client that
 * stops reading fills it soon); and game ids Arena cannot have issued, refused at the edge.
 *
 * <p>{@code ARENA_PER_ADDRESS_LIMITS=off} keeps the HTTP side's per-address limits (registrations)
 * out of the way of a test that registers many players from one address; the WebSocket
 * per-address limit is switched back on by its own key, to be tested from other loopback addresses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebSocketLimitsIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private NodeProcess node;
  /** Where this run's part of the node's log starts (the log file is appended to). */
  private long logStart;

  @BeforeAll
  void start() throws Exception {
    Map<String, String> env = new HashMap<>(NodeProcess.postgres());
    env.put("ARENA_PER_ADDRESS_LIMITS", "off");
    env.put("JAVA_TOOL_OPTIONS", String.join(" ",
        "-Darena.gateway.ws.per-address-limits=on",
        "-Darena.gateway.ws.max-sockets-per-player=3",
        "-Darena.gateway.ws.max-sockets-per-address=6",
        "-Darena.gateway.ws.max-watched-games=3",
        "-Darena.session.max-subscribers=4",
        "-Darena.gateway.ws.outgoing-buffer-bytes=16384",
        "-Dpekko.http.server.socket-options.so-send-buffer-size=8192"));
    node = new NodeProcess("ws-limits", env);
    logStart = java.nio.file.Files.exists(node.log()) ? java.nio.file.Files.size(node.log()) : 0;
    node.start();
    node.awaitReady(Duration.ofSeconds(60));
  }

  @AfterAll
  void stop() throws Exception {
    node.close();
  }

  private Player player(String name) throws Exception {
    return Players.join(node, name);
  }

  private String token(String name) throws Exception {
    return new Api(node.baseUrl()).newPlayer(name).get("token").asText();
  }

  private static void assertError(JsonNode frame, String code) {
    assertThat(frame.path("type").asText()).as("%s", frame).isEqualTo("error");
    assertThat(frame.path("code").asText()).as("%s", frame).isEqualTo(code);
  }

  // ---- sockets ----

  @Test
  void aPlayersSocketBeyondTheLimitIsRefusedWith429AndRetryAfterUntilOneCloses() throws Exception {
    String token = token("many");
    List<WsClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        open.add(WsClient.connect(node.baseUrl(), token));
      }
      RawWebSocket.Upgrade refused = RawWebSocket.connect(node.httpPort, token, "127.0.0.1", 0);
      assertThat(refused.status()).as(refused.head()).isEqualTo(429);
      assertThat(refused.head()).containsIgnoringCase("Retry-After: 5");
      assertThat(refused.body()).contains("\"code\":\"rate_limited\"");
      assertThat(refusals("sockets_per_player")).isGreaterThanOrEqualTo(1);

      open.remove(0).close();
      awaitCondition(() -> upgradeStatus(token, "127.0.0.1") == 101, "a socket once another one closed");
    } finally {
      open.forEach(WsClient::close);
    }
  }

  @Test
  void anAddressBeyondItsSocketsIsRefusedWhileOtherAddressesStillConnect() throws Exception {
    List<RawWebSocket> open = new ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        RawWebSocket.Upgrade upgrade = RawWebSocket.connect(node.httpPort, token("addr" + i), "127.0.0.9", 0);
        assertThat(upgrade.status()).as(upgrade.head()).isEqualTo(101);
        open.add(upgrade.socket());
      }
      RawWebSocket.Upgrade refused = RawWebSocket.connect(node.httpPort, token("addr6"), "127.0.0.9", 0);
      assertThat(refused.status()).as(refused.head()).isEqualTo(429);
      assertThat(refused.head()).containsIgnoringCase("Retry-After: 5");
      assertThat(refused.body()).contains("\"code\":\"rate_limited\"");
      assertThat(refusals("sockets_per_address")).isGreaterThanOrEqualTo(1);
      assertThat(upgradeStatus(token("elsewhere"), "127.0.0.10")).as("another address").isEqualTo(101);
    } finally {
      for (RawWebSocket socket : open) {
        socket.close();
      }
    }
  }

  // ---- games per socket, subscribers per game ----

  @Test
  void aSocketWatchingItsLimitOfGamesIsRefusedAnotherUntilItUnsubscribes() throws Exception {
    try (Player host = player("host"); Player fan = player("fan")) {
      List<String> games = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        JsonNode created = host.ws().request(frame("create").put("game", "tictactoe"));
        assertThat(created.path("type").asText()).as("taking a seat is never refused: %s", created).isEqualTo("created");
        games.add(created.path("gameId").asText());
      }
      for (int i = 0; i < 3; i++) {
        assertThat(fan.ws().answer(fan.ws().send(frame("subscribe").put("gameId", games.get(i)))).path("type").asText())
            .isEqualTo("state");
      }
      assertError(fan.ws().answer(fan.ws().send(frame("subscribe").put("gameId", games.get(3)))), "rate_limited");
      assertThat(fan.ws().answer(fan.ws().send(frame("subscribe").put("gameId", games.get(0)))).path("type").asText())
          .as("a game already watched may be subscribed again").isEqualTo("state");
      assertThat(fan.ws().answer(fan.ws().send(frame("unsubscribe").put("gameId", games.get(0)))).path("type").asText())
          .isEqualTo("unsubscribed");
      assertThat(fan.ws().answer(fan.ws().send(frame("subscribe").put("gameId", games.get(3)))).path("type").asText())
          .isEqualTo("state");
      assertThat(fan.ws().isClosed()).isFalse();
      assertThat(refusals("watched_games_per_socket")).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void aGameRefusesSpectatorsBeyondItsSubscriberLimitButNeverAPlayer() throws Exception {
    try (Player alice = player("alice"); Player bob = player("bob")) {
      JsonNode created = alice.ws().request(frame("create").put("game", "tictactoe").put("visibility", "private"));
      String gameId = created.path("gameId").asText();
      List<Player> spectators = new ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          spectators.add(player("spectator" + i));
        }
        for (int i = 0; i < 3; i++) { // alice is the first subscriber
          Player s = spectators.get(i);
          assertThat(s.ws().answer(s.ws().send(frame("subscribe").put("gameId", gameId))).path("type").asText()).isEqualTo("state");
        }
        Player late = spectators.get(3);
        assertError(late.ws().answer(late.ws().send(frame("subscribe").put("gameId", gameId))), "rate_limited");

        JsonNode joined = bob.ws().request(frame("join").put("gameId", gameId));
        assertThat(joined.path("type").asText()).as("a player is never refused: %s", joined).isEqualTo("joined");
        alice.move(gameId, Api.JSON.createObjectNode().put("cell", 4));
        assertThat(bob.ws().awaitEvent(gameId, 4).path("event").path("kind").asText()).isEqualTo("moved");
        assertThat(spectators.get(0).ws().awaitEvent(gameId, 4).path("event").path("kind").asText()).isEqualTo("moved");
        assertThat(late.ws().pending()).as("the refused spectator gets no events")
            .noneMatch(f -> f.path("type").asText().equals("event"));
        assertThat(refusals("subscribers_per_game")).isGreaterThanOrEqualTo(1);
      } finally {
        spectators.forEach(Player::close);
      }
    }
  }

  // ---- forged game ids ----

  @Test
  void gameIdsArenaCannotHaveIssuedAreNotFoundWithoutStartingAnEntity() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    List<String> forged = List.of("forged-" + suffix, UUID.randomUUID().toString().toUpperCase(),
        "f".repeat(120) + suffix, "00000000-0000-0000-0000-" + suffix + "0000");
    try (Player mallory = player("mallory")) {
      for (String id : forged) {
        for (String type : List.of("subscribe", "join", "resign", "leave", "unsubscribe")) {
          assertError(mallory.ws().answer(mallory.ws().send(frame(type).put("gameId", id))), "not_found");
        }
        JsonNode move = mallory.ws().answer(mallory.ws().send((com.fasterxml.jackson.databind.node.ObjectNode)
            frame("move").put("gameId", id).set("move", Api.JSON.createObjectNode().put("cell", 0))));
        assertError(move, "not_found");
      }
      // A well-formed id nobody created does reach its entity; seeing it stored proves the search below can see one.
      String neverCreated = UUID.randomUUID().toString();
      assertError(mallory.ws().answer(mallory.ws().send(frame("subscribe").put("gameId", neverCreated))), "not_found");
      awaitCondition(() -> journalMentions(neverCreated) > 0, "remember-entities storing the entity " + neverCreated);
      for (String id : forged) {
        assertThat(journalMentions(id)).as("entity started for forged id %s", id).isZero();
      }
    }
  }

  // ---- a slow reader ----

  /**
   * A spectator that stops reading while the game it watches goes on is closed once 16 KiB wait
   * for it; the node drops what it queued, and the players go on undisturbed.
   */
  @Test
  void aSpectatorThatStopsReadingIsClosedAndThePlayersGoOn() throws Exception {
    try (Player black = player("black"); Player white = player("white")) {
      RawWebSocket.Upgrade upgrade = RawWebSocket.connect(node.httpPort, token("sloth"), "127.0.0.5", 4096);
      assertThat(upgrade.status()).isEqualTo(101);
      try (RawWebSocket sloth = upgrade.socket()) {
        long before = refusals("outgoing_bytes_per_socket");
        Random random = new Random(11);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Table<?, ?> table = null;
        while (refusals("outgoing_bytes_per_socket") == before) {
          assertThat(System.nanoTime()).as("the slow reader was not closed within 60 s").isLessThan(deadline);
          if (table == null || table.over) {
            String gameId = Players.startGame(black, white, "checkers", "private", 60);
            sloth.sendText("{\"type\":\"subscribe\",\"id\":\"s\",\"gameId\":\"" + gameId + "\"}");
            table = new Table<>(new Checkers(), gameId, black, white);
          }
          table.play(10, random);
        }
        RawWebSocket.Received received = sloth.readUntilClosed(Duration.ofSeconds(15));
        assertThat(received.closed()).as("the server ended the slow reader's connection").isTrue();
        assertThat(received.closeCode()).as("the close code of a slow reader (docs/protocol.md)").isEqualTo(1011);
        assertThat(logOfThisRun()).as("a slow reader is no error of the node's")
            .doesNotContain("Websocket handler failed");
        awaitCondition(() -> metric("arena_websocket_outgoing_bytes") == 0, "the dropped queue freed");

        // The players were never held up: their game goes on, and a new spectator gets everything.
        if (table.over) {
          table = new Table<>(new Checkers(), Players.startGame(black, white, "checkers", "private", 60), black, white);
        }
        try (Player fresh = player("fresh")) {
          JsonNode state = fresh.ws().answer(fresh.ws().send(frame("subscribe").put("gameId", table.gameId)));
          assertThat(state.path("type").asText()).isEqualTo("state");
          long seq = state.path("state").path("seq").asLong();
          table.play(1, random);
          assertThat(fresh.ws().awaitEvent(table.gameId, seq + 1).path("event").path("kind").asText()).isEqualTo("moved");
        }
        assertThat(black.ws().isClosed()).isFalse();
        assertThat(white.ws().isClosed()).isFalse();
      }
    }
  }

  /** A game played with random legal moves; the rules engine mirrors its position. */
  private static final class Table<P, M> {
    private final GameRules<P, M> rules;
    private final String gameId;
    private final Player seat0;
    private final Player seat1;
    private P position;
    private boolean over;

    Table(GameRules<P, M> rules, String gameId, Player seat0, Player seat1) {
      this.rules = rules;
      this.gameId = gameId;
      this.seat0 = seat0;
      this.seat1 = seat1;
      this.position = rules.initialPosition();
    }

    /** Up to {@code plies} more moves, each acknowledged; fewer if the game ends. */
    void play(int plies, Random random) {
      for (int ply = 0; ply < plies && !over; ply++) {
        List<M> legal = rules.legalMoves(position);
        M move = legal.get(random.nextInt(legal.size()));
        Player mover = rules.seatToMove(position) == 0 ? seat0 : seat1;
        mover.move(gameId, Api.JSON.valueToTree(rules.moveCodec().write(move)));
        Step<P> step = rules.apply(position, move);
        over = step.isTerminal();
        position = step.position();
      }
    }
  }

  // ---- helpers ----

  private int upgradeStatus(String token, String localAddress) {
    try {
      RawWebSocket.Upgrade upgrade = RawWebSocket.connect(node.httpPort, token, localAddress, 0);
      if (upgrade.socket() != null) {
        upgrade.socket().close();
      }
      return upgrade.status();
    } catch (IOException e) {
      return -1;
    }
  }

  /** How often a limit refused something ({@code arena_ws_limit_refusals_total{limit}}). */
  private long refusals(String limit) throws Exception {
    return (long) metric("arena_ws_limit_refusals_total{limit=\"" + limit + "\"}");
  }

  /** A sample of the node's Prometheus metrics; 0 if absent. */
  private double metric(String series) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + node.managementPort + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      for (String line : response.body().split("\n")) {
        if (line.startsWith(series + " ")) {
          return Double.parseDouble(line.substring(series.length() + 1).trim());
        }
      }
      return 0;
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("cannot read /metrics", e);
    }
  }

  /** Rows of the event journal whose payload holds {@code text} (the remember-entities store names started entities). */
  private static long journalMentions(String text) {
    try (java.sql.Connection db = java.sql.DriverManager.getConnection(System.getenv("ARENA_TEST_DB_URL"),
            envOr("ARENA_TEST_DB_USER", "arena"), envOr("ARENA_TEST_DB_PASSWORD", "arena"));
        java.sql.PreparedStatement query = db.prepareStatement(
            "SELECT count(*) FROM event_journal WHERE position(convert_to(?, 'UTF8') in event_payload) > 0")) {
      query.setString(1, text);
      try (java.sql.ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    } catch (java.sql.SQLException e) {
      throw new AssertionError("cannot read the journal", e);
    }
  }

  private String logOfThisRun() throws IOException {
    byte[] all = java.nio.file.Files.readAllBytes(node.log());
    return new String(all, (int) logStart, all.length - (int) logStart, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static String envOr(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  private static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WsClient.WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " within " + WsClient.WAIT);
      }
      Thread.sleep(100);
    }
  }
}
