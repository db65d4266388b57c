package arena.gateway.e2e;

import static arena.gateway.e2e.WsClient.frame;
import static org.assertj.core.api.Assertions.assertThat;

import arena.gateway.e2e.Players.Player;
import arena.rules.GameRules;
import arena.rules.Step;
import arena.rules.checkers.Checkers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The WebSocket protocol (ARENA-SPEC §4) of a real node on PostgreSQL, through the JDK's
 * WebSocket client: whole games of each kind, every error code that a client can cause, resends
 * after a reconnect, spectators and clocks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebSocketProtocolIT {

  private NodeProcess node;

  @BeforeAll
  void start() throws Exception {
    java.util.Map<String, String> env = NodeProcess.postgres();
    // Dozens of players register from this one address, as in a load test; the limits have their
    // own tests (HttpLimitsIT, WebSocketLimitsIT).
    env.put("ARENA_PER_ADDRESS_LIMITS", "off");
    node = new NodeProcess("ws-protocol", env).start();
    node.awaitReady(Duration.ofSeconds(60));
  }

  @AfterAll
  void stop() throws Exception {
    node.close();
  }

  private Player player(String name) throws Exception {
    return Players.join(node, name);
  }

  private static ObjectNode move(String field, int value) {
    return Api.JSON.createObjectNode().put(field, value);
  }

  private static void assertError(JsonNode frame, String code) {
    assertThat(frame.path("type").asText()).as("%s", frame).isEqualTo("error");
    assertThat(frame.path("code").asText()).as("%s", frame).isEqualTo(code);
  }

  // ---- whole games ----

  @Test
  void aTicTacToeGameIsPlayedToAWinAndBothPlayersSeeEveryEvent() throws Exception {
    try (Player alice = player("alice"); Player bob = player("bob")) {
      String gameId = Players.startGame(alice, bob, "tictactoe", "public", 60);
      int[] cells = {0, 3, 1, 4, 2};
      for (int i = 0; i < cells.length; i++) {
        Player mover = i % 2 == 0 ? alice : bob;
        long seq = mover.move(gameId, move("cell", cells[i]));
        assertThat(seq).isEqualTo(4 + i);
      }
      for (Player p : List.of(alice, bob)) {
        JsonNode lastMove = p.ws().awaitEvent(gameId, 8);
        assertThat(lastMove.path("event").path("kind").asText()).isEqualTo("moved");
        assertThat(lastMove.path("event").path("move").path("cell").asInt()).isEqualTo(2);
        JsonNode over = p.ws().awaitEvent(gameId, 9);
        assertThat(over.path("event").path("kind").asText()).isEqualTo("game_over");
        assertThat(over.path("event").path("result")).isEqualTo(Api.JSON.readTree(
            "{\"outcome\":\"win\",\"winnerSeat\":0,\"reason\":\"line\"}"));
        assertThat(over.path("state").path("status").asText()).isEqualTo("finished");
        assertThat(over.path("state").path("board").toString()).isEqualTo("[0,0,0,1,1,null,null,null,null]");
      }
      JsonNode history = new Api(node.baseUrl()).get("/api/v1/games/" + gameId + "/events", alice.token()).body();
      assertThat(history.size()).isEqualTo(9);
      assertThat(history.get(0).path("event").path("kind").asText()).isEqualTo("game_created");
      assertThat(history.get(0).path("seq").asInt()).isEqualTo(1);
      assertThat(history.get(8).path("event").path("kind").asText()).isEqualTo("game_over");
      assertThat(history.get(8).path("timestamp").asText()).endsWith("Z");
    }
  }

  @Test
  void aConnectFourGameIsPlayedToAVerticalWin() throws Exception {
    try (Player alice = player("alice"); Player bob = player("bob")) {
      String gameId = Players.startGame(alice, bob, "connect4", "private", 60);
      int[] columns = {3, 4, 3, 4, 3, 4, 3};
      for (int i = 0; i < columns.length; i++) {
        (i % 2 == 0 ? alice : bob).move(gameId, move("column", columns[i]));
      }
      JsonNode over = bob.ws().awaitEvent(gameId, 3 + columns.length + 1);
      assertThat(over.path("event").path("result").path("winnerSeat").asInt()).isZero();
      assertThat(over.path("state").path("board").get(0).get(3).asInt()).as("board[0] is the bottom row").isZero();
    }
  }

  @Test
  void aCheckersGameIsPlayedToItsEnd() throws Exception {
    Checkers rules = new Checkers();
    try (Player black = player("black"); Player white = player("white")) {
      String gameId = Players.startGame(black, white, "checkers", "private", 60);
      playToTheEnd(rules, gameId, black, white, new Random(7));
      JsonNode state = new Api(node.baseUrl()).get("/api/v1/games/" + gameId, black.token()).body();
      assertThat(state.path("status").asText()).isEqualTo("finished");
      assertThat(state.path("result").path("reason").asText()).isIn("no_moves", "draw_rule");
    }
  }

  /** Plays legal moves chosen at random (the rules engine mirrors the game) until it ends. */
  private static <P, M> void playToTheEnd(GameRules<P, M> rules, String gameId, Player seat0, Player seat1, Random random) {
    P position = rules.initialPosition();
    for (int ply = 0; ply < 2000; ply++) {
      List<M> legal = rules.legalMoves(position);
      M move = legal.get(random.nextInt(legal.size()));
      Player mover = rules.seatToMove(position) == 0 ? seat0 : seat1;
      mover.move(gameId, Api.JSON.valueToTree(rules.moveCodec().write(move)));
      Step<P> step = rules.apply(position, move);
      if (step.isTerminal()) {
        return;
      }
      position = step.position();
    }
    throw new AssertionError("the game did not end within 2000 plies");
  }

  // ---- errors ----

  @Test
  void malformedFramesAreBadRequestsAndTheSocketStaysOpen() throws Exception {
    try (Player p = player("carol")) {
      p.ws().sendText("not json");
      assertError(p.ws().awaitType("error"), "bad_request");
      assertError(p.ws().answer(p.ws().send(frame("dance"))), "bad_request");
      assertError(p.ws().answer(p.ws().send(frame("join"))), "bad_request");
      assertError(p.ws().answer(p.ws().send(frame("join").put("gameId", 42))), "bad_request");
      assertError(p.ws().answer(p.ws().send(frame("create").put("game", "connect4").put("turnSeconds", 2))), "bad_request");
      assertError(p.ws().answer(p.ws().send(frame("move").put("gameId", "g").put("move", "e4"))), "bad_request");
      assertError(p.ws().answer(p.ws().send(frame("create").put("game", "chess"))), "unknown_game_type");
      assertError(p.ws().answer(p.ws().send(frame("quickmatch").put("game", "go"))), "unknown_game_type");
      assertError(p.ws().answer(p.ws().send(frame("subscribe").put("gameId", "no-such-game"))), "not_found");
      assertError(p.ws().answer(p.ws().send(frame("join").put("gameId", "no-such-game"))), "not_found");
      assertThat(p.ws().answer(p.ws().send(frame("ping"))).path("type").asText()).isEqualTo("pong");
    }
  }

  @Test
  void gameRuleViolationsGetTheirOwnCodes() throws Exception {
    try (Player alice = player("alice"); Player bob = player("bob"); Player carol = player("carol")) {
      String gameId = Players.startGame(alice, bob, "connect4", "private", 60);
      assertError(bob.ws().answer(bob.ws().send(frame("move").put("gameId", gameId).set("move", move("column", 0)))), "not_your_turn");
      assertError(alice.ws().answer(alice.ws().send(frame("move").put("gameId", gameId).set("move", move("column", 7)))), "illegal_move");
      assertError(alice.ws().answer(alice.ws().send(frame("move").put("gameId", gameId).set("move", move("row", 1)))), "bad_request");
      assertError(carol.ws().answer(carol.ws().send(frame("move").put("gameId", gameId).set("move", move("column", 0)))), "forbidden");
      assertError(carol.ws().answer(carol.ws().send(frame("resign").put("gameId", gameId))), "forbidden");
      assertError(carol.ws().answer(carol.ws().send(frame("join").put("gameId", gameId))), "game_full");
      assertError(alice.ws().answer(alice.ws().send(frame("join").put("gameId", gameId))), "already_seated");
      for (int i = 0; i < 6; i++) {
        (i % 2 == 0 ? alice : bob).move(gameId, move("column", 0));
      }
      assertError(alice.ws().answer(alice.ws().send(frame("move").put("gameId", gameId).set("move", move("column", 0)))), "illegal_move");
      assertThat(alice.ws().answer(alice.ws().send(frame("resign").put("gameId", gameId))).path("type").asText()).isEqualTo("ack");
      assertError(bob.ws().answer(bob.ws().send(frame("move").put("gameId", gameId).set("move", move("column", 1)))), "game_not_active");
      assertError(carol.ws().answer(carol.ws().send(frame("join").put("gameId", gameId))), "game_not_active");
    }
  }

  @Test
  void aMoveInAGameThatHasNotStartedIsNotActive() throws Exception {
    try (Player alice = player("alice")) {
      String id = alice.ws().send(frame("create").put("game", "tictactoe"));
      String gameId = alice.ws().answer(id).path("gameId").asText();
      assertError(alice.ws().answer(alice.ws().send(frame("move").put("gameId", gameId).set("move", move("cell", 0)))), "game_not_active");
    }
  }

  @Test
  void anUpgradeWithoutAValidTokenIsRefusedWith401() {
    for (String token : List.of("", "nonsense")) {
      CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, () ->
          HttpClient.newHttpClient().newWebSocketBuilder()
              .buildAsync(URI.create("ws://127.0.0.1:" + node.httpPort + "/ws?token=" + token), new WebSocket.Listener() {})
              .orTimeout(10, TimeUnit.SECONDS).join());
      assertThat(refused.getCause()).isInstanceOf(java.net.http.WebSocketHandshakeException.class);
      assertThat(((java.net.http.WebSocketHandshakeException) refused.getCause()).getResponse().statusCode()).isEqualTo(401);
    }
  }

  @Test
  void aFrameOverSixteenKiBIsTooLargeAndClosesWith1009() throws Exception {
    try (Player p = player("dave")) {
      p.ws().sendText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(17 * 1024) + "\"}");
      assertError(p.ws().awaitType("error"), "too_large");
      assertThat(p.ws().awaitClose()).isEqualTo(1009);
    }
  }

  @Test
  void framesBeyondTheRateAreRateLimitedAndAFloodClosesWith1008() throws Exception {
    try (Player p = player("erin")) {
      for (int i = 0; i < 60; i++) {
        p.ws().send(frame("ping").put("id", "p" + i));
      }
      JsonNode limited = p.ws().await(f -> f.path("code").asText().equals("rate_limited"), "a rate_limited error");
      assertThat(limited.path("re").asText()).startsWith("p");
      for (int i = 0; i < 400 && !p.ws().isClosed(); i++) {
        try {
          p.ws().send(frame("ping").put("id", "f" + i));
        } catch (java.util.concurrent.CompletionException closedMeanwhile) {
          // The server closed while this frame was on its way: what the flood was for. The close
          // code is checked below; any other failure is one too.
          assertThat(closedMeanwhile).hasRootCauseInstanceOf(java.io.IOException.class);
          break;
        }
      }
      assertThat(p.ws().awaitClose()).isEqualTo(1008);
    }
  }

  // ---- idempotency, spectators, clocks ----

  @Test
  void aMoveResentAfterAReconnectIsAcknowledgedWithItsOriginalSeqAndAppliedOnce() throws Exception {
    try (Player alice = player("alice"); Player bob = player("bob")) {
      String gameId = Players.startGame(alice, bob, "connect4", "private", 60);
      String moveId = "alice-move-1";
      alice.ws().send(frame("move").put("id", moveId).put("gameId", gameId).set("move", move("column", 2)));
      long seq = alice.ws().answer(moveId).path("seq").asLong();
      alice.ws().close();

      WsClient again = WsClient.connect(node.baseUrl(), alice.token());
      again.send(frame("move").put("id", moveId).put("gameId", gameId).set("move", move("column", 2)));
      JsonNode ack = again.answer(moveId);
      assertThat(ack.path("type").asText()).isEqualTo("ack");
      assertThat(ack.path("seq").asLong()).isEqualTo(seq);
      again.send(frame("subscribe").put("id", "s").put("gameId", gameId));
      JsonNode state = again.answer("s").path("state");
      assertThat(state.path("seq").asLong()).as("applied once").isEqualTo(seq);
      assertThat(state.path("turn").asInt()).isEqualTo(1);
      again.close();
    }
  }

  /**
   * {@code unavailable}, reached for real: while another session holds a lock that stops every
   * insert into the journal, a move cannot be stored within the node's ask timeout (5 s). The
   * socket stays open; once the lock is gone the stalled write completes, and the resend the spec
   * asks for (same id) is acknowledged with that move's seq and not applied twice.
   */
  @Test
  void aMoveTheDatabaseCannotStoreInTimeIsUnavailableAndItsResendIsAppliedOnce() throws Exception {
    try (Player alice = player("alice"); Player bob = player("bob")) {
      String gameId = Players.startGame(alice, bob, "connect4", "private", 60);
      String moveId = "stalled-move";
      ObjectNode stalled = frame("move").put("id", moveId).put("gameId", gameId);
      stalled.set("move", move("column", 3));
      try (java.sql.Connection db = java.sql.DriverManager.getConnection(System.getenv("ARENA_TEST_DB_URL"),
          envOr("ARENA_TEST_DB_USER", "arena"), envOr("ARENA_TEST_DB_PASSWORD", "arena"))) {
        db.setAutoCommit(false);
        try (java.sql.Statement lock = db.createStatement()) {
          lock.execute("LOCK TABLE event_journal IN EXCLUSIVE MODE"); // readers pass, writers wait
        }
        alice.ws().send(stalled);
        assertError(alice.ws().answer(moveId), "unavailable");
        assertThat(alice.ws().isClosed()).as("an error never closes the socket").isFalse();
        db.rollback();
      }
      alice.ws().send(stalled);
      JsonNode ack = alice.ws().answer(moveId);
      assertThat(ack.path("type").asText()).as("%s", ack).isEqualTo("ack");
      assertThat(ack.path("seq").asLong()).as("the stalled move's seq").isEqualTo(4);
      assertThat(bob.ws().awaitEvent(gameId, 4).path("event").path("move").path("column").asInt()).isEqualTo(3);
      assertThat(bob.move(gameId, move("column", 4))).as("applied once: the next move is seq 5").isEqualTo(5);
    }
  }

  private static String envOr(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  @Test
  void spectatorsSeeTheStateThenEveryEventInOrder() throws Exception {
    try (Player alice = player("alice"); Player bob = player("bob"); Player watcher = player("watcher")) {
      String gameId = Players.startGame(alice, bob, "tictactoe", "public", 60);
      watcher.ws().send(frame("subscribe").put("id", "w").put("gameId", gameId));
      JsonNode state = watcher.ws().answer("w");
      assertThat(state.path("type").asText()).isEqualTo("state");
      assertThat(state.path("state").path("seq").asInt()).isEqualTo(3);
      alice.move(gameId, move("cell", 4));
      bob.move(gameId, move("cell", 0));
      JsonNode first = watcher.ws().awaitEvent(gameId, 4);
      JsonNode second = watcher.ws().awaitEvent(gameId, 5);
      assertThat(first.path("event").path("seat").asInt()).isZero();
      assertThat(second.path("event").path("seat").asInt()).isEqualTo(1);
      assertThat(second.path("state").path("seq").asInt()).isEqualTo(5);
      assertThat(first.has("re")).isFalse();

      watcher.ws().send(frame("unsubscribe").put("id", "u").put("gameId", gameId));
      assertThat(watcher.ws().answer("u").path("type").asText()).isEqualTo("unsubscribed");
      alice.move(gameId, move("cell", 8));
      alice.ws().awaitEvent(gameId, 6);
      assertThat(watcher.ws().pending()).noneMatch(f -> f.path("seq").asInt() == 6);
    }
  }

  @Test
  void leavingBeforeTheStartFreesTheSeatAndAbandonsAnEmptyGame() throws Exception {
    try (Player alice = player("alice")) {
      String gameId = alice.ws().answer(alice.ws().send(frame("create").put("game", "connect4"))).path("gameId").asText();
      JsonNode left = alice.ws().answer(alice.ws().send(frame("leave").put("gameId", gameId)));
      assertThat(left.path("type").asText()).isEqualTo("left");
      assertThat(alice.ws().awaitEvent(gameId, 2).path("event").path("kind").asText()).isEqualTo("player_left");
      JsonNode aborted = alice.ws().awaitEvent(gameId, 3);
      assertThat(aborted.path("event").path("reason").asText()).isEqualTo("abandoned");
    }
  }

  @Test
  void leavingAStartedGameIsAResignation() throws Exception {
    try (Player alice = player("alice"); Player bob = player("bob")) {
      String gameId = Players.startGame(alice, bob, "connect4", "private", 60);
      JsonNode answer = bob.ws().answer(bob.ws().send(frame("leave").put("gameId", gameId)));
      assertThat(answer.path("type").asText()).isEqualTo("ack");
      JsonNode over = alice.ws().awaitEvent(gameId, 4);
      assertThat(over.path("event").path("result").path("reason").asText()).isEqualTo("resign");
      assertThat(over.path("event").path("result").path("winnerSeat").asInt()).isZero();
    }
  }

  @Test
  void aPlayerWhoLetsTheClockRunOutLosesWithNobodyConnected() throws Exception {
    String gameId;
    String token;
    try (Player alice = player("alice"); Player bob = player("bob")) {
      gameId = Players.startGame(alice, bob, "tictactoe", "private", 5);
      alice.move(gameId, move("cell", 4));
      token = alice.token();
    }
    Api api = new Api(node.baseUrl());
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    JsonNode state;
    while (!(state = api.get("/api/v1/games/" + gameId, token).body()).path("status").asText().equals("finished")) {
      assertThat(System.nanoTime()).as("the turn clock ended the game within 15 s: %s", state).isLessThan(deadline);
      Thread.sleep(200);
    }
    assertThat(state.path("result").path("reason").asText()).isEqualTo("timeout");
    assertThat(state.path("result").path("winnerSeat").asInt()).isZero();
  }

  @Test
  void fiftyConcurrentQuickmatchesMakeTwentyFiveGamesEachPlayerMatchedOnce() throws Exception {
    List<Player> players = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        players.add(player("q" + i));
      }
      for (Player p : players) {
        p.ws().send(frame("quickmatch").put("id", "qm").put("game", "tictactoe"));
      }
      java.util.Map<String, List<Integer>> seatsByGame = new java.util.HashMap<>();
      for (Player p : players) {
        assertThat(p.ws().answer("qm").path("type").asText()).isEqualTo("queued");
        JsonNode matched = p.ws().awaitType("matched");
        assertThat(matched.path("game").asText()).isEqualTo("tictactoe");
        seatsByGame.computeIfAbsent(matched.path("gameId").asText(), id -> new java.util.ArrayList<>())
            .add(matched.path("seat").asInt());
        JsonNode state = p.ws().awaitType("state");
        assertThat(state.path("state").path("visibility").asText()).isEqualTo("private");
        assertThat(state.path("state").path("turnSeconds").asInt()).isEqualTo(60);
      }
      assertThat(seatsByGame).hasSize(25);
      seatsByGame.values().forEach(seats -> assertThat(seats).containsExactlyInAnyOrder(0, 1));
      for (Player p : players) {
        assertThat(p.ws().pending()).noneMatch(f -> f.path("type").asText().equals("matched"));
      }
    } finally {
      players.forEach(Player::close);
    }
  }

  @Test
  void aCancelledQuickmatchIsNeverMatched() throws Exception {
    try (Player alone = player("alone"); Player second = player("second"); Player third = player("third")) {
      alone.ws().send(frame("quickmatch").put("id", "q").put("game", "checkers"));
      assertThat(alone.ws().answer("q").path("type").asText()).isEqualTo("queued");
      alone.ws().send(frame("cancel_quickmatch").put("id", "c").put("game", "checkers"));
      assertThat(alone.ws().answer("c").path("type").asText()).isEqualTo("cancelled");
      second.ws().send(frame("quickmatch").put("id", "q").put("game", "checkers"));
      second.ws().answer("q");
      third.ws().send(frame("quickmatch").put("id", "q").put("game", "checkers"));
      third.ws().answer("q");
      String game = second.ws().awaitType("matched").path("gameId").asText();
      assertThat(third.ws().awaitType("matched").path("gameId").asText()).as("the two still queued meet").isEqualTo(game);
      assertThat(alone.ws().pending()).noneMatch(f -> f.path("type").asText().equals("matched"));
    }
  }
}
