package arena.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import arena.ErrorCode;
import arena.session.GameSession;
import arena.session.GameSession.Accepted;
import arena.session.GameSession.Command;
import arena.session.GameSession.Reply;
import arena.session.GameView;
import arena.session.SessionServices;
import arena.session.SessionSettings;
import arena.session.Status;
import arena.session.TestClock;
import arena.session.Visibility;
import com.typesafe.config.Config;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a game session must do on a real journal: every acknowledged event survives a restart,
 * recovery from snapshots rebuilds the same game, used request ids survive, and a turn clock fires
 * after a restart with nobody connected. Run on PostgreSQL and on the embedded H2 database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GameSessionJournalContract {

  private static final Duration WAIT = Duration.ofSeconds(15);

  private DatabaseNode node;
  private ActorTestKit testKit;
  private HikariDataSource pool;
  private final TestClock clock = new TestClock(Instant.now());

  /** The {@code arena.db} settings of the database under test. */
  abstract Config databaseSettings() throws Exception;

  @BeforeAll
  void start() throws Exception {
    node = DatabaseNode.local(getClass().getSimpleName(), databaseSettings());
    testKit = node.testKit();
    pool = node.pool();
  }

  @AfterAll
  void stop() {
    node.close();
  }

  private SessionSettings settings(int snapshotEvery) {
    return new SessionSettings(Duration.ofMinutes(10), Duration.ofMinutes(1), snapshotEvery, 2, WAIT);
  }

  private ActorRef<Command> spawn(String gameId, int snapshotEvery) {
    TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
    return testKit.spawn(GameSession.create(gameId, shard.ref(), settings(snapshotEvery), SessionServices.of(clock)));
  }

  private void stop(ActorRef<Command> session) {
    testKit.stop(session, WAIT);
  }

  private Reply ask(ActorRef<Command> session, Function<ActorRef<Reply>, Command> command) {
    TestProbe<Reply> probe = testKit.createTestProbe();
    session.tell(command.apply(probe.ref()));
    return probe.expectMessageClass(Reply.class, WAIT);
  }

  private Accepted accepted(ActorRef<Command> session, Function<ActorRef<Reply>, Command> command) {
    Reply reply = ask(session, command);
    assertThat(reply).as("reply").isInstanceOf(Accepted.class);
    return (Accepted) reply;
  }

  private String startConnect4(ActorRef<Command> session, int turnSeconds) {
    accepted(session, r -> new GameSession.Create("connect4", Visibility.PUBLIC, turnSeconds, "alice", "Alice", r));
    accepted(session, r -> new GameSession.Join("bob", "Bob", r));
    return "alice";
  }

  private static String newGameId() {
    return UUID.randomUUID().toString();
  }

  /** Alternating moves into columns 0,1,0,1,... never make four in a row within 5 moves. */
  private void play(ActorRef<Command> session, int moves) {
    for (int i = 0; i < moves; i++) {
      String player = i % 2 == 0 ? "alice" : "bob";
      int column = (i / 2) % 2 == 0 ? i % 2 : 2 + i % 2;
      String id = "m" + i;
      accepted(session, r -> new GameSession.MakeMove(player, id, Map.of("column", column), r));
    }
  }

  private long count(String sql, String persistenceId) throws SQLException {
    try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, persistenceId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Waits, within {@link #WAIT}, until the query counts {@code expected} rows. */
  private void awaitCount(String sql, String persistenceId, long expected, String what)
      throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    long actual;
    while ((actual = count(sql, persistenceId)) != expected) {
      assertThat(System.nanoTime())
          .as("%s: expected %d rows within %s, still %d", what, expected, WAIT, actual)
          .isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static String persistenceId(String gameId) {
    return GameSession.ENTITY_KEY.name() + "|" + gameId;
  }

  @Test
  void acknowledgedEventsSurviveARestart() {
    String gameId = newGameId();
    ActorRef<Command> session = spawn(gameId, 1000);
    startConnect4(session, 60);
    play(session, 5);
    GameView before = accepted(session, GameSession.GetState::new).state();
    stop(session);

    GameView after = accepted(spawn(gameId, 1000), GameSession.GetState::new).state();
    assertThat(after).isEqualTo(before);
    assertThat(after.seq()).isEqualTo(8);
  }

  @Test
  void recoveryFromASnapshotRebuildsTheSameGame() throws Exception {
    String gameId = newGameId();
    ActorRef<Command> session = spawn(gameId, 3);
    startConnect4(session, 60);
    play(session, 5);
    GameView before = accepted(session, GameSession.GetState::new).state();
    stop(session);
    awaitCount("SELECT count(*) FROM snapshot WHERE persistence_id = ?", persistenceId(gameId), 2,
        "snapshots at seq 3 and 6");

    ActorRef<Command> recovered = spawn(gameId, 3);
    assertThat(accepted(recovered, GameSession.GetState::new).state()).isEqualTo(before);
    // and the game goes on from there
    accepted(recovered, r -> new GameSession.MakeMove("bob", "m5", Map.of("column", 6), r));
  }

  @Test
  void oldSnapshotsArePruned() throws Exception {
    String gameId = newGameId();
    ActorRef<Command> session = spawn(gameId, 2);
    startConnect4(session, 60);
    play(session, 5); // 8 events: snapshots at 2, 4, 6, 8 of which 2 are kept
    stop(session);
    // Deleting older snapshots happens after the newest is saved: wait for it.
    awaitCount("SELECT count(*) FROM snapshot WHERE persistence_id = ?", persistenceId(gameId), 2,
        "snapshots kept");
  }

  @Test
  void aResentMoveIdAfterARestartIsNotAppliedAgain() {
    String gameId = newGameId();
    ActorRef<Command> session = spawn(gameId, 3);
    startConnect4(session, 60);
    long seq = accepted(session, r -> new GameSession.MakeMove("alice", "first", Map.of("column", 3), r)).seq();
    stop(session);

    ActorRef<Command> recovered = spawn(gameId, 3);
    Accepted resend = accepted(recovered, r -> new GameSession.MakeMove("alice", "first", Map.of("column", 3), r));
    assertThat(resend.seq()).isEqualTo(seq);
    assertThat(accepted(recovered, GameSession.GetState::new).state().seq()).as("nothing new was stored").isEqualTo(seq);
  }

  @Test
  void aTurnClockFiresAfterARestartWithNobodyConnected() throws Exception {
    String gameId = newGameId();
    ActorRef<Command> session = spawn(gameId, 1000);
    startConnect4(session, 5);
    stop(session);
    clock.advance(Duration.ofSeconds(6));

    // What sharding's remember-entities does after a restart: start the entity, send nothing.
    ActorRef<Command> restarted = spawn(gameId, 1000);
    awaitCount("SELECT count(*) FROM event_journal WHERE persistence_id = ? AND sequence_number = 4",
        persistenceId(gameId), 1, "game_over stored by the clock");
    GameView state = accepted(restarted, GameSession.GetState::new).state();
    assertThat(state.status()).isEqualTo(Status.FINISHED);
    assertThat(state.result()).isEqualTo(new GameView.Result("win", 1, "timeout"));
  }

  @Test
  void checkersPathsRecoverFromEventsAndFromSnapshots() {
    for (int snapshotEvery : new int[] {1000, 2}) {
      String gameId = newGameId();
      ActorRef<Command> session = spawn(gameId, snapshotEvery);
      accepted(session, r -> new GameSession.Create("checkers", Visibility.PRIVATE, 60, "alice", "Alice", r));
      accepted(session, r -> new GameSession.Join("bob", "Bob", r));
      accepted(session, r -> new GameSession.MakeMove("alice", "a1", Map.of("path", java.util.List.of(11, 15)), r));
      accepted(session, r -> new GameSession.MakeMove("bob", "b1", Map.of("path", java.util.List.of(22, 18)), r));
      GameView before = accepted(session, GameSession.GetState::new).state();
      stop(session);
      ActorRef<Command> recovered = spawn(gameId, snapshotEvery);
      assertThat(accepted(recovered, GameSession.GetState::new).state()).isEqualTo(before);
      // black must now capture 15x22: the recovered position knows it
      Reply refused = ask(recovered, r -> new GameSession.MakeMove("alice", "a2", Map.of("path", java.util.List.of(9, 13)), r));
      assertThat(refused).isEqualTo(new GameSession.Rejected(ErrorCode.ILLEGAL_MOVE, "a capture is compulsory"));
      accepted(recovered, r -> new GameSession.MakeMove("alice", "a2", Map.of("path", java.util.List.of(15, 22)), r));
    }
  }
}
