package arena.persistence.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import arena.session.GameSession;
import arena.session.GameSession.Accepted;
import arena.session.GameSession.Command;
import arena.session.GameSession.Reply;
import arena.session.SessionServices;
import arena.session.SessionSettings;
import arena.session.TestClock;
import arena.session.Visibility;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Plays whole games through real {@link GameSession} entities (spawned directly, without
 * sharding), so that their events land in the journal exactly as in production.
 */
public final class TestGames {

  /** How long one reply of a session may take. */
  public static final Duration WAIT = Duration.ofSeconds(15);

  /** A player with an id no other test uses. */
  public record Player(String id, String name) {

    public static Player unique(String name) {
      return new Player(name + "-" + UUID.randomUUID(), name);
    }
  }

  private final ActorTestKit testKit;

  public TestGames(ActorTestKit testKit) {
    this.testKit = testKit;
  }

  public static String newGameId() {
    return "game-" + UUID.randomUUID();
  }

  /** A fresh session of {@code gameId}, on its own clock. */
  public ActorRef<Command> spawn(String gameId, TestClock clock) {
    TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
    SessionSettings settings = new SessionSettings(Duration.ofMinutes(10), Duration.ofMinutes(1), 1000, 2, WAIT);
    return testKit.spawn(GameSession.create(gameId, shard.ref(), settings, SessionServices.of(clock)));
  }

  public Accepted accepted(ActorRef<Command> session, Function<ActorRef<Reply>, Command> command) {
    TestProbe<Reply> probe = testKit.createTestProbe();
    session.tell(command.apply(probe.ref()));
    Reply reply = probe.expectMessageClass(Reply.class, WAIT);
    assertThat(reply).as("reply of the session").isInstanceOf(Accepted.class);
    return (Accepted) reply;
  }

  /** Creates {@code game} with {@code first} on seat 0 and {@code second} joining: it starts. */
  public ActorRef<Command> start(String gameId, String game, int turnSeconds, Player first,
      Player second, TestClock clock) {
    ActorRef<Command> session = spawn(gameId, clock);
    accepted(session, r -> new GameSession.Create(game, Visibility.PRIVATE, turnSeconds, first.id(), first.name(), r));
    accepted(session, r -> new GameSession.Join(second.id(), second.name(), r));
    return session;
  }

  /** Plays tic-tac-toe cells in turn, seat 0 first. */
  public void playCells(ActorRef<Command> session, Player seat0, Player seat1, int... cells) {
    for (int i = 0; i < cells.length; i++) {
      Player player = i % 2 == 0 ? seat0 : seat1;
      int cell = cells[i];
      String requestId = "m" + i;
      accepted(session, r -> new GameSession.MakeMove(player.id(), requestId, Map.of("cell", cell), r));
    }
  }

  /** A tic-tac-toe game that {@code winner} (seat 0) wins with the top row; returns its id. */
  public String ticTacToeWin(Player winner, Player loser) {
    String gameId = newGameId();
    ActorRef<Command> session = start(gameId, "tictactoe", 60, winner, loser, new TestClock(Instant.now()));
    playCells(session, winner, loser, 0, 3, 1, 4, 2);
    return gameId;
  }

  /** A tic-tac-toe game that fills the board with no line; returns its id. */
  public String ticTacToeDraw(Player seat0, Player seat1) {
    String gameId = newGameId();
    ActorRef<Command> session = start(gameId, "tictactoe", 60, seat0, seat1, new TestClock(Instant.now()));
    playCells(session, seat0, seat1, 0, 4, 8, 2, 6, 3, 5, 7, 1);
    return gameId;
  }

  /** A {@code game} that {@code loser} (seat 0) resigns before any move; returns its id. */
  public String resignation(String game, Player loser, Player winner) {
    String gameId = newGameId();
    ActorRef<Command> session = start(gameId, game, 60, loser, winner, new TestClock(Instant.now()));
    accepted(session, r -> new GameSession.Resign(loser.id(), "resign", r));
    return gameId;
  }

  /**
   * A connect4 game whose first turn runs out: {@code loser} (seat 0) never moves. The session is
   * stopped, its clock moved past the deadline, and started again, as after a node restart; the
   * turn clock then ends the game with nobody asking. Returns its id.
   */
  public String timeout(Player loser, Player winner) {
    String gameId = newGameId();
    TestClock clock = new TestClock(Instant.now());
    ActorRef<Command> session = start(gameId, "connect4", 5, loser, winner, clock);
    testKit.stop(session, WAIT);
    clock.advance(Duration.ofSeconds(6));
    spawn(gameId, clock);
    return gameId;
  }
}
