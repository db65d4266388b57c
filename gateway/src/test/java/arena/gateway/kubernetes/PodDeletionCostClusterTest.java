package arena.gateway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import arena.gateway.kubernetes.FakeApiServer.Request;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.Leave;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The annotator on a real (one-node) cluster: membership events in, a PATCH out; and off outside Kubernetes. */
class PodDeletionCostClusterTest {

  @TempDir
  Path folder;

  @Test
  void theOnlyMemberIsTheOldestAndAnnotatesItsPodWithTheHighestCost() throws Exception {
    try (FakeApiServer api = FakeApiServer.start(folder)) {
      ActorTestKit testKit = ActorTestKit.create("PodDeletionCostClusterTest", clusterConfig(api.config()));
      try {
        testKit.spawn(startingAnnotator(), "guardian");
        Cluster cluster = Cluster.get(testKit.system());
        cluster.manager().tell(Join.create(cluster.selfMember().address()));

        Request patch = api.take();
        assertThat(patch.method()).isEqualTo("PATCH");
        assertThat(patch.path()).isEqualTo(FakeApiServer.POD_PATH);
        assertThat(patch.json().path("metadata").path("annotations").path(PodAnnotator.ANNOTATION).asText())
            .isEqualTo("3"); // annotated-pods = 3, and this member is the oldest
      } finally {
        testKit.shutdownTestKit();
      }
    }
  }

  @Test
  void doesNotStartUnlessKubernetesIsEnabled() throws Exception {
    try (FakeApiServer api = FakeApiServer.start(folder)) {
      Config config = ConfigFactory.parseString("arena.discovery = config").withFallback(api.config());
      ActorTestKit testKit = ActorTestKit.create("PodDeletionCostOffTest", config);
      try {
        var started = testKit.<Boolean>createTestProbe();
        testKit.spawn(Behaviors.setup(ctx -> {
          started.ref().tell(PodDeletionCost.startIfEnabled(ctx));
          return Behaviors.empty();
        }));
        assertThat(started.receiveMessage()).isFalse();
      } finally {
        testKit.shutdownTestKit();
      }
    }
  }

  @Test
  void theOlderOfTwoMembersCostsMoreAndItsSuccessorTakesOverWhenItLeaves() throws Exception {
    try (FakeApiServer api = FakeApiServer.start(folder)) {
      ActorTestKit older = ActorTestKit.create("TwoMembers", clusterConfig(podConfig(api, "arena-older")));
      ActorTestKit younger = ActorTestKit.create("TwoMembers", clusterConfig(podConfig(api, "arena-younger")));
      try {
        older.spawn(startingAnnotator(), "guardian");
        younger.spawn(startingAnnotator(), "guardian");
        Cluster olderCluster = Cluster.get(older.system());
        olderCluster.manager().tell(Join.create(olderCluster.selfMember().address()));
        Map<String, String> latest = new HashMap<>();
        awaitCosts(api, latest, Map.of("arena-older", "3"));
        Cluster.get(younger.system()).manager().tell(Join.create(olderCluster.selfMember().address()));
        awaitCosts(api, latest, Map.of("arena-older", "3", "arena-younger", "2"));

        olderCluster.manager().tell(Leave.create(olderCluster.selfMember().address()));

        awaitCosts(api, latest, Map.of("arena-younger", "3"));
      } finally {
        younger.shutdownTestKit();
        older.shutdownTestKit();
      }
    }
  }

  /** Reads PATCHes into {@code latest} (pod → cost) until it has the costs expected. */
  private static void awaitCosts(FakeApiServer api, Map<String, String> latest, Map<String, String> expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!latest.entrySet().containsAll(expected.entrySet())) {
      Request patch = api.poll(Duration.ofNanos(deadline - System.nanoTime()));
      assertThat(patch).as("latest costs %s, expected %s", latest, expected).isNotNull();
      String pod = patch.path().substring(patch.path().lastIndexOf('/') + 1);
      latest.put(pod, patch.json().path("metadata").path("annotations").path(PodAnnotator.ANNOTATION).asText());
    }
  }

  private static Config podConfig(FakeApiServer api, String pod) {
    return ConfigFactory.parseString("arena.kubernetes.pod-name = " + pod).withFallback(api.config());
  }

  private static Behavior<Void> startingAnnotator() {
    return Behaviors.setup(ctx -> {
      assertThat(PodDeletionCost.startIfEnabled(ctx)).isTrue();
      return Behaviors.empty();
    });
  }

  private static Config clusterConfig(Config kubernetes) {
    return ConfigFactory.parseString("""
            pekko.actor.provider = cluster
            pekko.remote.artery.canonical.hostname = "127.0.0.1"
            pekko.remote.artery.canonical.port = 0
            pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
            pekko.logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
            pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
            # quicker membership changes than in production, for a quick test
            pekko.cluster.gossip-interval = 200ms
            pekko.cluster.leader-actions-interval = 200ms
            """)
        .withFallback(kubernetes);
  }
}
