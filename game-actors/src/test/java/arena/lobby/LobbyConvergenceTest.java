package arena.lobby;

import static org.assertj.core.api.Assertions.assertThat;

import arena.lobby.Lobby.ListOpen;
import arena.lobby.Lobby.OpenGame;
import arena.lobby.Lobby.OpenGames;
import arena.lobby.Lobby.Publish;
import arena.session.GameView;
import arena.session.Status;
import arena.session.Visibility;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two nodes in one JVM: a change published on one is listed on the other within 2 s. */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LobbyConvergenceTest {

  private static final Duration BOUND = Duration.ofSeconds(2);

  private final ActorTestKit nodeA = ActorTestKit.create("Arena", ClusterNodes.config());
  private final ActorTestKit nodeB = ActorTestKit.create("Arena", ClusterNodes.config());
  private ActorRef<Lobby.Command> lobbyA;
  private ActorRef<Lobby.Command> lobbyB;

  @BeforeAll
  void formCluster() {
    ClusterNodes.join(nodeA.system(), nodeA.system());
    ClusterNodes.join(nodeB.system(), nodeA.system());
    ClusterNodes.awaitUp(nodeA, nodeA.system(), nodeB.system());
    lobbyA = nodeA.spawn(Lobby.create(), "lobby");
    lobbyB = nodeB.spawn(Lobby.create(), "lobby");
  }

  @AfterAll
  void tearDown() {
    nodeB.shutdownTestKit();
    nodeA.shutdownTestKit();
  }

  private final Instant created = Instant.now();

  private GameView game(String gameId, Status status) {
    return new GameView(gameId, "connect4", status, 1, Visibility.PUBLIC, 60,
        List.of(new GameView.Seat(0, "p-" + gameId, "Alice")), null, null, List.of(), null, created, created);
  }

  /** Polls the lobby until the listing satisfies {@code until}; returns how long that took. */
  private Duration awaitListing(ActorTestKit node, ActorRef<Lobby.Command> lobby, Predicate<List<String>> until) {
    TestProbe<OpenGames> probe = node.createTestProbe();
    long start = System.nanoTime();
    probe.awaitAssert(BOUND.plusSeconds(3), Duration.ofMillis(20), () -> {
      lobby.tell(new ListOpen(null, 500, probe.ref()));
      List<String> ids = probe.receiveMessage().games().stream().map(OpenGame::gameId).toList();
      assertThat(until.test(ids)).as("listing %s", ids).isTrue();
      return null;
    });
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Test
  void aGameListedOnOneNodeIsListedOnTheOtherWithinTwoSeconds() {
    lobbyA.tell(new Publish(game("g-a", Status.WAITING)));
    assertThat(awaitListing(nodeB, lobbyB, ids -> ids.contains("g-a"))).isLessThan(BOUND);

    lobbyB.tell(new Publish(game("g-b", Status.WAITING)));
    assertThat(awaitListing(nodeA, lobbyA, ids -> ids.contains("g-b"))).isLessThan(BOUND);
  }

  @Test
  void aGameThatStartsIsDroppedOnTheOtherNodeWithinTwoSeconds() {
    lobbyA.tell(new Publish(game("g-start", Status.WAITING)));
    awaitListing(nodeB, lobbyB, ids -> ids.contains("g-start"));

    lobbyA.tell(new Publish(game("g-start", Status.ACTIVE)));
    assertThat(awaitListing(nodeB, lobbyB, ids -> !ids.contains("g-start"))).isLessThan(BOUND);
  }

  @Test
  void aGameThatMovedIsRemovedByItsNewNode() {
    lobbyA.tell(new Publish(game("g-moved", Status.WAITING)));
    awaitListing(nodeB, lobbyB, ids -> ids.contains("g-moved"));

    // The session now runs on B (a rebalance) and starts there: B removes what A listed.
    lobbyB.tell(new Publish(game("g-moved", Status.ACTIVE)));
    assertThat(awaitListing(nodeA, lobbyA, ids -> !ids.contains("g-moved"))).isLessThan(BOUND);
  }
}
