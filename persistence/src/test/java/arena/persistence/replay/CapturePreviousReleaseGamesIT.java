package arena.persistence.replay;

import static org.assertj.core.api.Assertions.assertThat;

import arena.persistence.Database;
import arena.persistence.TestDatabases;
import arena.session.GameIds;
import arena.session.GameSession;
import arena.session.GameSession.Accepted;
import arena.session.GameSession.Command;
import arena.session.GameSession.Reply;
import arena.session.SessionServices;
import arena.session.SessionSettings;
import arena.session.TestClock;
import arena.session.Visibility;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.typesafe.config.Config;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test of today's code but the tool that wrote {@code previous-release-games.json}: it plays
 * games of every type through the real journal into PostgreSQL (a finished one, a resigned one
 * past a snapshot, an aborted one, a waiting one, active ones with and without snapshots) and
 * dumps their journal, tag and snapshot rows as stored. Run it once on the release whose stored
 * data the next one must read (it only runs when {@code arena.capture.to} names the file):
 *
 * <pre>
 * mvn -B -o verify -pl persistence -am -Dit.test=CapturePreviousReleaseGamesIT \
 *   -Darena.capture.to=$PWD/persistence/src/test/resources/replay/previous-release-games.json ...
 * </pre>
 *
 * {@link PreviousReleaseReplayIT} loads the file into the database and plays on.
 */
@EnabledIfSystemProperty(named = "arena.capture.to", matches = ".+")
class CapturePreviousReleaseGamesIT {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

  private final TestClock clock = new TestClock(Instant.parse("2026-12-07T03:00:00Z"));
  private ActorTestKit testKit;
  private final ObjectNode fixture = JSON.createObjectNode();
  private final ArrayNode games = fixture.putArray("games");

  @Test
  void playsGamesOfEveryKindAndDumpsTheirRows() throws Exception {
    Config config = TestDatabases.actorSystem(TestDatabases.postgres());
    Database database = Database.fromConfig(config);
    database.migrate();
    testKit = ActorTestKit.create("capture", config);
    try (HikariDataSource pool = database.openReadPool()) {
      playAll();
      fixture.put("capturedAt", clock.instant().toString());
      fixture.put("note", "rows as the release before issue 11 stored them; see CapturePreviousReleaseGamesIT");
      dump(pool);
    } finally {
      testKit.shutdownTestKit();
    }
    Path to = Path.of(System.getProperty("arena.capture.to"));
    Files.createDirectories(to.getParent());
    Files.writeString(to, JSON.writeValueAsString(fixture) + "\n", StandardCharsets.UTF_8);
  }

  private void playAll() {
    // tictactoe won on a line, no snapshot: 9 events
    String won = game("tictactoe won by seat 0 on a line", 1000, "tictactoe", Visibility.PUBLIC, s -> {
      play(s, "alice", 0, Map.of("cell", 0));
      play(s, "bob", 1, Map.of("cell", 3));
      play(s, "alice", 2, Map.of("cell", 1));
      play(s, "bob", 3, Map.of("cell", 4));
      play(s, "alice", 4, Map.of("cell", 2));
    }, null);
    // connect4 resigned by bob after snapshots at 2, 4, 6 (the last two kept): the snapshot holds a result
    game("connect4 resigned by seat 1, snapshots every 2", 2, "connect4", Visibility.PRIVATE, s -> {
      play(s, "alice", 0, Map.of("column", 3));
      play(s, "bob", 1, Map.of("column", 3));
      play(s, "alice", 2, Map.of("column", 4));
      accepted(s, r -> new GameSession.Resign("bob", "bob-resigns", r));
    }, null);
    // connect4 active past snapshots at 3 and 6, 5 moves in; alice (seat 0) moves next
    game("connect4 active, snapshots every 3", 3, "connect4", Visibility.PUBLIC, s -> {
      for (int i = 0; i < 5; i++) {
        int column = (i / 2) % 2 == 0 ? i % 2 : 2 + i % 2;
        play(s, i % 2 == 0 ? "alice" : "bob", i, Map.of("column", column));
      }
    }, nextMove("bob", Map.of("column", 6)));
    // checkers active from events only; black must capture 15x22 next
    game("checkers active, no snapshot", 1000, "checkers", Visibility.PRIVATE, s -> {
      play(s, "alice", 0, Map.of("path", List.of(11, 15)));
      play(s, "bob", 1, Map.of("path", List.of(22, 18)));
    }, nextMove("alice", Map.of("path", List.of(15, 22))));
    // checkers active from a snapshot (every 2)
    game("checkers active, snapshots every 2", 2, "checkers", Visibility.PUBLIC, s -> {
      play(s, "alice", 0, Map.of("path", List.of(9, 13)));
      play(s, "bob", 1, Map.of("path", List.of(22, 18)));
      play(s, "alice", 2, Map.of("path", List.of(10, 14)));
    }, nextMove("bob", Map.of("path", List.of(18, 9))));
    // tictactoe waiting for its second player
    String waiting = GameIds.newId();
    ActorRef<Command> w = spawn(waiting, 1000);
    accepted(w, r -> new GameSession.Create("tictactoe", Visibility.PUBLIC, 3600, "carol", "Carol", r));
    describe(waiting, "tictactoe waiting for a second player", 1000, w, nextJoin("dave"));
    // connect4 aborted: its creator left before anyone joined
    String aborted = GameIds.newId();
    ActorRef<Command> a = spawn(aborted, 1000);
    accepted(a, r -> new GameSession.Create("connect4", Visibility.PUBLIC, 60, "erin", "Erin", r));
    accepted(a, r -> new GameSession.Leave("erin", "erin-leaves", r));
    describe(aborted, "connect4 aborted, its creator left", 1000, a, null);
    assertThat(won).isNotNull();
  }

