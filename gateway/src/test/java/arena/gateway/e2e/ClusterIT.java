package arena.gateway.e2e;

import static arena.gateway.e2e.WsClient.frame;
import static org.assertj.core.api.Assertions.assertThat;

import arena.gateway.e2e.Players.Player;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Three real node processes on PostgreSQL: they form one cluster, serve a game from any node,
 * survive {@code kill -9} of a member and let players move on when a node leaves gracefully.
 */
class ClusterIT {

  @Test
  void threeNodesFormOneClusterAndAGameIsPlayedThroughTheNodesThatDoNotHostIt() throws Exception {
    try (Cluster cluster = new Cluster("form", 3).startAll()) {
      List<NodeProcess> nodes = cluster.nodes;
      for (NodeProcess node : nodes) {
        Cluster.await(() -> Cluster.upMembers(node).size() == 3, Cluster.FORM, node.name + " seeing 3 Up members");
      }
      assertThat(Cluster.upMembers(nodes.get(0))).isEqualTo(Cluster.upMembers(nodes.get(2)));

      // A game's entity lives on one node; its players connect to the two others.
      try (Player alice = Players.join(nodes.get(0), "alice"); Player bob = Players.join(nodes.get(1), "bob")) {
        String gameId = null;
        for (int attempt = 0; attempt < 60 && gameId == null; attempt++) {
          String candidate = Players.startGame(alice, bob, "tictactoe", "private", 60);
          Set<String> onThird = Cluster.shards(nodes.get(2));
          if (onThird != null && onThird.contains(Cluster.shardOf(candidate))) {
            gameId = candidate;
          }
        }
        assertThat(gameId).as("a game hosted by the third node").isNotNull();
        int[] cells = {0, 3, 1, 4, 2};
        for (int i = 0; i < cells.length; i++) {
          (i % 2 == 0 ? alice : bob).move(gameId, Api.JSON.createObjectNode().put("cell", cells[i]));
        }
        JsonNode over = bob.ws().awaitEvent(gameId, 9);
        assertThat(over.path("event").path("result").path("winnerSeat").asInt()).isZero();
      }
    }
  }

  @Test
  void afterKillMinusNineOfAMemberItsGamesGoOnElsewhereWithNoAcknowledgedMoveLost() throws Exception {
    try (Cluster cluster = new Cluster("kill", 3).startAll()) {
      NodeProcess a = cluster.nodes.get(0);
      NodeProcess b = cluster.nodes.get(1);
      NodeProcess victim = cluster.nodes.get(2);
      Cluster.await(() -> Cluster.upMembers(a).size() == 3, Cluster.FORM, "3 Up members");
      List<String> games = new ArrayList<>();
      List<Long> acked = new ArrayList<>();
      try (Player alice = Players.join(a, "alice"); Player bob = Players.join(b, "bob")) {
        while (games.size() < 3) {
          String gameId = Players.startGame(alice, bob, "connect4", "private", 600);
          Set<String> onVictim = Cluster.shards(victim);
          if (onVictim == null || !onVictim.contains(Cluster.shardOf(gameId))) {
            continue;
          }
          alice.move(gameId, Api.JSON.createObjectNode().put("column", 0));
          acked.add(bob.move(gameId, Api.JSON.createObjectNode().put("column", 0)));
          games.add(gameId);
        }
        victim.kill();
        Cluster.await(() -> Cluster.upMembers(a).size() == 2 && Cluster.get(a.managementPort, "/cluster/members")
            .path("unreachable").isEmpty(), Duration.ofSeconds(60), "the survivors removing the killed node");

        for (int i = 0; i < games.size(); i++) {
          String gameId = games.get(i);
          JsonNode ack = alice.ws().request((com.fasterxml.jackson.databind.node.ObjectNode) frame("move")
              .put("id", "after-kill-" + i).put("gameId", gameId).set("move", Api.JSON.createObjectNode().put("column", 1)));
          assertThat(ack.path("type").asText()).as("move after the kill in %s: %s", gameId, ack).isEqualTo("ack");
          assertThat(ack.path("seq").asLong()).as("every acknowledged move is still there").isEqualTo(acked.get(i) + 1);
        }
      }
    }
  }

