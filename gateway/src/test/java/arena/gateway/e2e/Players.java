package arena.gateway.e2e;

import static arena.gateway.e2e.WsClient.frame;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.UUID;

/** A player of an end-to-end test: an account, a token and a socket. */
public final class Players {

  /** A player with an open socket. */
  public record Player(String playerId, String name, String token, WsClient ws) implements AutoCloseable {
    @Override
    public void close() {
      ws.close();
    }

    /** Sends a move and waits for its ack; returns the ack's seq. */
    public long move(String gameId, JsonNode move) {
      JsonNode ack = ws.request((com.fasterxml.jackson.databind.node.ObjectNode) frame("move").put("gameId", gameId).set("move", move));
      assertThat(ack.path("type").asText()).as("answer to move %s: %s", move, ack).isEqualTo("ack");
      return ack.path("seq").asLong();
    }
  }

  private Players() {}

  public static Player join(NodeProcess node, String name) throws IOException, InterruptedException {
    JsonNode account = new Api(node.baseUrl()).newPlayer(name);
    return new Player(account.get("playerId").asText(), name, account.get("token").asText(),
        WsClient.connect(node.baseUrl(), account.get("token").asText()));
  }

  public static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** {@code a} creates a game of {@code game}, {@code b} joins it; returns the game id once active. */
  public static String startGame(Player a, Player b, String game, String visibility, int turnSeconds) {
    JsonNode created = a.ws().request(frame("create").put("game", game).put("visibility", visibility).put("turnSeconds", turnSeconds));
    assertThat(created.path("type").asText()).as("created: %s", created).isEqualTo("created");
    String gameId = created.get("gameId").asText();
    a.ws().await(f -> f.path("type").asText().equals("state") && f.path("gameId").asText().equals(gameId), "state after create");
    JsonNode joined = b.ws().request(frame("join").put("gameId", gameId));
    assertThat(joined.path("type").asText()).as("joined: %s", joined).isEqualTo("joined");
    assertThat(joined.path("seat").asInt()).isEqualTo(1);
    JsonNode state = b.ws().await(f -> f.path("type").asText().equals("state") && f.path("gameId").asText().equals(gameId), "state after join");
    assertThat(state.path("state").path("status").asText()).isEqualTo("active");
    return gameId;
  }
}
