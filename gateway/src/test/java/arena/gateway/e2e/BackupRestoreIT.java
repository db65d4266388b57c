package arena.gateway.e2e;

import static arena.gateway.e2e.WsClient.frame;
import static org.assertj.core.api.Assertions.assertThat;

import arena.gateway.e2e.Players.Player;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * scripts/backup and scripts/restore on real PostgreSQL with real nodes: a backup taken while a
 * node runs games holds every move acknowledged before it; restored into a fresh database, a new
 * node carries those games on to their end. Restore refuses a database that is not empty.
 */
class BackupRestoreIT {

  private static final Duration READY = Duration.ofSeconds(90);
  private static final Duration SCRIPT = Duration.ofSeconds(120);
  /** Tic-tac-toe cells that give seat 0 the top row on the fifth move. */
  private static final int[] X_WINS = {0, 3, 1, 4, 2};

  /** A game played part-way before the backup. */
  record Game(String id, int movesBeforeBackup, long ackedSeq, String xToken, String oToken) {}

  @Test
  void aBackupOfLiveGamesRestoresIntoAFreshDatabaseWhereANodeFinishesThem() throws Exception {
    String source = "arena_bk_src_" + UUID.randomUUID().toString().substring(0, 8);
    String target = "arena_bk_dst_" + UUID.randomUUID().toString().substring(0, 8);
    Path dump = Files.createTempDirectory("arena-backup").resolve("arena.dump");
    createDatabase(source);
    createDatabase(target);
    try {
      List<Game> games = new ArrayList<>();
      try (NodeProcess node = new NodeProcess("backup-source", database(source)).start()) {
        node.awaitReady(READY);
        for (int g = 0; g < 3; g++) {
          try (Player x = Players.join(node, "x" + g); Player o = Players.join(node, "o" + g)) {
            String id = Players.startGame(x, o, "tictactoe", "private", 600);
            long seq = 0;
            for (int m = 0; m <= g; m++) {
              seq = (m % 2 == 0 ? x : o).move(id, Api.JSON.createObjectNode().put("cell", X_WINS[m]));
            }
            games.add(new Game(id, g + 1, seq, x.token(), o.token()));
          }
        }
        // The node is still running those games while the backup is taken.
        Scripts.Run backup = Scripts.run(SCRIPT, env(source), "backup", dump.toString());
        assertThat(backup.exitCode()).as("scripts/backup; it printed:\n%s", backup.output()).isZero();
        assertThat(node.terminate(Duration.ofSeconds(40))).as("source node's exit code").isZero();
      }
      assertThat(Files.size(dump)).isPositive();

      Scripts.Run intoSource = Scripts.run(SCRIPT, env(source), "restore", dump.toString());
      assertThat(intoSource.exitCode()).as("restore into a database with tables; it printed:\n%s", intoSource.output()).isEqualTo(3);
      assertThat(intoSource.output()).contains("is not empty");

      Scripts.Run restore = Scripts.run(SCRIPT, env(target), "restore", dump.toString());
      assertThat(restore.exitCode()).as("scripts/restore; it printed:\n%s", restore.output()).isZero();

      try (NodeProcess node = new NodeProcess("backup-restored", database(target)).start()) {
        node.awaitReady(READY);
        Api api = new Api(node.baseUrl());
        for (Game game : games) {
          JsonNode state = stateOf(api, game);
          assertThat(state.path("status").asText()).as("%s after restore: %s", game.id(), state).isEqualTo("active");
          assertThat(state.path("seq").asLong()).as("every acked move of %s restored", game.id()).isEqualTo(game.ackedSeq());
          JsonNode events = api.get("/api/v1/games/" + game.id() + "/events", game.xToken()).body();
          assertThat(events.size()).isEqualTo((int) game.ackedSeq());
          finish(node, game);
          JsonNode after = api.get("/api/v1/games/" + game.id(), game.oToken()).body();
          assertThat(after.path("status").asText()).as("%s once played to the end", game.id()).isEqualTo("finished");
          assertThat(after.path("result").path("winnerSeat").asInt()).isZero();
          assertThat(after.path("seq").asLong()).isEqualTo(game.ackedSeq() + (X_WINS.length - game.movesBeforeBackup()) + 1);
        }
      }
    } finally {
      dropDatabase(source);
      dropDatabase(target);
      Files.deleteIfExists(dump);
      Files.deleteIfExists(dump.getParent());
    }
  }

