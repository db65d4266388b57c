package arena.lobby;

import static org.assertj.core.api.Assertions.assertThat;

import arena.ErrorCode;
import arena.lobby.Matchmaker.Cancel;
import arena.lobby.Matchmaker.Cancelled;
import arena.lobby.Matchmaker.Command;
import arena.lobby.Matchmaker.Dequeued;
import arena.lobby.Matchmaker.Enqueue;
import arena.lobby.Matchmaker.Enqueued;
import arena.lobby.Matchmaker.Event;
import arena.lobby.Matchmaker.Matched;
import arena.lobby.Matchmaker.Notice;
import arena.lobby.Matchmaker.Paired;
import arena.lobby.Matchmaker.PairingFailed;
import arena.lobby.Matchmaker.Queued;
import arena.lobby.Matchmaker.Rejected;
import arena.lobby.Matchmaker.Waiting;
import arena.session.GameSession;
import arena.session.Visibility;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResult;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The matchmaker's behaviour on the persistence testkit's journal (with its serialization checks
 * on, so every command, event and the state survive JSON), with fake sessions.
 */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MatchmakerTest {

  private static final MatchmakerSettings SETTINGS = new MatchmakerSettings(10, 100,
      Duration.ofMillis(300), Duration.ofMillis(50), Duration.ofMillis(200), 100);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final ActorTestKit testKit = ActorTestKit.create("MatchmakerTest",
      EventSourcedBehaviorTestKit.config()
          .withFallback(ConfigFactory.parseResources("serialization.conf"))
          .withFallback(ConfigFactory.parseString("pekko.actor.provider = local"))
          .withFallback(ConfigFactory.load()));
  private FakeSessions sessions;
  private EventSourcedBehaviorTestKit<Command, Event, MatchQueues> kit;

  @BeforeEach
  void setUp() {
    sessions = new FakeSessions(testKit);
    kit = matchmaker(SETTINGS);
  }

  @AfterAll
  void tearDown() {
    testKit.shutdownTestKit();
  }

  // ---- helpers ----

  /** A matchmaker of its own (a fresh persistence id), so earlier tests' actors cannot interfere. */
  private EventSourcedBehaviorTestKit<Command, Event, MatchQueues> matchmaker(MatchmakerSettings settings) {
    PersistenceId id = PersistenceId.ofUniqueId("matchmaker-" + INSTANCES.incrementAndGet());
    return EventSourcedBehaviorTestKit.create(testKit.system(),
        MatchmakerEntity.create(id, settings, sessions::session));
  }

  private TestProbe<Notice> player() {
    return testKit.createTestProbe();
  }

  private CommandResult<Command, Event, MatchQueues> enqueue(String game, String playerId, TestProbe<Notice> player) {
    return kit.runCommand(new Enqueue(game, playerId, "name of " + playerId, player.ref()));
  }

  /** The player's next {@link Matched}, after any {@link Queued}. */
  private static Matched expectMatched(TestProbe<Notice> player) {
    List<Notice> notices = player.fishForMessage(Duration.ofSeconds(3), notice -> notice instanceof Queued
        ? FishingOutcomes.continueAndIgnore() : FishingOutcomes.complete());
    assertThat(notices.get(notices.size() - 1)).isInstanceOf(Matched.class);
    return (Matched) notices.get(notices.size() - 1);
  }

  private void awaitNothingPending() {
    testKit.createTestProbe().awaitAssert(() -> {
      assertThat(kit.getState().pending()).isEmpty();
      return null;
    });
  }

  private Waiting waiting(String playerId, TestProbe<Notice> player) {
    return new Waiting(playerId, "name of " + playerId, player.ref());
  }

  // ---- queueing ----

  @Test
  void queuesAPlayerAndAnswersQueued() {
    TestProbe<Notice> alice = player();
    var result = enqueue("connect4", "alice", alice);
    assertThat(result.events()).containsExactly(new Enqueued("connect4", "alice", "name of alice", alice.ref()));
    alice.expectMessage(new Queued("connect4"));
    assertThat(result.state().queue("connect4")).containsExactly(waiting("alice", alice));
  }

  @Test
  void rejectsAnUnknownGameTypeAndStoresNothing() {
    TestProbe<Notice> alice = player();
    assertThat(enqueue("chess", "alice", alice).hasNoEvents()).isTrue();
    Rejected rejected = alice.expectMessageClass(Rejected.class);
    assertThat(rejected.code()).isEqualTo(ErrorCode.UNKNOWN_GAME_TYPE);
    assertThat(rejected.game()).isEqualTo("chess");
  }

  @Test
  void enqueueingAgainIsIdempotent() {
    TestProbe<Notice> alice = player();
    enqueue("tictactoe", "alice", alice);
    alice.expectMessage(new Queued("tictactoe"));
    assertThat(enqueue("tictactoe", "alice", alice).hasNoEvents()).isTrue();
    alice.expectMessage(new Queued("tictactoe"));
    assertThat(kit.getState().queue("tictactoe")).hasSize(1);
  }

  @Test
  void aNewConnectionKeepsThePlayersPlaceAndGetsTheNotices() {
    TestProbe<Notice> oldSocket = player();
    TestProbe<Notice> newSocket = player();
    TestProbe<Notice> bob = player();
    enqueue("connect4", "alice", oldSocket);
    enqueue("connect4", "alice", newSocket);
    assertThat(kit.getState().queue("connect4")).containsExactly(waiting("alice", newSocket));
    enqueue("connect4", "bob", bob);
    assertThat(expectMatched(newSocket).seat()).isZero();
    assertThat(expectMatched(bob).seat()).isOne();
    oldSocket.expectMessage(new Queued("connect4"));
    oldSocket.expectNoMessage(Duration.ofMillis(100)); // everything after the move goes to the new socket
  }

  // ---- matching ----

  @Test
  void pairsTwoPlayersWithSeatsInArrivalOrderAndSetsUpAPrivateGame() {
    TestProbe<Notice> alice = player();
    TestProbe<Notice> bob = player();
    enqueue("connect4", "alice", alice);
    var second = enqueue("connect4", "bob", bob);

    // Enqueued and Paired; the set-up may already have answered (the fake sessions answer at once)
    // and its GameReady been stored before the test kit collected the events
    assertThat(second.events()).hasSizeBetween(2, 3);
    Paired paired = (Paired) second.events().get(1);
    if (second.events().size() == 3) {
      assertThat(second.events().get(2)).isEqualTo(new Matchmaker.GameReady(paired.gameId()));
    }
    assertThat(paired.seat0()).isEqualTo(waiting("alice", alice));
    assertThat(paired.seat1()).isEqualTo(waiting("bob", bob));
    assertThat(second.state().queue("connect4")).isEmpty();

    alice.expectMessage(new Queued("connect4"));
    bob.expectMessage(new Queued("connect4"));
    assertThat(expectMatched(alice)).isEqualTo(new Matched("connect4", paired.gameId(), 0));
    assertThat(expectMatched(bob)).isEqualTo(new Matched("connect4", paired.gameId(), 1));

    GameSession.Create create = (GameSession.Create) sessions.calls.receiveMessage().command();
    assertThat(create.playerId()).isEqualTo("alice");
    assertThat(create.game()).isEqualTo("connect4");
    assertThat(create.visibility()).isEqualTo(Visibility.PRIVATE);
    assertThat(create.turnSeconds()).isEqualTo(60);
    FakeSessions.Call join = sessions.calls.receiveMessage();
    assertThat(join.gameId()).isEqualTo(paired.gameId());
    assertThat(((GameSession.Join) join.command()).playerId()).isEqualTo("bob");
    awaitNothingPending();
  }

  @Test
  void playersOfDifferentGameTypesAreNotPaired() {
    enqueue("connect4", "alice", player());
    assertThat(enqueue("checkers", "bob", player()).events()).hasSize(1);
  }

  @Test
  void thirdPlayerWaitsForTheFourth() {
    TestProbe<Notice> carol = player();
    enqueue("tictactoe", "alice", player());
    enqueue("tictactoe", "bob", player());
    enqueue("tictactoe", "carol", carol);
    assertThat(kit.getState().queue("tictactoe")).containsExactly(waiting("carol", carol));
    TestProbe<Notice> dave = player();
    enqueue("tictactoe", "dave", dave);
    assertThat(expectMatched(carol).seat()).isZero();
    assertThat(expectMatched(dave).seat()).isOne();
  }

  // ---- leaving ----

  @Test
  void cancelTakesThePlayerOutOfTheQueue() {
    TestProbe<Notice> alice = player();
    enqueue("connect4", "alice", alice);
    var result = kit.runCommand(new Cancel("connect4", "alice", alice.ref()));
    assertThat(result.events()).containsExactly(new Dequeued("connect4", "alice", "cancelled"));
    alice.expectMessage(new Queued("connect4"));
    alice.expectMessage(new Cancelled("connect4"));
    assertThat(enqueue("connect4", "bob", player()).events()).hasSize(1); // nobody to pair with
  }

  @Test
  void cancelWhenNotQueuedIsAnsweredCancelled() {
    TestProbe<Notice> alice = player();
    assertThat(kit.runCommand(new Cancel("connect4", "alice", alice.ref())).hasNoEvents()).isTrue();
    alice.expectMessage(new Cancelled("connect4"));
  }

  @Test
  void aStoppedConnectionLeavesEveryQueueItWasIn() {
    TestProbe<Notice> alice = player();
    enqueue("connect4", "alice", alice);
    enqueue("checkers", "alice", alice);
    TestProbe<Notice> bob = player();
    enqueue("checkers", "bob", bob);
    alice.stop();
    testKit.createTestProbe().awaitAssert(() -> {
      assertThat(kit.getState().queues()).isEmpty();
      return null;
    });
    // bob's match was made before alice's connection stopped: it stands
    assertThat(expectMatched(bob).seat()).isOne();
  }

  // ---- recovery ----

  @Test
  void recoveryRestoresTheQueueAndWatchesItsPlayersAgain() {
    TestProbe<Notice> alice = player();
    TestProbe<Notice> bob = player();
    enqueue("connect4", "alice", alice);
    enqueue("checkers", "bob", bob);
    kit.restart();
    assertThat(kit.getState().queue("connect4")).containsExactly(waiting("alice", alice));
    assertThat(kit.getState().queue("checkers")).containsExactly(waiting("bob", bob));
    alice.stop();
    testKit.createTestProbe().awaitAssert(() -> {
      assertThat(kit.getState().queues().keySet()).containsExactly("checkers");
      return null;
    });
  }

  @Test
  void recoveryFromASnapshotRestoresTheQueue() {
    kit = matchmaker(new MatchmakerSettings(10, 100, Duration.ofMillis(300), Duration.ofMillis(50),
        Duration.ofMillis(200), 2));
    TestProbe<Notice> carol = player();
    enqueue("connect4", "alice", player());
    enqueue("connect4", "bob", player());
    enqueue("checkers", "carol", carol);
    awaitNothingPending();
    MatchQueues before = kit.getState();
    kit.restart();
    assertThat(kit.getState()).isEqualTo(before);
    assertThat(kit.getState().queue("checkers")).containsExactly(waiting("carol", carol));
  }

  @Test
  void recoverySetsUpAMatchWhoseGameWasNotConfirmed() {
    TestProbe<Notice> alice = player();
    TestProbe<Notice> bob = player();
    Paired paired = new Paired("tictactoe", "game-1", waiting("alice", alice), waiting("bob", bob));
    kit.initialize(new Enqueued("tictactoe", "alice", "name of alice", alice.ref()),
        new Enqueued("tictactoe", "bob", "name of bob", bob.ref()), paired);
    assertThat(expectMatched(alice)).isEqualTo(new Matched("tictactoe", "game-1", 0));
    assertThat(expectMatched(bob)).isEqualTo(new Matched("tictactoe", "game-1", 1));
    awaitNothingPending();

    // After another failover before GameReady was stored, the repeated set-up counts as done.
    kit.initialize(new Enqueued("tictactoe", "alice", "name of alice", alice.ref()),
        new Enqueued("tictactoe", "bob", "name of bob", bob.ref()), paired);
    assertThat(expectMatched(alice)).isEqualTo(new Matched("tictactoe", "game-1", 0));
    assertThat(expectMatched(bob)).isEqualTo(new Matched("tictactoe", "game-1", 1));
    awaitNothingPending();
  }

  // ---- set-up failures and bounds ----

  @Test
  void aSetupThatTimesOutIsRetried() {
    sessions.unanswered.set(1);
    TestProbe<Notice> alice = player();
    TestProbe<Notice> bob = player();
    enqueue("connect4", "alice", alice);
    enqueue("connect4", "bob", bob);
    assertThat(expectMatched(alice).seat()).isZero();
    assertThat(expectMatched(bob).seat()).isOne();
    List<Class<?>> calls = sessions.calls.receiveSeveralMessages(3).stream()
        .<Class<?>>map(c -> c.command().getClass()).toList();
    assertThat(calls).containsExactly(GameSession.Create.class, GameSession.Create.class, GameSession.Join.class);
  }

  @Test
  void aRefusedSetupTellsBothPlayersUnavailable() {
    sessions.refuseCreate = ErrorCode.BAD_REQUEST;
    TestProbe<Notice> alice = player();
    TestProbe<Notice> bob = player();
    enqueue("connect4", "alice", alice);
    enqueue("connect4", "bob", bob);
    alice.expectMessage(new Queued("connect4"));
    bob.expectMessage(new Queued("connect4"));
    assertThat(alice.expectMessageClass(Rejected.class).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(bob.expectMessageClass(Rejected.class).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    awaitNothingPending();
    assertThat(kit.persistenceTestKit().persistedInStorage(lastPersistenceId()))
        .last().isInstanceOf(PairingFailed.class);
  }

  @Test
  void aFullQueueRefusesNewPlayersWithUnavailableAndPairsWaitForASetupSlot() {
    kit = matchmaker(new MatchmakerSettings(2, 1, Duration.ofMillis(200), Duration.ofMillis(50),
        Duration.ofMillis(100), 100));
    sessions.silent = true;
    TestProbe<Notice> carol = player();
    TestProbe<Notice> dave = player();
    enqueue("connect4", "alice", player());
    enqueue("connect4", "bob", player()); // the one set-up slot is taken
    enqueue("connect4", "carol", carol);
    assertThat(enqueue("connect4", "dave", dave).events()).hasSize(1); // no slot: they wait
    TestProbe<Notice> erin = player();
    assertThat(enqueue("connect4", "erin", erin).hasNoEvents()).isTrue();
    Rejected rejected = erin.expectMessageClass(Rejected.class);
    assertThat(rejected.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(enqueue("connect4", "carol", carol).hasNoEvents()).as("already queued").isTrue();

    sessions.silent = false; // the first set-up goes through on its next attempt, freeing the slot
    assertThat(expectMatched(carol).seat()).isZero();
    assertThat(expectMatched(dave).seat()).isOne();
    awaitNothingPending();
  }

  private String lastPersistenceId() {
    return "matchmaker-" + INSTANCES.get();
  }
}
