package arena.gateway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import arena.gateway.kubernetes.FakeApiServer.Request;
import arena.gateway.kubernetes.FakeApiServer.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PATCH of the pod's own annotation against a fake API server over TLS. */
class PodAnnotatorTest {

  private static final ActorTestKit testKit = ActorTestKit.create();

  @TempDir
  Path folder;
  private FakeApiServer api;
  private ActorRef<PodAnnotator.Command> annotator;

  @BeforeEach
  void start() throws Exception {
    api = FakeApiServer.start(folder);
    KubernetesSettings settings = KubernetesSettings.fromConfig(api.config());
    annotator = testKit.spawn(PodAnnotator.create(new KubernetesApi(settings)));
  }

  @AfterEach
  void stop() {
    testKit.stop(annotator);
    api.close();
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void patchesOwnPodsAnnotationAsMergePatchWithTheServiceAccountToken() throws Exception {
    annotator.tell(new PodAnnotator.SetCost(3));

    Request patch = api.take();
    assertThat(patch.method()).isEqualTo("PATCH");
    assertThat(patch.path()).isEqualTo(FakeApiServer.POD_PATH);
    assertThat(patch.header("Authorization")).isEqualTo("Bearer " + FakeApiServer.TOKEN);
    assertThat(patch.header("Content-Type")).isEqualTo("application/merge-patch+json");
    assertThat(patch.header("Accept")).isEqualTo("application/json");
    assertThat(patch.json().toString())
        .isEqualTo("{\"metadata\":{\"annotations\":{\"controller.kubernetes.io/pod-deletion-cost\":\"3\"}}}");
  }

  @Test
  void doesNotRepeatACostTheServerHasConfirmed() throws Exception {
    annotator.tell(new PodAnnotator.SetCost(2));
    assertThat(cost(api.take())).isEqualTo("2");

    annotator.tell(new PodAnnotator.SetCost(2));
    api.assertNoRequestWithin(Duration.ofMillis(200));
    annotator.tell(new PodAnnotator.SetCost(0));
    assertThat(cost(api.take())).isEqualTo("0");
  }

  @Test
  void retriesAfterServerErrorAndConflictWithGrowingBackoffThenSucceeds() throws Exception {
    api.answerNext(Response.status(500, "etcd leader changed"));
    api.answerNext(Response.status(409, "the object has been modified"));

    annotator.tell(new PodAnnotator.SetCost(2));

    Request first = api.take();
    Request second = api.take();
    Request third = api.take();
    assertThat(cost(first)).isEqualTo("2");
    assertThat(cost(second)).isEqualTo("2");
    assertThat(cost(third)).isEqualTo("2");
    // min-backoff 20 ms, doubled for the second retry
    assertThat(millisBetween(first, second)).isGreaterThanOrEqualTo(20);
    assertThat(millisBetween(second, third)).isGreaterThanOrEqualTo(40);
    api.assertNoRequestWithin(Duration.ofMillis(300));
  }

  @Test
  void givesUpAfterTheBoundedAttemptsAndTriesAgainOnTheNextCost() throws Exception {
    api.otherwise(request -> Response.status(503, "unavailable"));

    annotator.tell(new PodAnnotator.SetCost(1));

    for (int attempt = 1; attempt <= 4; attempt++) { // max-attempts = 4 in the test config
      assertThat(cost(api.take())).isEqualTo("1");
    }
    api.assertNoRequestWithin(Duration.ofMillis(600));

    api.otherwise(request -> Response.ok("{}"));
    annotator.tell(new PodAnnotator.SetCost(1));
    assertThat(cost(api.take())).isEqualTo("1");
  }

  @Test
  void doesNotRetryWhatOnlyConfigurationCanFix() throws Exception {
    api.answerNext(Response.status(403, "pods \\\"x\\\" is forbidden: cannot patch resource \\\"pods\\\""));

    annotator.tell(new PodAnnotator.SetCost(3));

    assertThat(api.take().method()).isEqualTo("PATCH");
    api.assertNoRequestWithin(Duration.ofMillis(300));
  }

  @Test
  void sendsOnlyTheLatestCostAfterAQuickSequenceOfChanges() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    api.otherwise(request -> {
      try {
        release.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Response.ok("{}");
    });

    annotator.tell(new PodAnnotator.SetCost(1));
    assertThat(cost(api.take())).isEqualTo("1"); // in flight, held by the server
    annotator.tell(new PodAnnotator.SetCost(2));
    annotator.tell(new PodAnnotator.SetCost(3));
    annotator.tell(new PodAnnotator.SetCost(4));
    release.countDown(); // the PATCH's outcome queues behind 2, 3 and 4 in the mailbox

    assertThat(cost(api.take())).isEqualTo("4");
    api.assertNoRequestWithin(Duration.ofMillis(300));
  }

  @Test
  void aCostChangedDuringBackoffIsSentByTheRetry() throws Exception {
    api.answerNext(Response.status(500, "boom"));

    annotator.tell(new PodAnnotator.SetCost(1));
    assertThat(cost(api.take())).isEqualTo("1");
    annotator.tell(new PodAnnotator.SetCost(2));

    assertThat(cost(api.take())).isEqualTo("2");
    api.assertNoRequestWithin(Duration.ofMillis(300));
  }

  @Test
  void readsTheRotatedTokenForEveryRequest() throws Exception {
    annotator.tell(new PodAnnotator.SetCost(1));
    assertThat(api.take().header("Authorization")).isEqualTo("Bearer " + FakeApiServer.TOKEN);

    Files.writeString(api.tokenFile, "rotated-token\n");
    annotator.tell(new PodAnnotator.SetCost(2));
    assertThat(api.take().header("Authorization")).isEqualTo("Bearer rotated-token");
  }

  private static String cost(Request patch) {
    return patch.json().path("metadata").path("annotations").path(PodAnnotator.ANNOTATION).asText();
  }

  private static long millisBetween(Request earlier, Request later) {
    return TimeUnit.NANOSECONDS.toMillis(later.nanoTime() - earlier.nanoTime());
  }
}
