package arena.persistence.replay;

import static org.assertj.core.api.Assertions.assertThat;

import arena.persistence.Database;
import arena.persistence.TestDatabases;
import arena.session.GameSession;
import arena.session.GameSession.Accepted;
import arena.session.GameSession.Command;
import arena.session.GameSession.Reply;
import arena.session.SessionServices;
import arena.session.SessionSettings;
import arena.session.TestClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.typesafe.config.Config;
import com.zaxxer.hikari.HikariDataSource;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A node of this version plays on games stored by the previous release: the journal, tag and
 * snapshot rows that release wrote ({@code replay/previous-release-games.json}, captured by
 * {@link CapturePreviousReleaseGamesIT}) are loaded as they were into the migrated PostgreSQL, and
 * every game recovers to the state that release showed, and goes on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PreviousReleaseReplayIT {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private JsonNode fixture;
  private TestClock clock;
  private ActorTestKit testKit;
  private Database database;

  @BeforeAll
  void load() throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/replay/previous-release-games.json")) {
      fixture = JSON.readTree(in);
    }
    clock = new TestClock(Instant.parse(fixture.get("capturedAt").asText()));
    Config config = TestDatabases.actorSystem(TestDatabases.postgres());
    database = Database.fromConfig(config);
    database.migrate();
    testKit = ActorTestKit.create("replay", config);
  }

  /** Each test starts from the rows as the previous release left them. */
  @BeforeEach
  void storeThePreviousReleasesRows() throws Exception {
    try (HikariDataSource pool = database.openReadPool(); Connection c = pool.getConnection()) {
      insertRows(c);
    }
  }

  @AfterAll
  void stop() {
    if (testKit != null) {
      testKit.shutdownTestKit();
    }
  }

  @Test
  void everyStoredGameRecoversToTheStateThePreviousReleaseShowed() throws Exception {
    for (JsonNode game : fixture.get("games")) {
      ActorRef<Command> session = spawn(game);
      JsonNode state = JSON.readTree(JSON.writeValueAsString(accepted(session, GameSession.GetState::new).state()));
      JsonNode expected = game.get("state");
      for (Iterator<String> fields = expected.fieldNames(); fields.hasNext(); ) {
        String field = fields.next();
        assertThat(state.get(field)).as("%s: %s", game.get("description").asText(), field)
            .isEqualTo(expected.get(field));
      }
      testKit.stop(session, WAIT);
    }
  }

  @Test
  void everyLiveStoredGameGoesOn() {
    int live = 0;
    for (JsonNode game : fixture.get("games")) {
      JsonNode next = game.get("next");
      if (next == null) {
        continue;
      }
      live++;
      ActorRef<Command> session = spawn(game);
      long seq = game.get("state").get("seq").asLong();
      Accepted done;
      if (next.has("join")) {
        done = accepted(session, r -> new GameSession.Join(next.get("join").asText(), "Dave", r));
      } else {
        @SuppressWarnings("unchecked")
        Map<String, Object> move = JSON.convertValue(next.get("move"), Map.class);
        done = accepted(session, r -> new GameSession.MakeMove(next.get("playerId").asText(), "after-upgrade", move, r));
      }
      assertThat(done.seq()).as(game.get("description").asText()).isEqualTo(seq + 1);
      testKit.stop(session, WAIT);
      // and what the new version stored replays too
      ActorRef<Command> again = spawn(game);
      assertThat(accepted(again, GameSession.GetState::new).state().seq())
          .as("%s after a restart", game.get("description").asText()).isGreaterThan(seq);
      testKit.stop(again, WAIT);
    }
    assertThat(live).as("live games in the fixture").isGreaterThanOrEqualTo(4);
  }

  private ActorRef<Command> spawn(JsonNode game) {
    TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
    SessionSettings settings = new SessionSettings(Duration.ofMinutes(10), Duration.ofMinutes(1),
        game.get("snapshotEvery").asInt(), 2, WAIT);
    return testKit.spawn(GameSession.create(game.get("gameId").asText(), shard.ref(), settings,
        SessionServices.of(clock)));
  }

  private Accepted accepted(ActorRef<Command> session, Function<ActorRef<Reply>, Command> command) {
    TestProbe<Reply> probe = testKit.createTestProbe();
    session.tell(command.apply(probe.ref()));
    Reply reply = probe.expectMessageClass(Reply.class, WAIT);
    assertThat(reply).as("reply").isInstanceOf(Accepted.class);
    return (Accepted) reply;
  }

  /** The rows exactly as stored (earlier runs' rows of the same games are replaced). */
  private void insertRows(Connection c) throws Exception {
    for (JsonNode game : fixture.get("games")) {
      String id = GameSession.ENTITY_KEY.name() + "|" + game.get("gameId").asText();
      for (String table : new String[] {"event_journal", "snapshot"}) {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE persistence_id = ?")) {
          s.setString(1, id);
          s.executeUpdate();
        }
      }
    }
    for (JsonNode e : fixture.get("events")) {
      long ordering;
      try (PreparedStatement s = c.prepareStatement("""
          INSERT INTO event_journal (persistence_id, sequence_number, deleted, writer, write_timestamp,
            adapter_manifest, event_ser_id, event_ser_manifest, event_payload)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ordering""")) {
        s.setString(1, e.get("persistence_id").asText());
        s.setLong(2, e.get("sequence_number").asLong());
        s.setBoolean(3, e.get("deleted").asBoolean());
        s.setString(4, e.get("writer").asText());
        s.setLong(5, e.get("write_timestamp").asLong());
        s.setString(6, e.get("adapter_manifest").asText());
        s.setInt(7, e.get("event_ser_id").asInt());
        s.setString(8, e.get("event_ser_manifest").asText());
        s.setBytes(9, e.get("event_payload").asText().getBytes(StandardCharsets.UTF_8));
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          ordering = rs.getLong(1);
        }
      }
      if (!e.get("tags").isNull()) {
        for (String tag : e.get("tags").asText().split(",")) {
          try (PreparedStatement s = c.prepareStatement("INSERT INTO event_tag (event_id, tag) VALUES (?, ?)")) {
            s.setLong(1, ordering);
            s.setString(2, tag);
            s.executeUpdate();
          }
        }
      }
    }
    for (JsonNode snap : fixture.get("snapshots")) {
      try (PreparedStatement s = c.prepareStatement("""
          INSERT INTO snapshot (persistence_id, sequence_number, created, snapshot_ser_id,
            snapshot_ser_manifest, snapshot_payload) VALUES (?, ?, ?, ?, ?, ?)""")) {
        s.setString(1, snap.get("persistence_id").asText());
        s.setLong(2, snap.get("sequence_number").asLong());
        s.setLong(3, snap.get("created").asLong());
        s.setInt(4, snap.get("snapshot_ser_id").asInt());
        s.setString(5, snap.get("snapshot_ser_manifest").asText());
        s.setBytes(6, snap.get("snapshot_payload").asText().getBytes(StandardCharsets.UTF_8));
        s.executeUpdate();
      }
    }
  }
}
