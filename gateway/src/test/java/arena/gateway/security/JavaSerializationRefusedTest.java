package arena.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import arena.ErrorCode;
import arena.session.GameSession;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.HashMap;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The node's own configuration refuses Java serialization both ways: nothing it sends is written
 * with it, and bytes that claim to be Java-serialized (what an attacker on the remoting port would
 * send to reach a deserialization gadget) are refused before any object is read.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JavaSerializationRefusedTest {

  /** Pekko's id of its Java serializer, as written in every remoting envelope that uses it. */
  private static final int JAVA_SERIALIZER_ID = 1;

  private final ActorSystem system = ActorSystem.create("serialization", ConfigFactory.parseString("""
      pekko.actor.provider = cluster
      pekko.remote.artery.canonical { hostname = "127.0.0.1", port = 0 }
      pekko.loglevel = WARNING
      """).withFallback(ConfigFactory.load()));
  private final Serialization serialization = SerializationExtension.get(system);

  @AfterAll
  void stop() {
    system.terminate();
  }

  @Test
  void aJavaSerializedMessageIsRefusedBeforeAnyObjectIsRead() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(new HashMap<>(java.util.Map.of("gadget", "payload")));
    }
    assertThat(serialization.deserialize(bytes.toByteArray(), JAVA_SERIALIZER_ID, "").isFailure()).isTrue();
    assertThatThrownBy(() -> serialization.deserialize(bytes.toByteArray(), JAVA_SERIALIZER_ID, "").get())
        .hasMessageContaining("serialization");
  }

  @Test
  void aSerializableObjectIsNeverWrittenWithJavaSerialization() {
    record Sneaky(String value) implements Serializable {}
    assertThatThrownBy(() -> serialization.serialize(new Sneaky("x")).get())
        .as("java.io.Serializable alone is refused, not serialized");
  }

  @Test
  void sessionMessagesTravelAsJson() {
    Serializer serializer = serialization.findSerializerFor(
        new GameSession.Rejected(ErrorCode.NOT_FOUND, "no game"));
    assertThat(serializer.getClass().getSimpleName()).isEqualTo("JacksonJsonSerializer");
  }
}
