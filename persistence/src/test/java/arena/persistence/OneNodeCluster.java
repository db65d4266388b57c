package arena.persistence;

import arena.persistence.leaderboard.Poll;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/**
 * A one-node cluster that joins itself, on loopback with a free port: what tests need for Cluster
 * Sharding and Sharded Daemon Processes.
 */
public final class OneNodeCluster {

  private OneNodeCluster() {}

  /** {@code node} (an actor system's configuration) as a cluster member. */
  public static Config config(Config node) {
    return ConfigFactory.parseString("""
            pekko.actor.provider = cluster
            pekko.remote.artery.canonical.hostname = "127.0.0.1"
            pekko.remote.artery.canonical.port = 0
            pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
            """)
        .withFallback(node);
  }

  /** Starts an actor system on {@code config} and waits until it is an Up member of itself. */
  public static ActorTestKit start(String name, Config config) throws Exception {
    ActorTestKit testKit = ActorTestKit.create(name, config);
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    Poll.until("the node to be Up", Duration.ofSeconds(15), () -> cluster.selfMember().status(),
        status -> status == MemberStatus.up());
    return testKit;
  }
}
