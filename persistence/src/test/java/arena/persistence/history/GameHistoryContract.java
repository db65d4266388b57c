package arena.persistence.history;

import static org.assertj.core.api.Assertions.assertThat;

import arena.persistence.DatabaseNode;
import arena.persistence.history.GameHistory.StoredEvent;
import arena.persistence.leaderboard.TestGames;
import arena.persistence.leaderboard.TestGames.Player;
import arena.session.GameEvent;
import arena.session.GameSession;
import arena.session.GameView;
import arena.session.TestClock;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.typesafe.config.Config;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What event replay must return on a real journal: every stored event of a game, in order, with
 * seq 1..n and the time it was stored; nothing for an unknown game. Run on PostgreSQL and on H2.
 */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GameHistoryContract {

  private DatabaseNode node;
  private ActorTestKit testKit;
  private TestGames games;
  private javax.sql.DataSource pool;

  /** The {@code arena.db} settings of the database under test. */
  abstract Config databaseSettings() throws Exception;

  @BeforeAll
  void start() throws Exception {
    node = DatabaseNode.local(getClass().getSimpleName(), databaseSettings());
    testKit = node.testKit();
    pool = node.pool();
    games = new TestGames(testKit);
  }

  @AfterAll
  void stop() {
    node.close();
  }

  private List<StoredEvent> events(String gameId) throws Exception {
    return GameHistory.events(testKit.system(), gameId).toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  @Test
  void everyEventOfAFinishedGameComesBackInOrderWithItsStorageTime() throws Exception {
    Player alice = Player.unique("alice");
    Player bob = Player.unique("bob");
    Instant before = Instant.now().minusSeconds(1); // the journal's clock is the JVM's, in ms
    String gameId = games.ticTacToeWin(alice, bob);
    Instant after = Instant.now().plusSeconds(1);

    List<StoredEvent> history = events(gameId);

    assertThat(history).extracting(StoredEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    assertThat(history).extracting(e -> kind(e.event())).containsExactly(
        "game_created", "player_joined", "game_started",
        "moved", "moved", "moved", "moved",
        "moved", "game_over");
    GameEvent.GameCreated created = (GameEvent.GameCreated) history.get(0).event();
    assertThat(List.of(created.game(), created.playerId(), created.name()))
        .containsExactly("tictactoe", alice.id(), "alice");
    assertThat(history.subList(3, 8)).extracting(e -> ((GameEvent.Moved) e.event()).move())
        .containsExactly(Map.of("cell", 0), Map.of("cell", 3), Map.of("cell", 1), Map.of("cell", 4),
            Map.of("cell", 2));
    assertThat(((GameEvent.GameOver) history.get(8).event()).result())
        .isEqualTo(new GameEvent.Result("win", 0, "line"));
    for (int i = 0; i < history.size(); i++) {
      Instant stored = history.get(i).timestamp();
      assertThat(stored).as("timestamp of seq %d", i + 1).isBetween(before, after);
      if (i > 0) {
        assertThat(stored).as("timestamp of seq %d", i + 1).isAfterOrEqualTo(history.get(i - 1).timestamp());
      }
    }
  }

  @Test
  void aGameInProgressGivesWhatIsStoredSoFar() throws Exception {
    Player alice = Player.unique("alice");
    Player bob = Player.unique("bob");
    String gameId = TestGames.newGameId();
    ActorRef<GameSession.Command> session =
        games.start(gameId, "connect4", 60, alice, bob, new TestClock(Instant.now()));
    games.accepted(session, r -> new GameSession.MakeMove(alice.id(), "m0", Map.of("column", 3), r));

    assertThat(events(gameId)).extracting(StoredEvent::seq).containsExactly(1L, 2L, 3L, 4L);
    assertThat(((GameEvent.Moved) events(gameId).get(3).event()).move()).isEqualTo(Map.of("column", 3));
  }

  /** The spec's name of an event's kind: its JSON type name. */
  private static String kind(GameEvent event) {
    return Arrays.stream(GameEvent.class.getAnnotation(JsonSubTypes.class).value())
        .filter(type -> type.value() == event.getClass())
        .map(JsonSubTypes.Type::name)
        .findFirst().orElseThrow();
  }

  @Test
  void anUnknownGameHasNoEvents() throws Exception {
    assertThat(events(TestGames.newGameId())).isEmpty();
  }

  @Test
  void theStoredEventsOfOneGameAreNotMixedWithAnother() throws Exception {
    Player alice = Player.unique("alice");
    Player bob = Player.unique("bob");
    String one = games.resignation("checkers", alice, bob);
    String other = games.resignation("checkers", bob, alice);

    assertThat(events(one)).extracting(e -> kind(e.event())).containsExactly(
        "game_created", "player_joined", "game_started",
        "game_over");
    assertThat(((GameEvent.GameCreated) events(other).get(0).event()).playerId()).isEqualTo(bob.id());
  }

  private List<StoredEvent> page(String gameId, long afterSeq, int limit) throws Exception {
    return GameHistory.page(testKit.system(), pool, gameId, afterSeq, limit).orElseThrow();
  }

  @Test
  void pagesReturnTheEventsAfterASeqUpToALimitReadThroughTheGivenPool() throws Exception {
    String gameId = games.ticTacToeWin(Player.unique("alice"), Player.unique("bob"));

    assertThat(page(gameId, 0, 1000)).extracting(StoredEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    assertThat(page(gameId, 0, 4)).extracting(StoredEvent::seq).containsExactly(1L, 2L, 3L, 4L);
    assertThat(page(gameId, 4, 4)).extracting(StoredEvent::seq).containsExactly(5L, 6L, 7L, 8L);
    assertThat(page(gameId, 8, 4)).extracting(e -> kind(e.event())).containsExactly("game_over");
    assertThat(page(gameId, 9, 4)).isEmpty();
    assertThat(page(gameId, 0, 9)).usingRecursiveFieldByFieldElementComparator().isEqualTo(events(gameId));
  }

  @Test
  void anUnknownGameHasNoPage() throws Exception {
    assertThat(GameHistory.page(testKit.system(), pool, TestGames.newGameId(), 0, 10)).isEmpty();
  }
}