  /** The game's state, asked again while the node answers 503 unavailable (a game still starting). */
  private static JsonNode stateOf(Api api, Game game) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      Api.Answer answer = api.get("/api/v1/games/" + game.id(), game.xToken());
      if (answer.status() == 200) {
        return answer.body();
      }
      if (answer.status() != 503 || System.nanoTime() > deadline) {
        throw new AssertionError("GET /api/v1/games/" + game.id() + " after restore answered " + answer);
      }
      Thread.sleep(200);
    }
  }

  /** Plays the rest of X_WINS on the restored node; the last move wins for seat 0. */
  private static void finish(NodeProcess node, Game game) throws Exception {
    try (WsClient x = WsClient.connect(node.baseUrl(), game.xToken()); WsClient o = WsClient.connect(node.baseUrl(), game.oToken())) {
      JsonNode subscribed = x.request(frame("subscribe").put("gameId", game.id()));
      assertThat(subscribed.path("state").path("seq").asLong()).as("%s", subscribed).isEqualTo(game.ackedSeq());
      for (int m = game.movesBeforeBackup(); m < X_WINS.length; m++) {
        WsClient mover = m % 2 == 0 ? x : o;
        // Ids of their own: a move id the player used before the backup is a duplicate (the restored game
        // remembers it) and would be answered with the old ack instead of being played.
        JsonNode ack = mover.request((com.fasterxml.jackson.databind.node.ObjectNode) frame("move").put("id", "after-restore-" + m)
            .put("gameId", game.id()).set("move", Api.JSON.createObjectNode().put("cell", X_WINS[m])));
        assertThat(ack.path("type").asText()).as("move %d of %s after restore: %s", m, game.id(), ack).isEqualTo("ack");
      }
      JsonNode over = x.await(f -> "event".equals(f.path("type").asText()) && game.id().equals(f.path("gameId").asText())
          && "game_over".equals(f.path("event").path("kind").asText()), "game_over of " + game.id());
      assertThat(over.path("event").path("result").path("winnerSeat").asInt()).isZero();
    }
  }

  private static Map<String, String> database(String name) {
    Map<String, String> env = new HashMap<>(NodeProcess.postgres());
    env.put("ARENA_DB_URL", url(name));
    return env;
  }

  /** The environment scripts/backup and scripts/restore read: the same variables as a node. */
  private static Map<String, String> env(String name) {
    Map<String, String> env = new LinkedHashMap<>(database(name));
    // JDBC-only parameters in the URL must not reach pg_dump.
    env.put("ARENA_DB_URL", url(name) + "?reWriteBatchedInserts=true");
    return env;
  }

  /** The suite's database URL with another database name. */
  private static String url(String name) {
    String base = NodeProcess.postgres().get("ARENA_DB_URL");
    String noQuery = base.contains("?") ? base.substring(0, base.indexOf('?')) : base;
    return noQuery.substring(0, noQuery.lastIndexOf('/') + 1) + name;
  }

  private static void createDatabase(String name) throws Exception {
    admin("CREATE DATABASE " + name);
  }

  private static void dropDatabase(String name) throws Exception {
    admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  /** A statement on the suite's database (its role may create databases: scripts/postgres.sh). */
  private static void admin(String sql) throws Exception {
    Map<String, String> env = NodeProcess.postgres();
    try (Connection c = DriverManager.getConnection(env.get("ARENA_DB_URL"), env.get("ARENA_DB_USER"), env.get("ARENA_DB_PASSWORD"));
         Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