  private String game(String description, int snapshotEvery, String type, Visibility visibility,
      java.util.function.Consumer<ActorRef<Command>> moves, ObjectNode next) {
    String gameId = GameIds.newId();
    ActorRef<Command> session = spawn(gameId, snapshotEvery);
    accepted(session, r -> new GameSession.Create(type, visibility, 3600, "alice", "Alice", r));
    accepted(session, r -> new GameSession.Join("bob", "Bob", r));
    moves.accept(session);
    describe(gameId, description, snapshotEvery, session, next);
    return gameId;
  }

  private void describe(String gameId, String description, int snapshotEvery, ActorRef<Command> session,
      ObjectNode next) {
    ObjectNode game = games.addObject();
    game.put("gameId", gameId);
    game.put("description", description);
    game.put("snapshotEvery", snapshotEvery);
    game.set("state", JSON.valueToTree(accepted(session, GameSession.GetState::new).state()));
    if (next != null) {
      game.set("next", next);
    }
    testKit.stop(session, WAIT);
  }

  private static ObjectNode nextMove(String playerId, Map<String, Object> move) {
    ObjectNode next = JSON.createObjectNode();
    next.put("playerId", playerId);
    next.set("move", JSON.valueToTree(move));
    return next;
  }

  private static ObjectNode nextJoin(String playerId) {
    ObjectNode next = JSON.createObjectNode();
    next.put("join", playerId);
    return next;
  }

  private ActorRef<Command> spawn(String gameId, int snapshotEvery) {
    TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
    SessionSettings settings = new SessionSettings(Duration.ofMinutes(10), Duration.ofMinutes(1), snapshotEvery, 2, WAIT);
    return testKit.spawn(GameSession.create(gameId, shard.ref(), settings, SessionServices.of(clock)));
  }

  private void play(ActorRef<Command> session, String player, int i, Map<String, Object> move) {
    clock.advance(Duration.ofSeconds(1));
    accepted(session, r -> new GameSession.MakeMove(player, player + "-" + i, move, r));
  }

  private Accepted accepted(ActorRef<Command> session, Function<ActorRef<Reply>, Command> command) {
    TestProbe<Reply> probe = testKit.createTestProbe();
    session.tell(command.apply(probe.ref()));
    Reply reply = probe.expectMessageClass(Reply.class, WAIT);
    assertThat(reply).as("reply").isInstanceOf(Accepted.class);
    return (Accepted) reply;
  }

  private void dump(HikariDataSource pool) throws Exception {
    List<String> ids = new java.util.ArrayList<>();
    games.forEach(g -> ids.add(GameSession.ENTITY_KEY.name() + "|" + g.get("gameId").asText()));
    ArrayNode events = fixture.putArray("events");
    ArrayNode snapshots = fixture.putArray("snapshots");
    try (Connection c = pool.getConnection()) {
      awaitSnapshots(c, ids, 6); // 4 and 6 of the resigned game, 3 and 6, 4 and 6 of the active ones
      for (String id : ids) {
        rows(c, """
            SELECT persistence_id, sequence_number, deleted, writer, write_timestamp, adapter_manifest,
              event_ser_id, event_ser_manifest, event_payload,
              (SELECT string_agg(tag, ',' ORDER BY tag) FROM event_tag t WHERE t.event_id = j.ordering) AS tags
            FROM event_journal j WHERE persistence_id = ? ORDER BY sequence_number""", id, events,
            "event_payload");
        rows(c, """
            SELECT persistence_id, sequence_number, created, snapshot_ser_id, snapshot_ser_manifest, snapshot_payload
            FROM snapshot WHERE persistence_id = ? ORDER BY sequence_number""", id, snapshots, "snapshot_payload");
      }
    }
  }

  /**
   * Snapshots are stored after the reply, and older ones deleted after that: wait until at least
   * {@code atLeast} are there and the count has not changed for a second (a capture tool, not a test).
   */
  private static void awaitSnapshots(Connection c, List<String> ids, int atLeast) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    long last = -1;
    long since = System.nanoTime();
    while (true) {
      try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM snapshot WHERE persistence_id = ANY (?)")) {
        s.setArray(1, c.createArrayOf("varchar", ids.toArray()));
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          long count = rs.getLong(1);
          if (count != last) {
            last = count;
            since = System.nanoTime();
          } else if (count >= atLeast && System.nanoTime() - since > 1_000_000_000L) {
            return;
          }
          assertThat(System.nanoTime()).as("%d snapshots, still %d", atLeast, count).isLessThan(deadline);
        }
      }
      Thread.sleep(100);
    }
  }

  private static void rows(Connection c, String sql, String id, ArrayNode into, String payload) throws Exception {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          ObjectNode row = into.addObject();
          for (int i = 1; i <= columns; i++) {
            String name = rs.getMetaData().getColumnLabel(i);
            Object value = rs.getObject(i);
            if (name.equals(payload)) {
              // JSON as the serializer wrote it (small payloads are not compressed): kept as text, readable
              row.put(name, new String((byte[]) value, StandardCharsets.UTF_8));
            } else {
              row.set(name, JSON.valueToTree(value));
            }
          }
        }
      }
    }
  }
}
