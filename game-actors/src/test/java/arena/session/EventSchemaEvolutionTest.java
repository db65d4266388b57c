package arena.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Stored events stay readable after their classes change, and every event survives JSON. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventSchemaEvolutionTest {

  private final ActorTestKit testKit = ActorTestKit.create("evolution",
      ConfigFactory.parseResources("serialization.conf")
          .withFallback(ConfigFactory.parseString("pekko.actor.provider = local"))
          .withFallback(ConfigFactory.load()));
  private final Serialization serialization = SerializationExtension.get(testKit.system().classicSystem());

  @AfterAll
  void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aVersionOneMovedEventIsReadWithItsRenamedField() throws Exception {
    Serializer serializer = serialization.serializerFor(GameEvent.Moved.class);
    // As a v1 node stored it: the manifest has no version suffix, the id is "moveId".
    byte[] stored = """
        {"kind":"moved","seat":1,"move":{"column":3},"moveId":"m-17","at":"2026-11-22T10:00:00Z"}
        """.getBytes(StandardCharsets.UTF_8);
    Object read = serialization.deserialize(stored, serializer.identifier(), GameEvent.Moved.class.getName()).get();
    assertThat(read).isEqualTo(new GameEvent.Moved(1, Map.of("column", 3), "m-17", Instant.parse("2026-11-22T10:00:00Z")));
  }

  @Test
  void everyEventKindSurvivesARoundTrip() {
    Instant at = Instant.parse("2026-11-22T10:00:00Z");
    List<GameEvent.Seat> players = List.of(new GameEvent.Seat(0, "a", "A"), new GameEvent.Seat(1, "b", "B"));
    List<GameEvent> events = List.of(
        new GameEvent.GameCreated("checkers", Visibility.PRIVATE, 30, 0, "a", "A", at.plusSeconds(600), at),
        new GameEvent.PlayerJoined(1, "b", "B", at),
        new GameEvent.PlayerLeft(1, at),
        new GameEvent.GameStarted(at),
        new GameEvent.Moved(0, Map.of("path", List.of(9, 13)), "m1", at),
        new GameEvent.GameOver(new GameEvent.Result("win", 1, "resign"), "checkers", players, "r1", 0, at),
        new GameEvent.GameOver(new GameEvent.Result("draw", null, "draw_rule"), "checkers", players, null, null, at),
        new GameEvent.GameAborted("expired", at));
    for (GameEvent event : events) {
      Serializer serializer = serialization.findSerializerFor(event);
      assertThat(serializer.getClass().getSimpleName()).isEqualTo("JacksonJsonSerializer");
      byte[] bytes = serializer.toBinary(event);
      String manifest = org.apache.pekko.serialization.Serializers.manifestFor(serializer, event);
      assertThat(serialization.deserialize(bytes, serializer.identifier(), manifest).get()).isEqualTo(event);
    }
  }

  @Test
  void snapshotsKeepWritingTheStatusAsEarlierReleasesDidAndViewsWriteTheSpecsSpelling() throws Exception {
    GameState state = GameState.empty("g1").apply(new GameEvent.GameCreated("tictactoe", Visibility.PUBLIC, 30, 0,
        "a", "A", Instant.parse("2026-11-22T10:10:00Z"), Instant.parse("2026-11-22T10:00:00Z")));
    Serializer serializer = serialization.findSerializerFor(state);
    String json = new String(serializer.toBinary(state), StandardCharsets.UTF_8);
    assertThat(json).contains("\"status\":\"WAITING\"").contains("\"visibility\":\"public\"");
    String manifest = org.apache.pekko.serialization.Serializers.manifestFor(serializer, state);
    GameState read = (GameState) serialization.deserialize(json.getBytes(StandardCharsets.UTF_8),
        serializer.identifier(), manifest).get();
    assertThat(read.view()).isEqualTo(state.view());
    String view = new String(serialization.serialize(state.view()).get(), StandardCharsets.UTF_8);
    assertThat(view).contains("\"status\":\"waiting\"").contains("\"visibility\":\"public\"");
    assertThat(Status.fromJson("ACTIVE")).isEqualTo(Status.ACTIVE);
    assertThat(Status.fromJson("active")).isEqualTo(Status.ACTIVE);
  }
}
