package arena.gateway.e2e;

import static arena.gateway.e2e.WsClient.frame;
import static org.assertj.core.api.Assertions.assertThat;

import arena.gateway.e2e.Players.Player;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * No acknowledged move is lost (ARENA-SPEC §6): after {@code kill -9} of a node on PostgreSQL and
 * a restart every acknowledged move of every game is there and each game goes on; a node on the
 * embedded database keeps its games across a restart and exits 0 on SIGTERM.
 */
class DurabilityIT {

  private static final Duration READY = Duration.ofSeconds(60);

  @Test
  void everyAcknowledgedMoveSurvivesKillMinusNineAndTheGamesContinue() throws Exception {
    Map<String, String> env = NodeProcess.postgres();
    int http = NodeProcess.freePort();
    int management = NodeProcess.freePort();
    int remoting = NodeProcess.freePort();
    Map<String, Long> ackedSeq = new HashMap<>();
    List<String> tokens = new ArrayList<>();
    try (NodeProcess node = new NodeProcess("durability-kill", http, management, remoting, env).start()) {
      node.awaitReady(READY);
      for (int game = 0; game < 5; game++) {
        try (Player a = Players.join(node, "a" + game); Player b = Players.join(node, "b" + game)) {
          String gameId = Players.startGame(a, b, "connect4", "private", 600);
          long seq = 0;
          for (int move = 0; move < 4 + game; move++) {
            Player mover = move % 2 == 0 ? a : b;
            // both players drop into the same column, two apart each round: no line of four can form
            seq = mover.move(gameId, Api.JSON.createObjectNode().put("column", (move / 2) * 2 % 7));
          }
          ackedSeq.put(gameId, seq);
          tokens.add(a.token());
          tokens.add(b.token());
        }
      }
      node.kill();
    }
    try (NodeProcess again = new NodeProcess("durability-kill-restarted", http, management, remoting, env).start()) {
      again.awaitReady(READY);
      Api api = new Api(again.baseUrl());
      int i = 0;
      for (Map.Entry<String, Long> game : ackedSeq.entrySet()) {
        JsonNode state = api.get("/api/v1/games/" + game.getKey(), tokens.get(0)).body();
        assertThat(state.path("seq").asLong()).as("seq of %s after kill -9", game.getKey()).isEqualTo(game.getValue());
        JsonNode events = api.get("/api/v1/games/" + game.getKey() + "/events", tokens.get(0)).body();
        assertThat(events.size()).isEqualTo(game.getValue().intValue());
        i++;
      }
      assertThat(i).isEqualTo(5);
      // and a game goes on where it stopped
      String gameId = ackedSeq.keySet().iterator().next();
      JsonNode state = api.get("/api/v1/games/" + gameId, tokens.get(0)).body();
      int turn = state.path("turn").asInt();
      String seatPlayer = state.path("players").get(turn).path("playerId").asText();
      String token = null;
      for (String t : tokens) {
        if (tokenPlayer(again, t).equals(seatPlayer)) {
          token = t;
        }
      }
      assertThat(token).as("the token of the player to move").isNotNull();
      try (WsClient ws = WsClient.connect(again.baseUrl(), token)) {
        ws.send(frame("move").put("id", "after-restart").put("gameId", gameId).set("move", Api.JSON.createObjectNode().put("column", 1)));
        JsonNode ack = ws.answer("after-restart");
        assertThat(ack.path("type").asText()).as("%s", ack).isEqualTo("ack");
        assertThat(ack.path("seq").asLong()).isEqualTo(state.path("seq").asLong() + 1);
      }
    }
  }

  /** The player id a token belongs to, read back through a game the token's owner creates. */
  private static String tokenPlayer(NodeProcess node, String token) throws Exception {
    JsonNode created = new Api(node.baseUrl()).post("/api/v1/games", "{\"game\":\"tictactoe\",\"visibility\":\"private\"}", token).body();
    return created.path("players").get(0).path("playerId").asText();
  }

  @Test
  void aNodeOnTheEmbeddedDatabaseKeepsItsGamesAcrossARestart() throws Exception {
    Path data = Files.createTempDirectory("arena-h2-node");
    Map<String, String> env = Map.of("ARENA_DATA_DIR", data.toString());
    String gameId;
    String token;
    long seq;
    try (NodeProcess node = new NodeProcess("durability-h2", env).start()) {
      node.awaitReady(READY);
      try (Player a = Players.join(node, "a"); Player b = Players.join(node, "b")) {
        gameId = Players.startGame(a, b, "checkers", "private", 600);
        a.move(gameId, Api.JSON.readTree("{\"path\":[11,15]}"));
        seq = b.move(gameId, Api.JSON.readTree("{\"path\":[22,18]}"));
        token = a.token();
      }
      assertThat(node.terminate(Duration.ofSeconds(40))).as("exit code after SIGTERM").isZero();
    }
    try (NodeProcess again = new NodeProcess("durability-h2-restarted", env).start()) {
      again.awaitReady(READY);
      JsonNode state = new Api(again.baseUrl()).get("/api/v1/games/" + gameId, token).body();
      assertThat(state.path("seq").asLong()).isEqualTo(seq);
      assertThat(state.path("board").get(14).asText()).as("square 15 after 11-15 and 22-18").isEqualTo("b");
      assertThat(state.path("board").get(17).asText()).as("square 18").isEqualTo("w");
      assertThat(state.path("turn").asInt()).isZero();
    }
  }
}
