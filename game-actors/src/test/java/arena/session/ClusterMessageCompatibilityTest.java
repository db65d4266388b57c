package arena.session;

import static org.assertj.core.api.Assertions.assertThat;

import arena.ErrorCode;
import arena.lobby.Matchmaker;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * During a rolling upgrade old and new nodes exchange cluster messages: what the previous release
 * wrote (the JSON below, as it wrote it) reads into this version's types, and what this version
 * writes has every field, with the same name and spelling, that the previous release reads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterMessageCompatibilityTest {

  private final ActorTestKit testKit = ActorTestKit.create("compatibility",
      ConfigFactory.parseResources("serialization.conf")
          .withFallback(ConfigFactory.parseString("pekko.actor.provider = local"))
          .withFallback(ConfigFactory.load()));
  private final Serialization serialization = SerializationExtension.get(testKit.system().classicSystem());
  private final ObjectMapper json = new ObjectMapper();

  @AfterAll
  void stop() {
    testKit.shutdownTestKit();
  }

  private Object readAs(Class<?> type, String previous) throws Exception {
    Serializer serializer = serialization.serializerFor(type);
    return serialization.deserialize(previous.getBytes(StandardCharsets.UTF_8), serializer.identifier(),
        type.getName()).get();
  }

  private JsonNode written(Object message) throws Exception {
    Serializer serializer = serialization.findSerializerFor(message);
    assertThat(Serializers.manifestFor(serializer, message)).isEqualTo(message.getClass().getName());
    return json.readTree(serialization.serialize(message).get());
  }

  @Test
  void aRejectionReadsAndWritesItsCodeAsTheWireName() throws Exception {
    assertThat(readAs(GameSession.Rejected.class, "{\"code\":\"not_your_turn\",\"message\":\"it is seat 1's turn\"}"))
        .isEqualTo(new GameSession.Rejected(ErrorCode.NOT_YOUR_TURN, "it is seat 1's turn"));
    assertThat(written(new GameSession.Rejected(ErrorCode.GAME_NOT_ACTIVE, "over")).toString())
        .isEqualTo("{\"code\":\"game_not_active\",\"message\":\"over\"}");
    assertThat(readAs(GameSession.Rejected.class, "{\"code\":\"a_newer_code\",\"message\":\"?\"}"))
        .as("a code of a newer node").isEqualTo(new GameSession.Rejected(ErrorCode.INTERNAL, "?"));
    assertThat(readAs(Matchmaker.Rejected.class, "{\"game\":\"chess\",\"code\":\"unknown_game_type\",\"message\":\"no\"}"))
        .isEqualTo(new Matchmaker.Rejected("chess", ErrorCode.UNKNOWN_GAME_TYPE, "no"));
  }

  @Test
  void aMoveAckCarriesTheSeqAnOldGatewayReadsAndAnOldAckReadsWithoutAStatus() throws Exception {
    JsonNode ack = written(new GameSession.Accepted(7, 0, null, Status.ACTIVE));
    assertThat(ack.get("seq").asLong()).isEqualTo(7);
    assertThat(ack.get("seat").asInt()).isEqualTo(0);
    assertThat(ack.get("status").asText()).isEqualTo("active");
    GameSession.Accepted old = (GameSession.Accepted) readAs(GameSession.Accepted.class,
        "{\"seq\":7,\"seat\":0,\"state\":null}");
    assertThat(old.seq()).isEqualTo(7);
    assertThat(old.status()).isNull();
  }

  @Test
  void viewsAndCreatesKeepTheSpellingsOfStatusAndVisibility() throws Exception {
    String previousView = """
        {"gameId":"g1","game":"connect4","status":"waiting","seq":1,"visibility":"public","turnSeconds":60,
         "players":[{"seat":0,"playerId":"a","name":"A"}],"turn":null,"turnDeadline":null,"board":[],
         "result":null,"createdAt":"2026-11-22T10:00:00Z","updatedAt":"2026-11-22T10:00:00Z"}""";
    GameView view = (GameView) readAs(GameView.class, previousView);
    assertThat(view.status()).isEqualTo(Status.WAITING);
    assertThat(view.visibility()).isEqualTo(Visibility.PUBLIC);
    JsonNode again = written(view);
    assertThat(again.get("status").asText()).isEqualTo("waiting");
    assertThat(again.get("visibility").asText()).isEqualTo("public");
    assertThat(again.get("players").get(0).get("playerId").asText()).isEqualTo("a");

    TestProbe<GameSession.Reply> probe = testKit.createTestProbe();
    JsonNode create = written(new GameSession.Create("connect4", Visibility.PRIVATE, 60, "a", "A", probe.ref()));
    assertThat(create.get("visibility").asText()).isEqualTo("private");
    String previousCreate = create.toString().replace("\"private\"", "\"public\"");
    assertThat(((GameSession.Create) readAs(GameSession.Create.class, previousCreate)).visibility())
        .isEqualTo(Visibility.PUBLIC);
  }

  @Test
  void anAppliedGameOverCarriesTheResultAndPlayersInTheirPreviousShape() throws Exception {
    Instant at = Instant.parse("2026-11-22T10:00:00Z");
    GameEvent over = new GameEvent.GameOver(new GameEvent.Result("win", 1, "resign"), "checkers",
        List.of(new GameEvent.Seat(0, "a", "A"), new GameEvent.Seat(1, "b", "B")), "r1", 0, at);
    JsonNode event = written(new GameSession.Applied("g1", 9, over, null)).get("event");
    assertThat(json.convertValue(event, Map.class)).isEqualTo(json.readValue("""
        {"kind":"game_over","result":{"outcome":"win","winnerSeat":1,"reason":"resign"},"game":"checkers",
         "players":[{"seat":0,"playerId":"a","name":"A"},{"seat":1,"playerId":"b","name":"B"}],
         "requestId":"r1","requestSeat":0,"at":"2026-11-22T10:00:00Z"}""", Map.class));
  }
}
