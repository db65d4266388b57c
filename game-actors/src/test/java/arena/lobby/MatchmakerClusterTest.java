package arena.lobby;

import static org.assertj.core.api.Assertions.assertThat;

import arena.lobby.Matchmaker.Cancel;
import arena.lobby.Matchmaker.Cancelled;
import arena.lobby.Matchmaker.Enqueue;
import arena.lobby.Matchmaker.GetStatus;
import arena.lobby.Matchmaker.Matched;
import arena.lobby.Matchmaker.Notice;
import arena.lobby.Matchmaker.Queued;
import arena.session.GameSession;
import arena.session.GameView;
import arena.session.SessionServices;
import arena.session.SessionSettings;
import arena.session.Status;
import arena.session.Visibility;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The matchmaker as the node runs it: a cluster singleton on a single-node cluster, setting up
 * real game sessions through Cluster Sharding, on the persistence testkit's journal.
 */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MatchmakerClusterTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final ActorTestKit testKit = ActorTestKit.create("MatchmakerClusterTest", ClusterNodes.config(
      PersistenceTestKitPlugin.config().withFallback(PersistenceTestKitSnapshotPlugin.config())));
  private ActorRef<Matchmaker.Command> matchmaker;

  @BeforeAll
  void startNode() {
    ClusterNodes.join(testKit.system(), testKit.system());
    ClusterNodes.awaitUp(testKit, testKit.system());
    ActorRef<Lobby.Command> lobby = testKit.spawn(Lobby.create(), "lobby");
    GameSession.init(testKit.system(), SessionSettings.fromConfig(testKit.system().settings().config()),
        SessionServices.of(Clock.systemUTC()).withPublicGames(Lobby.listing(lobby)));
    matchmaker = MatchmakerEntity.init(testKit.system());
  }

  @AfterAll
  void tearDown() {
    testKit.shutdownTestKit();
  }

  /** Every test leaves the queues empty. */
  @AfterEach
  void queuesAreEmpty() {
    assertThat(status().queued()).isEmpty();
  }

  // ---- helpers ----

  private Matchmaker.Status status() {
    TestProbe<Matchmaker.Status> probe = testKit.createTestProbe();
    matchmaker.tell(new GetStatus(probe.ref()));
    return probe.receiveMessage(WAIT);
  }

  private void enqueue(String game, String playerId, TestProbe<Notice> player) {
    matchmaker.tell(new Enqueue(game, playerId, "name of " + playerId, player.ref()));
  }

  private GameView stateOf(String gameId) {
    GameSession.Reply reply = ClusterSharding.get(testKit.system())
        .entityRefFor(GameSession.ENTITY_KEY, gameId)
        .<GameSession.Reply>ask(GameSession.GetState::new, WAIT)
        .toCompletableFuture().join();
    assertThat(reply).isInstanceOf(GameSession.Accepted.class);
    return ((GameSession.Accepted) reply).state();
  }

  // ---- tests ----

  @Test
  void twoPlayersGetSeatsInQueueOrderInAnActivePrivateGame() {
    TestProbe<Notice> alice = testKit.createTestProbe();
    TestProbe<Notice> bob = testKit.createTestProbe();
    enqueue("connect4", "alice", alice);
    alice.expectMessage(WAIT, new Queued("connect4"));
    enqueue("connect4", "bob", bob);
    bob.expectMessage(WAIT, new Queued("connect4"));

    Matched forAlice = alice.expectMessageClass(Matched.class, WAIT);
    Matched forBob = bob.expectMessageClass(Matched.class, WAIT);
    assertThat(forAlice.seat()).isZero();
    assertThat(forBob).isEqualTo(new Matched("connect4", forAlice.gameId(), 1));

    GameView game = stateOf(forAlice.gameId());
    assertThat(game.status()).isEqualTo(Status.ACTIVE);
    assertThat(game.visibility()).isEqualTo(Visibility.PRIVATE);
    assertThat(game.turnSeconds()).isEqualTo(60);
    assertThat(game.players()).containsExactly(
        new GameView.Seat(0, "alice", "name of alice"), new GameView.Seat(1, "bob", "name of bob"));
  }

  @Test
  void fiftyConcurrentPlayersMakeTwentyFiveGamesEachPlayerMatchedOnce() throws Exception {
    List<TestProbe<Notice>> players = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      players.add(testKit.createTestProbe());
    }
    for (int i = 0; i < 50; i++) {
      enqueue("tictactoe", "crowd-" + i, players.get(i));
    }

    Map<String, Map<Integer, Integer>> seatsByGame = new HashMap<>();
    for (int i = 0; i < 50; i++) {
      players.get(i).expectMessage(WAIT, new Queued("tictactoe"));
      Matched matched = players.get(i).expectMessageClass(Matched.class, WAIT);
      Integer earlier = seatsByGame.computeIfAbsent(matched.gameId(), id -> new HashMap<>()).put(matched.seat(), i);
      assertThat(earlier).as("seat %s of %s taken twice", matched.seat(), matched.gameId()).isNull();
    }
    assertThat(seatsByGame).hasSize(25);
    seatsByGame.values().forEach(seats -> {
      assertThat(seats.keySet()).containsExactlyInAnyOrder(0, 1);
      assertThat(seats.get(0)).as("the longer-waiting player takes seat 0").isLessThan(seats.get(1));
    });
    for (TestProbe<Notice> player : players) {
      player.expectNoMessage(Duration.ofMillis(10)); // matched exactly once
    }

    List<CompletableFuture<GameView>> states = seatsByGame.keySet().stream()
        .map(gameId -> CompletableFuture.supplyAsync(() -> stateOf(gameId))).toList();
    for (CompletableFuture<GameView> state : states) {
      assertThat(state.get(15, TimeUnit.SECONDS).status()).isEqualTo(Status.ACTIVE);
    }
  }

  @Test
  void cancelTakesThePlayerOutOfTheQueue() {
    TestProbe<Notice> alice = testKit.createTestProbe();
    enqueue("checkers", "alice", alice);
    alice.expectMessage(WAIT, new Queued("checkers"));
    assertThat(status().queued()).containsEntry("checkers", List.of("alice"));

    matchmaker.tell(new Cancel("checkers", "alice", alice.ref()));
    alice.expectMessage(WAIT, new Cancelled("checkers"));
    assertThat(status().queued()).doesNotContainKey("checkers");
  }

  @Test
  void aPlayerWhoseConnectionStopsLeavesTheQueue() {
    TestProbe<Notice> alice = testKit.createTestProbe();
    enqueue("checkers", "alice", alice);
    alice.expectMessage(WAIT, new Queued("checkers"));
    alice.stop();
    testKit.createTestProbe().awaitAssert(WAIT, () -> {
      assertThat(status().queued()).doesNotContainKey("checkers");
      return null;
    });

    TestProbe<Notice> bob = testKit.createTestProbe();
    enqueue("checkers", "bob", bob);
    bob.expectMessage(WAIT, new Queued("checkers"));
    bob.expectNoMessage(Duration.ofMillis(200)); // not matched with the departed alice
    matchmaker.tell(new Cancel("checkers", "bob", bob.ref()));
    bob.expectMessage(WAIT, new Cancelled("checkers"));
  }

  @Test
  void aRecoveredPlayerOnANodeThatLeftTheClusterIsDroppedAndOthersKeepTheirPlace() {
    // Pekko ignores a watch of an actor on a node that is no longer a member, so the new singleton
    // must drop such players itself after a failover.
    ActorRef<Notice> onGoneNode = ActorRefResolver.get(testKit.system())
        .resolveActorRef("pekko://MatchmakerClusterTest@127.0.0.1:9/user/ws-gone");
    TestProbe<Notice> here = testKit.createTestProbe();
    PersistenceId id = PersistenceId.ofUniqueId("matchmaker-recovered");
    PersistenceTestKit.create(testKit.system()).persistForRecovery(id.id(), List.of(
        new Matchmaker.Enqueued("connect4", "gone", "Gone", onGoneNode),
        new Matchmaker.Enqueued("checkers", "here", "Here", here.ref())));

    ActorRef<Matchmaker.Command> recovered = testKit.spawn(MatchmakerEntity.create(id,
        MatchmakerSettings.fromConfig(testKit.system().settings().config()),
        gameId -> ClusterSharding.get(testKit.system()).entityRefFor(GameSession.ENTITY_KEY, gameId)));
    TestProbe<Matchmaker.Status> status = testKit.createTestProbe();
    status.awaitAssert(WAIT, () -> {
      recovered.tell(new GetStatus(status.ref()));
      assertThat(status.receiveMessage().queued()).isEqualTo(Map.of("checkers", List.of("here")));
      return null;
    });
    testKit.stop(recovered);
  }
}
