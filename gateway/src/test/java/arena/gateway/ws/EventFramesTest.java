package arena.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import arena.gateway.protocol.Json;
import arena.session.GameEvent;
import arena.session.GameSession;
import arena.session.GameView;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventFramesTest {

  private static GameSession.Applied moved(long seq, int column) {
    Instant at = Instant.parse("2026-12-07T04:00:00Z");
    GameView state = new GameView("g1", "connect4", arena.session.Status.ACTIVE, seq, arena.session.Visibility.PUBLIC, 30,
        List.of(new GameView.Seat(0, "p0", "alice"), new GameView.Seat(1, "p1", "bob")), 1, at.plusSeconds(30),
        List.of(), null, at, at);
    return new GameSession.Applied("g1", seq, new GameEvent.Moved(0, Map.of("column", column), "r" + seq, at), state);
  }

  @Test
  void writesTheSpecsEventFrameWithoutInternalFields() {
    JsonNode frame = Json.parse(new EventFrames().text(moved(7, 3)));
    assertThat(frame.get("type").asText()).isEqualTo("event");
    assertThat(frame.get("gameId").asText()).isEqualTo("g1");
    assertThat(frame.get("seq").asLong()).isEqualTo(7);
    assertThat(frame.get("event").get("kind").asText()).isEqualTo("moved");
    assertThat(frame.get("event").get("move").get("column").asInt()).isEqualTo(3);
    assertThat(frame.get("event").has("requestId")).as("request ids stay inside").isFalse();
    assertThat(frame.get("state").get("status").asText()).isEqualTo("active");
  }

  @Test
  void writesEachEventOnceForAllItsSubscribersAndNeverMixesEvents() {
    EventFrames frames = new EventFrames();
    GameSession.Applied first = moved(7, 3);
    String text = frames.text(first);
    assertThat(frames.text(first)).as("the same instance: the same text, not written again").isSameAs(text);
    GameSession.Applied equalButOther = moved(7, 3);
    assertThat(frames.text(equalButOther)).isEqualTo(text);
    for (int i = 0; i < 5_000; i++) { // far more events than slots: every one gets its own text
      GameSession.Applied next = moved(8 + i, i % 7);
      assertThat(Json.parse(frames.text(next)).get("seq").asLong()).isEqualTo(8 + i);
    }
  }
}