  @Test
  void aNodeLeavingUnderPlayTellsItsPlayersWhoReconnectElsewhereAndFinishTheirGames() throws Exception {
    try (Cluster cluster = new Cluster("leave", 3).startAll()) {
      NodeProcess stays = cluster.nodes.get(0);
      NodeProcess leaves = cluster.nodes.get(1);
      Cluster.await(() -> Cluster.upMembers(stays).size() == 3, Cluster.FORM, "3 Up members");
      Player alice = Players.join(leaves, "alice");
      Player bob = Players.join(leaves, "bob");
      String gameId = Players.startGame(alice, bob, "tictactoe", "private", 60);
      alice.move(gameId, Api.JSON.createObjectNode().put("cell", 0));
      bob.move(gameId, Api.JSON.createObjectNode().put("cell", 3));

      long started = System.nanoTime();
      Thread leaving = new Thread(() -> {
        try {
          assertThat(leaves.terminate(Duration.ofSeconds(40))).as("exit code of a graceful leave").isZero();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      leaving.start();
      for (Player p : List.of(alice, bob)) {
        JsonNode shutdown = p.ws().awaitType("shutdown");
        assertThat(shutdown.path("reconnectAfterMs").asLong()).isPositive();
        assertThat(p.ws().awaitClose()).isEqualTo(1012);
      }
      leaving.join(45_000);
      assertThat(leaves.isAlive()).isFalse();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));

      // Reconnect through another node, subscribe again, finish the game.
      try (WsClient a2 = WsClient.connect(stays.baseUrl(), alice.token());
           WsClient b2 = WsClient.connect(stays.baseUrl(), bob.token())) {
        a2.send(frame("subscribe").put("id", "s").put("gameId", gameId));
        assertThat(a2.answer("s").path("state").path("seq").asInt()).isEqualTo(5);
        b2.send(frame("subscribe").put("id", "s").put("gameId", gameId));
        b2.answer("s");
        int[] cells = {1, 4, 2};
        for (int i = 0; i < cells.length; i++) {
          WsClient mover = i % 2 == 0 ? a2 : b2;
          String id = "m" + i;
          mover.send(frame("move").put("id", id).put("gameId", gameId).set("move", Api.JSON.createObjectNode().put("cell", cells[i])));
          assertThat(mover.answer(id).path("type").asText()).isEqualTo("ack");
        }
        JsonNode over = b2.awaitEvent(gameId, 9);
        assertThat(over.path("event").path("kind").asText()).isEqualTo("game_over");
      }
    }
  }

  @Test
  void aConnectedSpectatorKeepsReceivingEventsWhenTheGameMovesToAnotherNode() throws Exception {
    try (Cluster cluster = new Cluster("move", 3).startAll()) {
      NodeProcess front = cluster.nodes.get(0);
      NodeProcess host = cluster.nodes.get(2);
      Cluster.await(() -> Cluster.upMembers(front).size() == 3, Cluster.FORM, "3 Up members");
      try (Player alice = Players.join(front, "alice"); Player bob = Players.join(front, "bob");
           Player watcher = Players.join(front, "watcher")) {
        String gameId = null;
        while (gameId == null) {
          String candidate = Players.startGame(alice, bob, "connect4", "private", 600);
          Set<String> onHost = Cluster.shards(host);
          if (onHost != null && onHost.contains(Cluster.shardOf(candidate))) {
            gameId = candidate;
          }
        }
        watcher.ws().send(frame("subscribe").put("id", "w").put("gameId", gameId));
        assertThat(watcher.ws().answer("w").path("state").path("seq").asInt()).isEqualTo(3);
        alice.move(gameId, Api.JSON.createObjectNode().put("column", 3));
        watcher.ws().awaitEvent(gameId, 4);

        // The node hosting the game leaves: the game's entity moves; the sockets stay on `front`.
        assertThat(host.terminate(Duration.ofSeconds(40))).isZero();
        bob.move(gameId, Api.JSON.createObjectNode().put("column", 4));
        // The watcher's socket resubscribes by itself. If bob's move reached the moved game before
        // the resubscription did, the spec's fallback applies: a fresh state (no re) instead.
        final String id = gameId;
        JsonNode caughtUp = watcher.ws().await(f -> f.path("gameId").asText().equals(id)
            && (f.path("type").asText().equals("event") && f.path("seq").asInt() == 5
                || f.path("type").asText().equals("state") && !f.has("re") && f.path("state").path("seq").asInt() >= 5),
            "event 5 or a fresh state after the move");
        assertThat(caughtUp.path("type").asText()).isIn("event", "state");
        // and from then on every event, in order
        alice.move(gameId, Api.JSON.createObjectNode().put("column", 5));
        assertThat(watcher.ws().awaitEvent(gameId, 6).path("event").path("kind").asText()).isEqualTo("moved");
      }
    }
  }

  @Test
  void aRollingRestartToANewVersionMovesEachShardAtMostOnce() throws Exception {
    try (Cluster cluster = new Cluster("roll", 3).startAll()) {
      List<NodeProcess> old = new ArrayList<>(cluster.nodes);
      Cluster.await(() -> Cluster.upMembers(old.get(0)).size() == 3, Cluster.FORM, "3 Up members");
      List<String> games = new ArrayList<>();
      String token;
      try (Player alice = Players.join(old.get(0), "alice"); Player bob = Players.join(old.get(1), "bob")) {
        for (int i = 0; i < 12; i++) {
          games.add(Players.startGame(alice, bob, "connect4", "private", 600));
        }
        token = alice.token();
      }
      ShardTracker tracker = new ShardTracker(cluster.nodes);
      tracker.start();
      try {
        for (int i = 0; i < old.size(); i++) {
          // as a Deployment with maxSurge 1 does: the new pod first, then the old one leaves
          cluster.add("roll-v2-" + i, "2.0.0");
          NodeProcess leaving = old.get(i);
          assertThat(leaving.terminate(Duration.ofSeconds(40))).as("%s left with exit code 0", leaving.name).isZero();
          NodeProcess survivor = cluster.nodes.get(cluster.nodes.size() - 1);
          Cluster.await(() -> Cluster.upMembers(survivor).size() == 3, Cluster.FORM, leaving.name + " removed");
        }
        // Rebalancing would happen within two rebalance intervals (10 s each) after the rollout:
        // watch that long to see that it does not move anything a second time.
        Thread.sleep(25_000);
      } finally {
        tracker.stop();
      }
      assertThat(tracker.movesPerShard()).as("hand-offs per shard during the rollout").allSatisfy((shard, moves) ->
          assertThat(moves).as("shard %s", shard).isLessThanOrEqualTo(1));
      assertThat(tracker.lastHosts().values()).as("every shard ends on a new-version node").allMatch(host -> host.startsWith("roll-v2-"));
      // and the games are all still there
      NodeProcess any = cluster.nodes.get(cluster.nodes.size() - 1);
      Api api = new Api(any.baseUrl());
      for (String gameId : games) {
        assertThat(api.get("/api/v1/games/" + gameId, token).body().path("status").asText()).isEqualTo("active");
      }
    }
  }

  /** Polls every live node's shard list and counts, per shard, how often its host changed. */
  private static final class ShardTracker {
    private final List<NodeProcess> nodes;
    private final java.util.Map<String, String> host = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, Integer> moves = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean running = true;
    private final Thread thread = new Thread(this::run, "shard-tracker");

    ShardTracker(List<NodeProcess> nodes) {
      this.nodes = nodes;
    }

    void start() {
      thread.start();
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join(10_000);
    }

    private void run() {
      while (running) {
        for (NodeProcess node : List.copyOf(nodes)) {
          if (!node.isAlive()) {
            continue;
          }
          Set<String> shards = Cluster.shards(node);
          if (shards == null) {
            continue;
          }
          for (String shard : shards) {
            String before = host.put(shard, node.name);
            if (before != null && !before.equals(node.name)) {
              moves.merge(shard, 1, Integer::sum);
            }
          }
        }
        try {
          Thread.sleep(300);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    java.util.Map<String, Integer> movesPerShard() {
      java.util.Map<String, Integer> all = new java.util.TreeMap<>();
      host.keySet().forEach(shard -> all.put(shard, moves.getOrDefault(shard, 0)));
      return all;
    }

    java.util.Map<String, String> lastHosts() {
      return java.util.Map.copyOf(host);
    }
  }
}
