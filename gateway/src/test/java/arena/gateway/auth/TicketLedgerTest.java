package arena.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import arena.gateway.auth.TicketLedger.Claim;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.ddata.ORSet;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The ledger on two cluster nodes in this JVM: a ticket's one use is granted once, whichever
 * node asks; claims of long-expired tickets are pruned. (Real node processes: WsTicketIT.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TicketLedgerTest {

  private static final Config CONFIG = ConfigFactory.parseString("""
      pekko.actor.provider = cluster
      pekko.remote.artery.canonical { hostname = "127.0.0.1", port = 0 }
      pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
      pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
      pekko.loglevel = WARNING
      arena.auth.ticket { prune-interval = 200ms, forget-after = 1s }
      """).withFallback(ConfigFactory.load());

  private final ActorTestKit nodeA = ActorTestKit.create("Arena", CONFIG);
  private final ActorTestKit nodeB = ActorTestKit.create("Arena", CONFIG);

  @BeforeAll
  void formCluster() {
    var seed = Cluster.get(nodeA.system()).selfMember().address();
    Cluster.get(nodeA.system()).manager().tell(Join.create(seed));
    Cluster.get(nodeB.system()).manager().tell(Join.create(seed));
    TestProbe<Object> probe = nodeA.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(20), () -> {
      for (ActorSystem<?> node : List.of(nodeA.system(), nodeB.system())) {
        long up = java.util.stream.StreamSupport.stream(Cluster.get(node).state().getMembers().spliterator(), false)
            .filter(m -> m.status() == MemberStatus.up()).count();
        assertThat(up).as(node.address() + " sees both Up").isEqualTo(2);
      }
      return null;
    });
    // As on a node, where HttpApi starts it: a majority write needs the other node's replicator running.
    TicketLedger.get(nodeA.system());
    TicketLedger.get(nodeB.system());
  }

  @AfterAll
  void tearDown() {
    nodeB.shutdownTestKit();
    nodeA.shutdownTestKit();
  }

  private static Ticket ticket(Instant expiresAt) {
    return new Ticket(UUID.randomUUID().toString().replace("-", ""), new Player("p1", "alice"), expiresAt);
  }

  private static Claim claim(ActorSystem<?> node, Ticket ticket) throws Exception {
    return TicketLedger.get(node).claim(ticket).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aTicketIsUsedOnceWhicheverNodeAsks() throws Exception {
    Ticket ticket = ticket(Instant.now().plusSeconds(30));
    assertThat(claim(nodeA.system(), ticket)).isEqualTo(Claim.FIRST_USE);
    assertThat(claim(nodeB.system(), ticket)).isEqualTo(Claim.ALREADY_USED);
    assertThat(claim(nodeA.system(), ticket)).isEqualTo(Claim.ALREADY_USED);
    assertThat(claim(nodeB.system(), ticket(Instant.now().plusSeconds(30)))).as("another ticket").isEqualTo(Claim.FIRST_USE);
  }

  @Test
  void racingUsesOnBothNodesNeverBothPass() throws Exception {
    for (int round = 0; round < 20; round++) {
      Ticket ticket = ticket(Instant.now().plusSeconds(30));
      CompletableFuture<Claim> onA = TicketLedger.get(nodeA.system()).claim(ticket).toCompletableFuture();
      CompletableFuture<Claim> onB = TicketLedger.get(nodeB.system()).claim(ticket).toCompletableFuture();
      List<Claim> claims = List.of(onA.get(10, TimeUnit.SECONDS), onB.get(10, TimeUnit.SECONDS));
      assertThat(claims).as("round %d", round).doesNotContain(Claim.UNDECIDED);
      assertThat(claims.stream().filter(c -> c == Claim.FIRST_USE).count()).as("round %d: %s", round, claims)
          .isLessThanOrEqualTo(1);
    }
  }

  @Test
  void claimsOfLongExpiredTicketsAreForgotten() throws Exception {
    // Claimed while still valid, as on a node (an expired ticket is refused before its claim): a
    // ticket already past expiry + forget-after could be pruned between the claim's write and read.
    Ticket expired = ticket(Instant.now().plusSeconds(1));
    assertThat(claim(nodeA.system(), expired)).isEqualTo(Claim.FIRST_USE);
    TestProbe<Object> probe = nodeB.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(15), () -> {
      for (ActorSystem<?> node : List.of(nodeA.system(), nodeB.system())) {
        assertThat(localClaims(node, expired)).as("claims on " + node.address()).isEmpty();
      }
      return null;
    });
  }

  @Test
  void decidesFirstUseOnlyWhenItsOwnClaimIsTheOnlyOne() {
    String mine = "1:n1:c1";
    assertThat(TicketLedger.decide(Set.of(mine, "1:n2:c9"), "n1", mine)).isEqualTo(Claim.FIRST_USE);
    assertThat(TicketLedger.decide(Set.of(mine, "1:n1:c2"), "n1", mine)).isEqualTo(Claim.ALREADY_USED);
    assertThat(TicketLedger.decide(Set.of("1:n1:c2"), "n1", mine)).as("own claim not seen").isEqualTo(Claim.ALREADY_USED);
  }

  /** The claims of this ticket in {@code node}'s own replica. */
  private static Set<String> localClaims(ActorSystem<?> node, Ticket ticket) throws Exception {
    var key = TicketLedger.bucketOf(ticket.nonce());
    Replicator.GetResponse<ORSet<String>> answer = org.apache.pekko.actor.typed.javadsl.AskPattern.<Replicator.Command,
        Replicator.GetResponse<ORSet<String>>>ask(DistributedData.get(node).replicator(),
        reply -> new Replicator.Get<>(key, Replicator.readLocal(), reply), Duration.ofSeconds(5), node.scheduler())
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    if (!(answer instanceof Replicator.GetSuccess<ORSet<String>> success)) {
      return Set.of();
    }
    return success.get(key).getElements().stream().filter(c -> c.contains(":" + ticket.nonce() + ":"))
        .collect(java.util.stream.Collectors.toSet());
  }
}
