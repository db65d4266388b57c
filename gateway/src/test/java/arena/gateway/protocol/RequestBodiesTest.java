package arena.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import arena.ErrorCode;
import org.junit.jupiter.api.Test;

/** HTTP request bodies are read strictly, each into its record, refused with the spec's code. */
class RequestBodiesTest {

  private static void refused(RequestBodies.Reader<?> reader, String text, ErrorCode code) {
    assertThatThrownBy(() -> reader.read(text)).as(text).isInstanceOf(ProtocolException.class)
        .extracting(e -> ((ProtocolException) e).code()).isEqualTo(code);
  }

  @Test
  void aNewGameFillsInTheSpecsDefaults() throws Exception {
    assertThat(RequestBodies.newGame("{\"game\":\"connect4\"}"))
        .isEqualTo(new RequestBodies.NewGame("connect4", "public", 60));
    assertThat(RequestBodies.newGame("{\"game\":\"checkers\",\"visibility\":\"private\",\"turnSeconds\":5}"))
        .isEqualTo(new RequestBodies.NewGame("checkers", "private", 5));
  }

  @Test
  void refusesBodiesThatAreNotOneStrictJsonObject() {
    for (String text : new String[] {"", "[]", "\"x\"", "{", "{\"name\":\"a\"} {}", "{\"name\":\"a\",\"name\":\"b\"}"}) {
      refused(RequestBodies::newPlayer, text, ErrorCode.BAD_REQUEST);
    }
  }

  @Test
  void refusesFieldsOfTheWrongTypeOrOutOfRange() {
    refused(RequestBodies::newPlayer, "{}", ErrorCode.BAD_REQUEST);
    refused(RequestBodies::newPlayer, "{\"name\":\" alice\"}", ErrorCode.BAD_REQUEST);
    refused(RequestBodies::newPlayer, "{\"name\":7}", ErrorCode.BAD_REQUEST);
    refused(RequestBodies::newGame, "{\"game\":\"chess\"}", ErrorCode.UNKNOWN_GAME_TYPE);
    refused(RequestBodies::newGame, "{\"game\":\"connect4\",\"turnSeconds\":\"60\"}", ErrorCode.BAD_REQUEST);
    refused(RequestBodies::newGame, "{\"game\":\"connect4\",\"turnSeconds\":4}", ErrorCode.BAD_REQUEST);
    refused(RequestBodies::newGame, "{\"game\":\"connect4\",\"visibility\":\"secret\"}", ErrorCode.BAD_REQUEST);
  }
}
