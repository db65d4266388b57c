package arena.gateway.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.Test;

/** When a node thinks shards may be moving: its own start does not count, another member's arrival does. */
class MembershipChangesTest {

  private static final Config CONFIG = ConfigFactory.parseString("""
      pekko.actor.provider = cluster
      pekko.remote.artery.canonical { hostname = "127.0.0.1", port = 0 }
      pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
      pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
      pekko.loglevel = WARNING
      """).withFallback(ConfigFactory.load());

  @Test
  void aSettledNodeAloneMovesNothingAndAnotherMembersArrivalOpensTheWindow() {
    ActorTestKit first = ActorTestKit.create("Arena", CONFIG);
    ActorTestKit second = ActorTestKit.create("Arena", CONFIG);
    try {
      var seed = Cluster.get(first.system()).selfMember().address();
      Cluster.get(first.system()).manager().tell(Join.create(seed));
      MembershipChanges changes = MembershipChanges.start(first.system(), Duration.ofMinutes(3));
      TestProbe<Object> probe = first.createTestProbe();
      probe.awaitAssert(Duration.ofSeconds(20), () -> {
        assertThat(changes.shardsMayMove()).as("a one-node cluster, Up, nobody else").isFalse();
        return null;
      });
      Cluster.get(second.system()).manager().tell(Join.create(seed));
      probe.awaitAssert(Duration.ofSeconds(20), () -> {
        long up = java.util.stream.StreamSupport.stream(
            Cluster.get(first.system()).state().getMembers().spliterator(), false)
            .filter(m -> m.status().equals(org.apache.pekko.cluster.MemberStatus.up())).count();
        assertThat(up).as("both Up: only the window can say shards may move now").isEqualTo(2);
        assertThat(changes.shardsMayMove()).as("another member joined within the window").isTrue();
        return null;
      });
    } finally {
      second.shutdownTestKit();
      first.shutdownTestKit();
    }
  }
}
