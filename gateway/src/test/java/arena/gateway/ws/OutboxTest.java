package arena.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The connection's end of a socket's outgoing queue, on a real stream. */
class OutboxTest {

  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static Pair<BoundedSourceQueue<String>, CompletionStage<List<String>>> stream(int buffer) {
    return Source.<String>queue(buffer).toMat(Sink.seq(), Keep.both()).run(testKit.system());
  }

  private static List<String> await(CompletionStage<List<String>> sent) throws Exception {
    return sent.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void framesSentBeforeTheStreamStartsGoFirstAndInOrder() throws Exception {
    Outbox outbox = new Outbox();
    assertThat(outbox.text("a")).isEqualTo(Outbox.Sent.QUEUED);
    assertThat(outbox.text("b")).isEqualTo(Outbox.Sent.QUEUED);
    Pair<BoundedSourceQueue<String>, CompletionStage<List<String>>> stream = stream(16);
    outbox.attach(stream.first());
    assertThat(outbox.text("c")).isEqualTo(Outbox.Sent.QUEUED);
    outbox.close();
    assertThat(await(stream.second())).containsExactly("a", "b", "c");
  }

  @Test
  void aCloseBeforeTheStreamStartsEndsItAfterTheEarlierFramesAndRefusesLaterOnes() throws Exception {
    Outbox outbox = new Outbox();
    outbox.text("shutdown");
    outbox.close();
    assertThat(outbox.text("too late")).isEqualTo(Outbox.Sent.CLOSED);
    Pair<BoundedSourceQueue<String>, CompletionStage<List<String>>> stream = stream(16);
    outbox.attach(stream.first());
    assertThat(await(stream.second())).containsExactly("shutdown");
    outbox.close(); // twice is harmless
  }

  @Test
  void aQueueThatTheClientDoesNotDrainIsFull() {
    Outbox outbox = new Outbox();
    Pair<BoundedSourceQueue<String>, TestSubscriber.Probe<String>> stream =
        Source.<String>queue(4).toMat(TestSink.probe(testKit.system().classicSystem()), Keep.both())
            .run(testKit.system());
    outbox.attach(stream.first());
    stream.second().ensureSubscription(); // subscribed, nothing requested: nobody reads
    int queued = 0;
    while (outbox.text("frame") == Outbox.Sent.QUEUED) {
      queued++;
      assertThat(queued).as("a bounded queue").isLessThan(100);
    }
    assertThat(outbox.text("frame")).isEqualTo(Outbox.Sent.FULL);
    stream.second().request(1).expectNext(Duration.ofSeconds(5), "frame");
  }
}
