package arena;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {

  private final ObjectMapper json = new ObjectMapper();

  @Test
  void writesTheSpecsWireNames() throws Exception {
    assertEquals("not_your_turn", ErrorCode.NOT_YOUR_TURN.wireName());
    assertEquals("\"game_not_active\"", json.writeValueAsString(ErrorCode.GAME_NOT_ACTIVE));
    assertEquals(ErrorCode.UNKNOWN_GAME_TYPE, json.readValue("\"unknown_game_type\"", ErrorCode.class));
  }

  @Test
  void readsACodeItDoesNotKnowAsInternal() throws Exception {
    assertEquals(ErrorCode.INTERNAL, json.readValue("\"some_future_code\"", ErrorCode.class));
  }
}
