package arena.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import arena.ErrorCode;
import arena.gateway.protocol.ClientFrame;
import arena.gateway.protocol.ClientFrames;
import arena.gateway.protocol.Fields;
import arena.gateway.protocol.Json;
import arena.gateway.protocol.ProtocolException;
import arena.rules.GameCatalog;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * Any text a client sends as a WebSocket frame is either a well-formed {@link ClientFrame} whose
 * fields hold what the spec allows, or refused with one of the spec's client error codes: never an
 * exception, never {@code internal}.
 */
class FrameFuzzTest {

  private static final Set<ErrorCode> CLIENT_ERRORS = Set.of(ErrorCode.BAD_REQUEST, ErrorCode.UNKNOWN_GAME_TYPE);

  @FuzzTest(maxDuration = "30s")
  void everyFrameDecodesOrIsRefusedWithAClientError(String text) {
    if (text == null) {
      return; // a WebSocket text message always has a text, if an empty one
    }
    JsonNode node = Json.parse(text);
    ClientFrame frame;
    try {
      frame = ClientFrames.decode(node);
    } catch (ProtocolException refused) {
      assertThat(refused.code()).isIn(CLIENT_ERRORS);
      assertThat(refused.getMessage()).isNotBlank().hasSizeLessThan(300);
      return;
    }
    assertThat(node).isNotNull();
    assertFieldsWithinBounds(frame);
    // What we answer with a refused frame's id must be echoed safely, too.
    String id = ClientFrames.idOf(node);
    assertThat(id == null || id.length() <= Fields.MAX_TEXT).isTrue();
  }

  private static void assertFieldsWithinBounds(ClientFrame frame) {
    assertThat(frame.id() == null || frame.id().length() <= Fields.MAX_TEXT).isTrue();
    if (frame instanceof ClientFrame.Create create) {
      assertThat(GameCatalog.find(create.game())).isPresent();
      assertThat(create.visibility()).isIn("public", "private");
      assertThat(create.turnSeconds()).isBetween(5, 3600);
    } else if (frame instanceof ClientFrame.Quickmatch quickmatch) {
      assertThat(GameCatalog.find(quickmatch.game())).isPresent();
    } else if (frame instanceof ClientFrame.CancelQuickmatch cancel) {
      assertThat(GameCatalog.find(cancel.game())).isPresent();
    } else if (frame instanceof ClientFrame.Move move) {
      assertThat(move.gameId()).hasSizeLessThanOrEqualTo(Fields.MAX_TEXT);
      assertThat(move.move()).isNotNull();
    }
  }
}
