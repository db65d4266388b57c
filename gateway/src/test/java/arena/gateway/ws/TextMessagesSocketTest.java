package arena.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import arena.gateway.e2e.RawWebSocket;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.javadsl.Flow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The gateway's WebSocket stack ({@link WebSocketUpgrade} with {@link TextMessages} on Pekko's
 * frame layers) over a real socket, with a handler that answers what it was given: messages
 * arrive whole however they were fragmented, a message past the limit is refused at once and the
 * next one still arrives, binary messages and pings get their answers, a silent peer is pinged,
 * and a handler that ends closes the socket with the code its connection chose.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TextMessagesSocketTest {

  private static final int LIMIT = 1024;

  private final ActorTestKit kit = ActorTestKit.create("text-messages", ConfigFactory.parseString("""
      pekko.loglevel = WARNING
      pekko.http.server.websocket.periodic-keep-alive-mode = ping
      pekko.http.server.websocket.periodic-keep-alive-max-idle = 1s
      """).withFallback(ConfigFactory.load()));
  private ServerBinding binding;

  @BeforeAll
  void start() throws Exception {
    WebSocketUpgrade upgrade = new WebSocketUpgrade(kit.system(), LIMIT);
    binding = Http.get(kit.system()).newServerAt("127.0.0.1", 0).bindSync(request -> {
      if (!upgrade.isUpgrade(request)) {
        return HttpResponse.create().withStatus(400);
      }
      AtomicInteger closeCode = new AtomicInteger();
      // Answers each message with what it was; "bye:<code>" ends the handler with that close code.
      Flow<Connection.Incoming, String, NotUsed> echo = Flow.<Connection.Incoming>create()
          .takeWhile(incoming -> !(incoming instanceof Connection.Incoming.Text text && text.text().startsWith("bye:")), true)
          .map(incoming -> {
            if (incoming instanceof Connection.Incoming.Text text) {
              if (text.text().startsWith("bye:")) {
                closeCode.set(Integer.parseInt(text.text().substring(4)));
                return "bye";
              }
              return "text:" + text.text();
            }
            return incoming instanceof Connection.Incoming.TooLarge ? "too-large" : "binary";
          });
      return upgrade.upgrade(request, echo, closeCode);
    }).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  void stop() throws Exception {
    binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    kit.shutdownTestKit();
  }

  private RawWebSocket connect() throws Exception {
    RawWebSocket.Upgrade upgrade = RawWebSocket.connect(binding.localAddress().getPort(), "t", "127.0.0.1", 0);
    assertThat(upgrade.status()).isEqualTo(101);
    return upgrade.socket();
  }

  /** The next frame that is not a keep-alive ping. */
  private static RawWebSocket.Frame next(RawWebSocket socket) throws Exception {
    RawWebSocket.Frame frame = socket.readFrame();
    while (frame.opcode() == 0x9) {
      frame = socket.readFrame();
    }
    return frame;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aMessageInSeveralFragmentsArrivesWholeAndEachAnswerIsOneTextFrame() throws Exception {
    try (RawWebSocket socket = connect()) {
      socket.sendText("{\"type\":\"ping\"}");
      assertThat(next(socket).text()).isEqualTo("text:{\"type\":\"ping\"}");
      socket.sendFrame(0x1, false, utf8("{\"type\":"));
      socket.sendFrame(0x0, false, utf8("\"pi"));
      socket.sendFrame(0x0, true, utf8("ng\", \"é\":1}"));
      RawWebSocket.Frame answer = next(socket);
      assertThat(answer.opcode()).isEqualTo(0x1);
      assertThat(answer.fin()).isTrue();
      assertThat(answer.text()).isEqualTo("text:{\"type\":\"ping\", \"é\":1}");
    }
  }

  @Test
  void aMessagePastTheLimitIsRefusedAtOnceAndItsRestIsSkipped() throws Exception {
    try (RawWebSocket socket = connect()) {
      // The first fragment alone passes the limit: the answer comes before the message ends.
      socket.sendFrame(0x1, false, utf8("x".repeat(LIMIT + 1)));
      assertThat(next(socket).text()).isEqualTo("too-large");
      socket.sendFrame(0x0, false, utf8("y".repeat(LIMIT)));
      socket.sendFrame(0x0, true, utf8("z"));
      socket.sendText("after");
      assertThat(next(socket).text()).as("the skipped rest is not a message of its own").isEqualTo("text:after");
      // Within the limit in chars but not in UTF-8 bytes (each 'é' is two bytes).
      socket.sendText("é".repeat(LIMIT / 2 + 1));
      assertThat(next(socket).text()).isEqualTo("too-large");
      socket.sendText("é".repeat(LIMIT / 2));
      assertThat(next(socket).text()).isEqualTo("text:" + "é".repeat(LIMIT / 2));
    }
  }

  @Test
  void binaryMessagesAndPingsAreAnsweredAndTheSocketGoesOn() throws Exception {
    try (RawWebSocket socket = connect()) {
      socket.sendFrame(0x2, false, new byte[] {1, 2, 3});
      socket.sendFrame(0x0, true, new byte[] {4});
      assertThat(next(socket).text()).isEqualTo("binary");
      socket.sendFrame(0x9, true, utf8("are you there"));
      RawWebSocket.Frame pong = next(socket);
      assertThat(pong.opcode()).isEqualTo(0xA);
      assertThat(pong.text()).isEqualTo("are you there");
      socket.sendText("still here");
      assertThat(next(socket).text()).isEqualTo("text:still here");
    }
  }

  @Test
  void aSilentPeerIsPinged() throws Exception {
    try (RawWebSocket socket = connect()) {
      long start = System.nanoTime();
      RawWebSocket.Frame frame = socket.readFrame(); // the socket's read timeout (15 s) bounds the wait
      assertThat(frame.opcode()).as("a ping after 1 s of silence").isEqualTo(0x9);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }
  }

  @Test
  void aHandlerThatEndsClosesTheSocketWithTheChosenCode() throws Exception {
    try (RawWebSocket socket = connect()) {
      socket.sendText("bye:1012");
      assertThat(next(socket).text()).isEqualTo("bye");
      RawWebSocket.Frame close = next(socket);
      assertThat(close.closeCode()).isEqualTo(1012);
      socket.sendFrame(0x8, true, new byte[] {0x03, (byte) 0xf4}); // the client's answer, 1012
      RawWebSocket.Received rest = socket.readUntilClosed(Duration.ofSeconds(10));
      assertThat(rest.closed()).as("the server ends the connection after the handshake").isTrue();
    }
  }

  @Test
  void aPeerThatNeverAnswersTheCloseIsCutOffAfterTheCloseTimeout() throws Exception {
    try (RawWebSocket socket = connect()) {
      socket.sendText("bye:1008");
      assertThat(next(socket).text()).isEqualTo("bye");
      assertThat(next(socket).closeCode()).isEqualTo(1008);
      long start = System.nanoTime();
      RawWebSocket.Received rest = socket.readUntilClosed(Duration.ofSeconds(10));
      assertThat(rest.closed()).as("cut off within 10 s").isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as("after Pekko's 3 s close timeout")
          .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }
  }
}
