package arena.lobby;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/** Cluster nodes in this JVM for tests: configuration and joining. */
final class ClusterNodes {

  private ClusterNodes() {}

  /** A cluster node on a free local port, with the project's serialization and lobby settings. */
  static Config config() {
    return config(ConfigFactory.empty());
  }

  /** As {@link #config()}, with {@code extra} taking precedence. */
  static Config config(Config extra) {
    return extra
        .withFallback(ConfigFactory.parseString("""
            pekko.actor.provider = cluster
            pekko.remote.artery.canonical.hostname = 127.0.0.1
            pekko.remote.artery.canonical.port = 0
            pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
            pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
            pekko.cluster.shutdown-after-unsuccessful-join-seed-nodes = off
            """))
        .withFallback(ConfigFactory.parseResources("lobby.conf"))
        .withFallback(ConfigFactory.parseResources("serialization.conf"))
        .withFallback(ConfigFactory.parseResources("sharding.conf"))
        .withFallback(ConfigFactory.load());
  }

  /** Makes {@code system} join the cluster of {@code seed} (itself for a new cluster). */
  static void join(ActorSystem<?> system, ActorSystem<?> seed) {
    Address address = Cluster.get(seed).selfMember().address();
    Cluster.get(system).manager().tell(Join.create(address));
  }

  /** Waits until every given node sees all of them Up. */
  static void awaitUp(ActorTestKit probeKit, ActorSystem<?>... nodes) {
    TestProbe<Object> probe = probeKit.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(15), () -> {
      for (ActorSystem<?> node : nodes) {
        int up = 0;
        for (org.apache.pekko.cluster.Member m : Cluster.get(node).state().getMembers()) {
          if (m.status() == MemberStatus.up()) {
            up++;
          }
        }
        if (up != nodes.length) {
          throw new AssertionError(node.name() + " sees " + up + " of " + nodes.length + " nodes up");
        }
      }
      return null;
    });
  }
}
