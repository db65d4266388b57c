package arena.session;

import static org.assertj.core.api.Assertions.assertThat;

import arena.ErrorCode;
import arena.lobby.Lobby;
import arena.session.GameEvent.GameAborted;
import arena.session.GameEvent.GameCreated;
import arena.session.GameEvent.GameOver;
import arena.session.GameEvent.GameStarted;
import arena.session.GameEvent.Moved;
import arena.session.GameEvent.PlayerJoined;
import arena.session.GameEvent.PlayerLeft;
import arena.session.GameSession.Accepted;
import arena.session.GameSession.Command;
import arena.session.GameSession.Rejected;
import arena.session.GameSession.Reply;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every command of a game session and every way it can be refused, on the in-memory journal of
 * the persistence testkit (with its serialization checks on, so every command, event, reply and
 * state must survive JSON).
 */
@ExtendWith({LogCapturingExtension.class, TestKitJUnit5Extension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GameSessionTest {

  private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");

  @JUnit5TestKit
  private final ActorTestKit testKit = new JUnit5TestKitBuilder().withCustomConfig(
      EventSourcedBehaviorTestKit.config()
          .withFallback(ConfigFactory.parseResources("serialization.conf"))
          .withFallback(ConfigFactory.parseString("pekko.actor.provider = local"))
          .withFallback(ConfigFactory.load())).build();

  private final SessionSettings settings =
      new SessionSettings(Duration.ofMinutes(10), Duration.ofSeconds(30), 100, 2, Duration.ofSeconds(3));
  private TestClock clock;
  private TestProbe<arena.lobby.Lobby.Command> lobby;
  private TestProbe<ClusterSharding.ShardCommand> shard;
  private EventSourcedBehaviorTestKit<Command, GameEvent, GameState> kit;

  @BeforeEach
  void setUp() {
    clock = new TestClock(START);
    shard = testKit.createTestProbe();
    lobby = testKit.createTestProbe();
    kit = EventSourcedBehaviorTestKit.create(testKit.system(),
        GameSession.create("g1", shard.ref(), settings,
            SessionServices.of(clock).withPublicGames(Lobby.listing(lobby.ref()))));
  }

  // ---- helpers ----

  private CommandResultWithReply<Command, GameEvent, GameState, Reply> run(
      java.util.function.Function<org.apache.pekko.actor.typed.ActorRef<Reply>, Command> command) {
    return kit.<Reply>runCommand(command::apply);
  }

  private CommandResultWithReply<Command, GameEvent, GameState, Reply> create(String game) {
    return run(r -> new GameSession.Create(game, Visibility.PUBLIC, 60, "alice", "Alice", r));
  }

  private void startTicTacToe() {
    create("tictactoe");
    run(r -> new GameSession.Join("bob", "Bob", r));
  }

  private CommandResultWithReply<Command, GameEvent, GameState, Reply> move(String player, String id, Map<String, Object> move) {
    return run(r -> new GameSession.MakeMove(player, id, move, r));
  }

  private static void assertRejected(CommandResultWithReply<Command, GameEvent, GameState, Reply> result, ErrorCode code) {
    assertThat(result.reply()).isInstanceOf(Rejected.class);
    assertThat(((Rejected) result.reply()).code()).isEqualTo(code);
    assertThat(result.hasNoEvents()).as("a rejected command persists nothing").isTrue();
  }

  private static Accepted accepted(CommandResultWithReply<Command, GameEvent, GameState, Reply> result) {
    assertThat(result.reply()).isInstanceOf(Accepted.class);
    return (Accepted) result.reply();
  }

  // ---- create ----

  @Test
  void createRecordsTheGameTypeAndSeatsTheCreatorOnSeatZero() {
    var result = create("connect4");
    assertThat(accepted(result).seat()).isZero();
    assertThat(accepted(result).seq()).isEqualTo(1);
    GameCreated created = result.eventOfType(GameCreated.class);
    assertThat(created.game()).isEqualTo("connect4");
    assertThat(created.expiresAt()).isEqualTo(START.plus(Duration.ofMinutes(10)));
    GameView view = accepted(result).state();
    assertThat(view.status()).isEqualTo(Status.WAITING);
    assertThat(view.seq()).isEqualTo(1);
    assertThat(view.players()).containsExactly(new GameView.Seat(0, "alice", "Alice"));
    assertThat(view.turn()).isNull();
    assertThat(view.turnDeadline()).isNull();
    assertThat((List<?>) view.board()).hasSize(6);
  }

  @Test
  void createRejectsAnUnknownGameType() {
    assertRejected(create("chess"), ErrorCode.UNKNOWN_GAME_TYPE);
  }

  @Test
  void createRejectsTurnSecondsOutOfRange() {
    assertRejected(run(r -> new GameSession.Create("tictactoe", Visibility.PUBLIC, 4, "a", "A", r)), ErrorCode.BAD_REQUEST);
    assertRejected(run(r -> new GameSession.Create("tictactoe", Visibility.PUBLIC, 3601, "a", "A", r)), ErrorCode.BAD_REQUEST);
  }

  @Test
  void createRejectsAnUnknownVisibility() {
    assertRejected(run(r -> new GameSession.Create("tictactoe", Visibility.fromJson("secret"), 60, "a", "A", r)), ErrorCode.BAD_REQUEST);
  }

  @Test
  void aRetriedCreateIsAnsweredAgainWithoutANewEvent() {
    create("tictactoe");
    var again = create("tictactoe");
    assertThat(accepted(again).seq()).isEqualTo(1);
    assertThat(again.hasNoEvents()).isTrue();
  }

  @Test
  void commandsOnAGameNobodyCreatedAreNotFound() {
    assertRejected(run(r -> new GameSession.Join("bob", "Bob", r)), ErrorCode.NOT_FOUND);
    assertRejected(move("bob", "m1", Map.of("cell", 0)), ErrorCode.NOT_FOUND);
    assertRejected(run(GameSession.GetState::new), ErrorCode.NOT_FOUND);
  }

  @Test
  void anUnknownGamePassivatesAtOnceSoThatUnknownIdsAreNotKeptOrRemembered() {
    assertRejected(run(GameSession.GetState::new), ErrorCode.NOT_FOUND);
    assertThat(shard.expectMessageClass(ClusterSharding.Passivate.class)).isNotNull();
  }

  // ---- join and leave ----

  @Test
  void joiningTheLastFreeSeatStartsTheGameAndItsClock() {
    create("tictactoe");
    clock.advance(Duration.ofSeconds(5));
    var join = run(r -> new GameSession.Join("bob", "Bob", r));
    assertThat(accepted(join).seat()).isEqualTo(1);
    assertThat(join.events()).hasSize(2);
    assertThat(join.events().get(0)).isInstanceOf(PlayerJoined.class);
    assertThat(join.events().get(1)).isInstanceOf(GameStarted.class);
    GameView view = accepted(join).state();
    assertThat(view.status()).isEqualTo(Status.ACTIVE);
    assertThat(view.turn()).isZero();
    assertThat(view.turnDeadline()).isEqualTo(START.plusSeconds(65));
    assertThat(view.seq()).isEqualTo(3);
  }

  @Test
  void joiningTwiceIsAlreadySeated() {
    create("tictactoe");
    assertRejected(run(r -> new GameSession.Join("alice", "Alice", r)), ErrorCode.ALREADY_SEATED);
  }

  @Test
  void joiningAStartedGameIsGameFull() {
    startTicTacToe();
    assertRejected(run(r -> new GameSession.Join("carol", "Carol", r)), ErrorCode.GAME_FULL);
  }

  @Test
  void joiningAFinishedGameIsNotActive() {
    startTicTacToe();
    run(r -> new GameSession.Resign("alice", "r1", r));
    assertRejected(run(r -> new GameSession.Join("carol", "Carol", r)), ErrorCode.GAME_NOT_ACTIVE);
  }

  @Test
  void theLastPlayerLeavingBeforeTheStartAbandonsTheGame() {
    create("tictactoe");
    var leave = run(r -> new GameSession.Leave("alice", "l1", r));
    assertThat(leave.events()).containsExactly(new PlayerLeft(0, START), new GameAborted("abandoned", START));
    assertThat(accepted(leave).state().status()).isEqualTo(Status.ABORTED);
    assertThat(accepted(leave).state().players()).isEmpty();
  }

  @Test
  void leavingAGameYouAreNotSeatedInIsForbidden() {
    create("tictactoe");
    assertRejected(run(r -> new GameSession.Leave("mallory", "l1", r)), ErrorCode.FORBIDDEN);
  }

  @Test
  void leavingAStartedGameIsAResignation() {
    startTicTacToe();
    var leave = run(r -> new GameSession.Leave("bob", "l1", r));
    GameOver over = leave.eventOfType(GameOver.class);
    assertThat(over.result()).isEqualTo(new GameEvent.Result("win", 0, "resign"));
  }

  // ---- moves ----

  @Test
  void aLegalMoveIsStoredAndAcknowledgedWithItsSeq() {
    startTicTacToe();
    var result = move("alice", "m1", Map.of("cell", 4));
    assertThat(accepted(result).seq()).isEqualTo(4);
    assertThat(result.events()).containsExactly(new Moved(0, Map.of("cell", 4), "m1", START));
    assertThat(accepted(result).state()).as("a move's ack carries its seq, not the game").isNull();
    assertThat(accepted(result).status()).isEqualTo(Status.ACTIVE);
    GameView after = result.stateOfType(GameState.class).view();
    assertThat(after.board()).isEqualTo(java.util.Arrays.asList(null, null, null, null, 0, null, null, null, null));
    assertThat(after.turn()).isEqualTo(1);
  }

  @Test
  void aMoveOutOfTurnIsNotYourTurn() {
    startTicTacToe();
    assertRejected(move("bob", "m1", Map.of("cell", 4)), ErrorCode.NOT_YOUR_TURN);
  }

  @Test
  void aMoveAgainstTheRulesIsIllegal() {
    startTicTacToe();
    move("alice", "m1", Map.of("cell", 4));
    assertRejected(move("bob", "m2", Map.of("cell", 4)), ErrorCode.ILLEGAL_MOVE);
    assertRejected(move("bob", "m3", Map.of("cell", 9)), ErrorCode.ILLEGAL_MOVE);
  }

  @Test
  void aMalformedMoveIsABadRequest() {
    startTicTacToe();
    assertRejected(move("alice", "m1", Map.of("column", 4)), ErrorCode.BAD_REQUEST);
    assertRejected(move("alice", "m2", Map.of("cell", "four")), ErrorCode.BAD_REQUEST);
  }

  @Test
  void aMoveBySomeoneNotSeatedIsForbidden() {
    startTicTacToe();
    assertRejected(move("mallory", "m1", Map.of("cell", 4)), ErrorCode.FORBIDDEN);
  }

  @Test
  void aMoveBeforeTheStartIsNotActive() {
    create("tictactoe");
    assertRejected(move("alice", "m1", Map.of("cell", 4)), ErrorCode.GAME_NOT_ACTIVE);
  }

  @Test
  void aResentMoveIdIsAcknowledgedWithTheOriginalSeqAndNotAppliedAgain() {
    startTicTacToe();
    long seq = accepted(move("alice", "m1", Map.of("cell", 4))).seq();
    move("bob", "b1", Map.of("cell", 0));
    var resend = move("alice", "m1", Map.of("cell", 8));
    assertThat(accepted(resend).seq()).isEqualTo(seq);
    assertThat(resend.hasNoEvents()).isTrue();
  }

  @Test
  void aRejectedMoveDoesNotUseUpItsId() {
    startTicTacToe();
    assertRejected(move("alice", "m1", Map.of("cell", 42)), ErrorCode.ILLEGAL_MOVE);
    assertThat(accepted(move("alice", "m1", Map.of("cell", 4))).seq()).isEqualTo(4);
  }

  @Test
  void theLastSixtyFourIdsOfAPlayerAreRememberedAndOlderOnesForgotten() {
    List<GameState.UsedId> ids = List.of();
    for (int i = 1; i <= 70; i++) {
      ids = GameState.rememberId(ids, new GameState.UsedId("m" + i, i));
    }
    assertThat(ids).hasSize(GameState.REMEMBERED_IDS);
    assertThat(ids.get(0).requestId()).isEqualTo("m7");
    assertThat(ids.get(63).requestId()).isEqualTo("m70");
  }

  @Test
  void aWinningMoveEndsTheGame() {
    startTicTacToe();
    move("alice", "a1", Map.of("cell", 0));
    move("bob", "b1", Map.of("cell", 3));
    move("alice", "a2", Map.of("cell", 1));
    move("bob", "b2", Map.of("cell", 4));
    var win = move("alice", "a3", Map.of("cell", 2));
    assertThat(win.events()).hasSize(2);
    GameOver over = (GameOver) win.events().get(1);
    assertThat(over.result()).isEqualTo(new GameEvent.Result("win", 0, "line"));
    assertThat(over.players()).extracting(GameEvent.Seat::playerId).containsExactly("alice", "bob");
    assertThat(accepted(win).seq()).isEqualTo(8).as("the ack names the move's seq, not game_over's");
    assertThat(accepted(win).status()).isEqualTo(Status.FINISHED);
    assertThat(win.stateOfType(GameState.class).turn()).isNull();
    assertRejected(move("bob", "b3", Map.of("cell", 5)), ErrorCode.GAME_NOT_ACTIVE);
    assertThat(accepted(move("alice", "a3", Map.of("cell", 2))).seq()).as("resend after the end").isEqualTo(8);
  }

  // ---- resign ----

  @Test
  void resigningGivesTheOpponentTheWin() {
    startTicTacToe();
    var resign = run(r -> new GameSession.Resign("alice", "r1", r));
    assertThat(resign.eventOfType(GameOver.class).result()).isEqualTo(new GameEvent.Result("win", 1, "resign"));
    assertThat(accepted(resign).seq()).isEqualTo(4);
    var again = run(r -> new GameSession.Resign("alice", "r1", r));
    assertThat(accepted(again).seq()).isEqualTo(4);
    assertRejected(run(r -> new GameSession.Resign("alice", "r2", r)), ErrorCode.GAME_NOT_ACTIVE);
  }

  @Test
  void resigningAGameYouAreNotSeatedInIsForbidden() {
    startTicTacToe();
    assertRejected(run(r -> new GameSession.Resign("mallory", "r1", r)), ErrorCode.FORBIDDEN);
  }

  @Test
  void resigningBeforeTheStartIsNotActive() {
    create("tictactoe");
    assertRejected(run(r -> new GameSession.Resign("alice", "r1", r)), ErrorCode.GAME_NOT_ACTIVE);
  }

  // ---- clocks ----

  @Test
  void aPlayerWhoLetsTheTurnDeadlinePassLosesByTimeout() {
    startTicTacToe();
    move("alice", "a1", Map.of("cell", 0));
    clock.advance(Duration.ofSeconds(59));
    assertThat(kit.runCommand(GameSession.Internal.CLOCK).hasNoEvents()).as("before the deadline").isTrue();
    clock.advance(Duration.ofSeconds(1));
    var tick = kit.runCommand(GameSession.Internal.CLOCK);
    assertThat(tick.eventOfType(GameOver.class).result()).isEqualTo(new GameEvent.Result("win", 0, "timeout"));
  }

  @Test
  void aGameThatIsNeverFilledExpires() {
    create("checkers");
    clock.advance(Duration.ofMinutes(10));
    var tick = kit.runCommand(GameSession.Internal.CLOCK);
    assertThat(tick.events()).containsExactly(new GameAborted("expired", START.plus(Duration.ofMinutes(10))));
    assertThat(kit.getState().status()).isEqualTo(Status.ABORTED);
  }

  // ---- idle live games leave memory with their deadline in the wake-up schedule ----

  /** A schedule that records what it is asked to store, or fails every time. */
  private static final class RecordingWakeups implements Wakeups {
    final List<String> stored = new java.util.concurrent.CopyOnWriteArrayList<>();
    final boolean fail;

    RecordingWakeups(boolean fail) {
      this.fail = fail;
    }

    @Override
    public java.util.concurrent.CompletionStage<org.apache.pekko.Done> schedule(String gameId, Instant at) {
      if (fail) {
        return java.util.concurrent.CompletableFuture.failedFuture(new java.io.IOException("database down"));
      }
      stored.add(gameId + "@" + at);
      return java.util.concurrent.CompletableFuture.completedFuture(org.apache.pekko.Done.getInstance());
    }
  }

  private RecordingWakeups withWakeups(boolean fail) {
    RecordingWakeups wakeups = new RecordingWakeups(fail);
    kit = EventSourcedBehaviorTestKit.create(testKit.system(),
        GameSession.create("g1", shard.ref(), settings.withLiveIdle(Duration.ofSeconds(10)),
            SessionServices.of(clock).withPublicGames(Lobby.listing(lobby.ref())).withWakeups(wakeups)));
    return wakeups;
  }

  @Test
  void anIdleLiveGameStoresItsTurnDeadlineAndThenPassivates() {
    RecordingWakeups wakeups = withWakeups(false);
    startTicTacToe();
    move("alice", "a1", Map.of("cell", 0));
    kit.runCommand(GameSession.Internal.LIVE_CHECK);
    assertThat(wakeups.stored).as("events since the last check: not idle yet").isEmpty();
    kit.runCommand(GameSession.Internal.LIVE_CHECK);
    assertThat(wakeups.stored).containsExactly("g1@" + START.plusSeconds(60));
    assertThat(shard.expectMessageClass(ClusterSharding.Passivate.class)).isNotNull();
  }

  @Test
  void anIdleWaitingGameStoresItsExpiry() {
    RecordingWakeups wakeups = withWakeups(false);
    create("connect4");
    kit.runCommand(GameSession.Internal.LIVE_CHECK);
    kit.runCommand(GameSession.Internal.LIVE_CHECK);
    assertThat(wakeups.stored).containsExactly("g1@" + START.plus(Duration.ofMinutes(10)));
    assertThat(shard.expectMessageClass(ClusterSharding.Passivate.class)).isNotNull();
  }

  @Test
  void aLiveGameWithASubscriberOrANewEventStaysInMemory() {
    RecordingWakeups wakeups = withWakeups(false);
    startTicTacToe();
    kit.runCommand(GameSession.Internal.LIVE_CHECK);
    move("alice", "a1", Map.of("cell", 0));
    kit.runCommand(GameSession.Internal.LIVE_CHECK);
    assertThat(wakeups.stored).as("a move since the last check").isEmpty();
    TestProbe<GameSession.Update> watcher = testKit.createTestProbe();
    kit.runCommand(new GameSession.Subscribe(watcher.ref(), "s1", null));
    kit.runCommand(GameSession.Internal.LIVE_CHECK);
    kit.runCommand(GameSession.Internal.LIVE_CHECK);
    assertThat(wakeups.stored).as("somebody is watching").isEmpty();
    shard.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void aLiveGameWhoseDeadlineComesBeforeTheNextCheckStaysInMemory() {
    RecordingWakeups wakeups = withWakeups(false);
    startTicTacToe();
    clock.advance(Duration.ofSeconds(51)); // 9 s left on a 60 s turn, checks every 10 s
    kit.runCommand(GameSession.Internal.LIVE_CHECK);
    kit.runCommand(GameSession.Internal.LIVE_CHECK);
    assertThat(wakeups.stored).isEmpty();
    shard.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void aLiveGameWhoseDeadlineCannotBeStoredStaysInMemory() {
    withWakeups(true);
    startTicTacToe();
    kit.runCommand(GameSession.Internal.LIVE_CHECK);
    kit.runCommand(GameSession.Internal.LIVE_CHECK);
    shard.expectNoMessage(Duration.ofMillis(300));
    assertThat(run(GameSession.GetState::new).reply()).as("still answering").isInstanceOf(Accepted.class);
  }

  @Test
  void withoutAScheduleLiveGamesNeverLeaveMemory() {
    startTicTacToe();
    kit.runCommand(GameSession.Internal.LIVE_CHECK);
    kit.runCommand(GameSession.Internal.LIVE_CHECK);
    shard.expectNoMessage(Duration.ofMillis(200));
  }

  // ---- reading and watching ----

  @Test
  void getStateAnswersTheCurrentView() {
    startTicTacToe();
    var state = run(GameSession.GetState::new);
    assertThat(accepted(state).state().seq()).isEqualTo(3);
    assertThat(state.hasNoEvents()).isTrue();
  }

  @Test
  void aSubscriberGetsTheStateThenEveryEventInOrder() {
    create("tictactoe");
    TestProbe<GameSession.Update> watcher = testKit.createTestProbe();
    kit.runCommand(new GameSession.Subscribe(watcher.ref(), "s1", null));
    GameSession.Current current = watcher.expectMessageClass(GameSession.Current.class);
    assertThat(current.correlationId()).isEqualTo("s1");
    assertThat(current.state().seq()).isEqualTo(1);
    run(r -> new GameSession.Join("bob", "Bob", r));
    GameSession.Applied joined = watcher.expectMessageClass(GameSession.Applied.class);
    GameSession.Applied started = watcher.expectMessageClass(GameSession.Applied.class);
    assertThat(joined.seq()).isEqualTo(2);
    assertThat(joined.state().status()).as("the state right after that event").isEqualTo(Status.WAITING);
    assertThat(started.seq()).isEqualTo(3);
    assertThat(started.state().status()).isEqualTo(Status.ACTIVE);
  }

  @Test
  void anUnsubscribedWatcherGetsNothingMore() {
    create("tictactoe");
    TestProbe<GameSession.Update> watcher = testKit.createTestProbe();
    kit.runCommand(new GameSession.Subscribe(watcher.ref(), "s1", null));
    watcher.expectMessageClass(GameSession.Current.class);
    kit.runCommand(new GameSession.Unsubscribe(watcher.ref()));
    run(r -> new GameSession.Join("bob", "Bob", r));
    watcher.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void subscribingToAGameNobodyCreatedIsNotFound() {
    TestProbe<GameSession.Update> watcher = testKit.createTestProbe();
    kit.runCommand(new GameSession.Subscribe(watcher.ref(), "s1", null));
    assertThat(watcher.expectMessageClass(GameSession.NotFound.class).correlationId()).isEqualTo("s1");
  }

  @Test
  void publicGamesReportEveryChangeToTheLobby() {
    create("tictactoe");
    assertThat(lobby.expectMessageClass(arena.lobby.Lobby.Publish.class).state().status()).isEqualTo(Status.WAITING);
    run(r -> new GameSession.Join("bob", "Bob", r));
    assertThat(lobby.expectMessageClass(arena.lobby.Lobby.Publish.class).state().status()).isEqualTo(Status.ACTIVE);
  }

  @Test
  void privateGamesAreNeverReportedToTheLobby() {
    run(r -> new GameSession.Create("tictactoe", Visibility.PRIVATE, 60, "alice", "Alice", r));
    run(r -> new GameSession.Join("bob", "Bob", r));
    lobby.expectNoMessage(Duration.ofMillis(200));
  }

  // ---- recovery ----

  @Test
  void aRestartedSessionRecoversItsPositionAndUsedIds() {
    startTicTacToe();
    move("alice", "a1", Map.of("cell", 4));
    kit.restart();
    GameState state = kit.getState();
    assertThat(state.view().board()).isEqualTo(java.util.Arrays.asList(null, null, null, null, 0, null, null, null, null));
    assertThat(accepted(move("alice", "a1", Map.of("cell", 0))).seq()).isEqualTo(4);
  }
}
