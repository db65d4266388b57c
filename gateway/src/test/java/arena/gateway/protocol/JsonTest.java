package arena.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void duplicateKeysAreNotJsonToUsAtAnyDepth() {
    assertThat(Json.parse("{\"name\":\"a\",\"name\":\"b\"}")).isNull();
    assertThat(Json.parse("{\"type\":\"move\",\"move\":{\"cell\":1,\"cell\":2}}")).isNull();
    assertThat(Json.parse("{\"name\":\"a\",\"other\":{\"name\":\"b\"}}")).isNotNull();
  }
}
