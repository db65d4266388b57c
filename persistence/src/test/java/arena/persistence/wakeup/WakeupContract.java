package arena.persistence.wakeup;

import static org.assertj.core.api.Assertions.assertThat;

import arena.persistence.Database;
import arena.persistence.DatabaseNode;
import arena.persistence.leaderboard.Poll;
import arena.session.GameSession;
import arena.session.GameSession.Accepted;
import arena.session.GameSession.Command;
import arena.session.GameSession.Reply;
import arena.session.GameView;
import arena.session.SessionMetrics;
import arena.session.SessionServices;
import arena.session.SessionSettings;
import arena.session.Visibility;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Idle live games leave memory and keep their clocks, on a real database: a one-node cluster with
 * game sessions sharded as on a node (remember-entities on), the wake-up schedule in
 * {@code session_wakeup} and its sweeper. {@code live-idle} is one second here, so a game with no
 * event and nobody watching passivates within two. Run on PostgreSQL and on H2.
 */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WakeupContract {

  private static final Duration WAIT = Duration.ofSeconds(15);
  /** The spec's bound: a clock fires within 5 s of its deadline. */
  private static final Duration CLOCK_BOUND = Duration.ofSeconds(5);

  private DatabaseNode node;
  private Database database;
  private HikariDataSource pool;
  private ActorTestKit testKit;
  private JdbcWakeups wakeups;

  /** The {@code arena.db} settings of the database under test. */
  abstract Config databaseSettings() throws Exception;

  @BeforeAll
  void start() throws Exception {
    node = DatabaseNode.oneNodeCluster(getClass().getSimpleName(), databaseSettings(),
        database -> ConfigFactory.parseResources("sharding.conf"));
    database = node.database();
    pool = node.pool();
    startNode(node.testKit());
  }

  @AfterAll
  void stop() {
    node.close();
  }

  /** Game sessions and the sweeper on {@code started}, the node's (fresh) one-node cluster. */
  private void startNode(ActorTestKit started) {
    testKit = started;
    wakeups = new JdbcWakeups(pool,
        testKit.system().dispatchers().lookup(DispatcherSelector.blocking()), database.kind());
    SessionSettings settings = new SessionSettings(Duration.ofMinutes(10), Duration.ofSeconds(30), 100, 2, WAIT)
        .withLiveIdle(Duration.ofSeconds(1));
    GameSession.init(testKit.system(), settings, SessionServices.of(Clock.systemUTC()).withWakeups(wakeups));
    WakeupSweeper.start(testKit.system(), wakeups,
        new WakeupSweeper.Settings(Duration.ofMillis(200), Duration.ofSeconds(1), 100, WAIT), Clock.systemUTC());
  }

  private void restartNode() throws Exception {
    startNode(node.restart());
  }

  // ---- helpers ----

  private Accepted accepted(String gameId, Function<org.apache.pekko.actor.typed.ActorRef<Reply>, Command> command) {
    Reply reply = ClusterSharding.get(testKit.system()).entityRefFor(GameSession.ENTITY_KEY, gameId)
        .ask(command::apply, WAIT).toCompletableFuture().join();
    assertThat(reply).as("reply of game %s", gameId).isInstanceOf(Accepted.class);
    return (Accepted) reply;
  }

  /** A started tic-tac-toe game in which alice has played: bob's turn, with his deadline. */
  private GameView startAndMove(String gameId, int turnSeconds) {
    accepted(gameId, r -> new GameSession.Create("tictactoe", Visibility.PRIVATE, turnSeconds, "alice", "Alice", r));
    accepted(gameId, r -> new GameSession.Join("bob", "Bob", r));
    accepted(gameId, r -> new GameSession.MakeMove("alice", "a1", Map.of("cell", 4), r));
    return accepted(gameId, GameSession.GetState::new).state();
  }

  /** The games this node's shards hold in memory. */
  private Set<String> running() {
    TestProbe<ShardRegion.CurrentShardRegionState> probe = testKit.createTestProbe();
    ClusterSharding.get(testKit.system()).shardState()
        .tell(new GetShardRegionState(GameSession.ENTITY_KEY, probe.ref()));
    return probe.expectMessageClass(ShardRegion.CurrentShardRegionState.class, WAIT).getShards().stream()
        .flatMap(shard -> shard.getEntityIds().stream())
        .collect(Collectors.toSet());
  }

  private Optional<Instant> wakeAt(String gameId) throws SQLException {
    try (Connection c = pool.getConnection();
         PreparedStatement s = c.prepareStatement("SELECT wake_at FROM session_wakeup WHERE game_id = ?")) {
      s.setString(1, gameId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getObject(1, OffsetDateTime.class).toInstant()) : Optional.empty();
      }
    }
  }

  /** When the journal stored event {@code seq} of the game (its write timestamp). */
  private Optional<Instant> stored(String gameId, long seq) throws SQLException {
    try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(
        "SELECT write_timestamp FROM event_journal WHERE persistence_id = ? AND sequence_number = ?")) {
      s.setString(1, GameSession.ENTITY_KEY.name() + "|" + gameId);
      s.setLong(2, seq);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(Instant.ofEpochMilli(rs.getLong(1))) : Optional.empty();
      }
    }
  }

  private void awaitPassivatedWithWakeup(String gameId, Instant deadline) throws Exception {
    Poll.until("game " + gameId + " to store its deadline in the wake-up schedule", WAIT,
        () -> wakeAt(gameId), at -> at.equals(Optional.of(deadline)));
    Poll.until("game " + gameId + " to leave memory", WAIT, this::running, games -> !games.contains(gameId));
  }

  // ---- tests ----

  @Test
  void anIdleGameLeavesMemoryAndComesBackOnDemandWithItsClock() throws Exception {
    String gameId = "wake-" + UUID.randomUUID();
    GameView before = startAndMove(gameId, 600);
    awaitPassivatedWithWakeup(gameId, before.turnDeadline());
    JdbcWakeups.Backlog backlog = wakeups.backlog().toCompletableFuture().get(15, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(backlog.games()).as("games waiting out of memory").isPositive();
    assertThat(backlog.earliest()).as("the earliest wake-up").isBeforeOrEqualTo(before.turnDeadline());

    GameView after = accepted(gameId, GameSession.GetState::new).state();
    assertThat(after.turnDeadline()).as("the clock is intact").isEqualTo(before.turnDeadline());
    assertThat(after.seq()).isEqualTo(before.seq());
    Accepted reply = accepted(gameId, r -> new GameSession.MakeMove("bob", "b1", Map.of("cell", 0), r));
    assertThat(reply.seq()).as("play goes on where it stopped").isEqualTo(before.seq() + 1);
  }

  @Test
  void theTurnClockOfAGameThatLeftMemoryFiresAfterANodeRestartWithNobodyConnected() throws Exception {
    String gameId = "wake-" + UUID.randomUUID();
    GameView before = startAndMove(gameId, 15);
    Instant deadline = before.turnDeadline();
    awaitPassivatedWithWakeup(gameId, deadline);

    // Sharding forgot the passivated game: after the restart only the schedule brings it back.
    restartNode();
    long gameOverSeq = before.seq() + 1;
    Duration wait = Duration.between(Instant.now(), deadline).plus(CLOCK_BOUND).plus(WAIT);
    Instant firedAt = Poll.until("the turn clock of game " + gameId + " to store game_over", wait,
        () -> stored(gameId, gameOverSeq), Optional::isPresent).orElseThrow();
    assertThat(firedAt).as("fired at the deadline, within the spec's 5 s")
        .isAfterOrEqualTo(deadline).isBefore(deadline.plus(CLOCK_BOUND));
    GameView over = accepted(gameId, GameSession.GetState::new).state();
    assertThat(over.result()).isEqualTo(new GameView.Result("win", 0, "timeout"));
    Poll.until("the wake-up of game " + gameId + " to leave the schedule", WAIT,
        () -> wakeAt(gameId), Optional::isEmpty);
  }
}
