package arena.gateway.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import arena.session.Draining;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** New games get ids on shards of members that stay: not on unknown members, not on a draining one. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class CreatePlacementTest {

  private static final Config CONFIG = ConfigFactory.parseString("""
      pekko.actor.provider = cluster
      pekko.remote.artery.canonical { hostname = "127.0.0.1", port = 0 }
      pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
      pekko.loglevel = WARNING
      """).withFallback(ConfigFactory.load());

  private final ActorTestKit kit = ActorTestKit.create("Arena", CONFIG);
  private CreatePlacement placement;

  @BeforeAll
  void start() {
    Cluster.get(kit.system()).manager().tell(Join.create(Cluster.get(kit.system()).selfMember().address()));
    TestProbe<Object> probe = kit.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(20), () -> {
      assertThat(Cluster.get(kit.system()).selfMember().status()).isEqualTo(MemberStatus.up());
      return null;
    });
    placement = CreatePlacement.start(kit.system(), Duration.ofHours(1)); // views given by the tests
  }

  @AfterAll
  void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void newGamesGoToShardsOfMembersThatStayAndNeverToOthers() throws Exception {
    Address self = Cluster.get(kit.system()).selfMember().address();
    Address gone = new Address("pekko", "Arena", "127.0.0.99", 1);
    Map<String, Address> view = new java.util.HashMap<>();
    Set<String> away = new java.util.HashSet<>();
    for (int shard = 0; shard < 60; shard++) {
      view.put(String.valueOf(shard), shard < 20 ? self : gone);
      if (shard >= 20) {
        away.add(String.valueOf(shard));
      }
    }
    placement.see(view, Set.of("5"));
    assertThat(placement.goodShards()).as("shards elsewhere, busy ones and those not started yet")
        .doesNotContainAnyElementsOf(away).doesNotContain("5").contains("0", "19", "60", "99").hasSize(59);
    for (int i = 0; i < 500; i++) {
      String shard = placement.shardOf(placement.get());
      assertThat(shard).isNotIn(away).isNotEqualTo("5");
    }
    assertThat(placement.get()).hasSize(36); // still an id Arena issues
  }

  @Test
  void withoutAViewAnyIdWillDo() {
    placement.see(Map.of(), Set.of());
    Set<String> shards = new java.util.HashSet<>();
    for (int i = 0; i < 500; i++) {
      shards.add(placement.shardOf(placement.get()));
    }
    assertThat(shards.size()).as("spread over the shards").isGreaterThan(50);
  }

  @Test
  @org.junit.jupiter.api.Order(Integer.MAX_VALUE) // this member drains for good
  void aDrainingMembersShardsAreLeftOut() throws Exception {
    Address self = Cluster.get(kit.system()).selfMember().address();
    placement.see(Map.of("3", self), Set.of());
    assertThat(placement.goodShards()).contains("3");
    Draining.get(kit.system()).drainSelf(Duration.ofSeconds(2)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    TestProbe<Object> probe = kit.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(10), () -> {
      assertThat(placement.goodShards()).as("this member drains").doesNotContain("3").hasSize(99);
      return null;
    });
  }
}
