package arena.lobby;

import static org.assertj.core.api.Assertions.assertThat;

import arena.lobby.Lobby.ListOpen;
import arena.lobby.Lobby.OpenGame;
import arena.lobby.Lobby.OpenGames;
import arena.lobby.Lobby.Publish;
import arena.session.GameView;
import arena.session.Status;
import arena.session.TestClock;
import arena.session.Visibility;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The lobby on a single-node cluster: what it lists, in which order, and its bounds. */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LobbyTest {

  private final ActorTestKit testKit = ActorTestKit.create("LobbyTest", ClusterNodes.config());
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
  private final List<GameView> published = new ArrayList<>();
  private ActorRef<Lobby.Command> lobby;

  @BeforeAll
  void joinCluster() {
    ClusterNodes.join(testKit.system(), testKit.system());
    ClusterNodes.awaitUp(testKit, testKit.system());
    lobby = testKit.spawn(Lobby.create(), "lobby");
  }

  @AfterAll
  void tearDown() {
    testKit.shutdownTestKit();
  }

  /** Every test starts with an empty list. */
  @AfterEach
  void removeWhatWasListed() {
    published.forEach(v -> lobby.tell(new Publish(withStatus(v, Status.ABORTED))));
    published.clear();
    awaitListing(lobby, null, 500, List::isEmpty);
  }

  // ---- helpers ----

  private GameView publish(ActorRef<Lobby.Command> to, GameView view) {
    published.add(view);
    to.tell(new Publish(view));
    return view;
  }

  private GameView publish(GameView view) {
    return publish(lobby, view);
  }

  private static GameView view(String gameId, String game, Status status, Visibility visibility, Instant createdAt) {
    return new GameView(gameId, game, status, 1, visibility, 30,
        List.of(new GameView.Seat(0, "player-" + gameId, "Alice")), null, null, List.of(), null,
        createdAt, createdAt);
  }

  private GameView waiting(String gameId, String game, Instant createdAt) {
    return view(gameId, game, Status.WAITING, Visibility.PUBLIC, createdAt);
  }

  private static GameView withStatus(GameView v, Status status) {
    return new GameView(v.gameId(), v.game(), status, v.seq() + 1, v.visibility(), v.turnSeconds(), v.players(),
        null, null, v.board(), null, v.createdAt(), v.updatedAt());
  }

  private List<OpenGame> awaitListing(ActorRef<Lobby.Command> from, String game, int limit,
      Predicate<List<OpenGame>> until) {
    TestProbe<OpenGames> probe = testKit.createTestProbe();
    return probe.awaitAssert(Duration.ofSeconds(3), Duration.ofMillis(20), () -> {
      from.tell(new ListOpen(game, limit, probe.ref()));
      List<OpenGame> games = probe.receiveMessage().games();
      assertThat(until.test(games)).as("listing %s", games).isTrue();
      return games;
    });
  }

  private static List<String> ids(List<OpenGame> games) {
    return games.stream().map(OpenGame::gameId).toList();
  }

  /** Publishes a marker game after the others: once it shows, the lobby has handled them all. */
  private List<OpenGame> listingAfterMarker(String game) {
    publish(waiting("marker-" + game, game, now.minusSeconds(1)));
    return awaitListing(lobby, game, 500, games -> ids(games).contains("marker-" + game));
  }

  // ---- tests ----

  @Test
  void listsAWaitingPublicGameWithItsPlayersAndSettings() {
    publish(waiting("g-1", "connect4", now));
    List<OpenGame> games = awaitListing(lobby, null, 100, list -> !list.isEmpty());
    assertThat(games).containsExactly(new OpenGame("g-1", "connect4",
        List.of(new GameView.Seat(0, "player-g-1", "Alice")), 30, now));
  }

  @Test
  void dropsAGameOnceItStarts() {
    GameView view = publish(waiting("g-start", "tictactoe", now));
    awaitListing(lobby, "tictactoe", 100, list -> ids(list).contains("g-start"));
    lobby.tell(new Publish(withStatus(view, Status.ACTIVE)));
    awaitListing(lobby, "tictactoe", 100, List::isEmpty);
  }

  @Test
  void dropsFinishedAndAbortedGames() {
    GameView a = publish(waiting("g-a", "checkers", now));
    GameView b = publish(waiting("g-b", "checkers", now));
    awaitListing(lobby, "checkers", 100, list -> list.size() == 2);
    lobby.tell(new Publish(withStatus(a, Status.FINISHED)));
    lobby.tell(new Publish(withStatus(b, Status.ABORTED)));
    awaitListing(lobby, "checkers", 100, List::isEmpty);
  }

  @Test
  void dropsAGameThatStartsRightAfterItWasListed() {
    GameView view = publish(waiting("g-quick", "tictactoe", now));
    lobby.tell(new Publish(withStatus(view, Status.ACTIVE))); // before any notification reached the lobby
    assertThat(ids(listingAfterMarker("tictactoe"))).doesNotContain("g-quick");
  }

  @Test
  void neverListsPrivateGames() {
    publish(view("g-private", "connect4", Status.WAITING, Visibility.PRIVATE, now));
    assertThat(ids(listingAfterMarker("connect4"))).containsExactly("marker-connect4");
  }

  @Test
  void filtersByGameType() {
    publish(waiting("t-1", "tictactoe", now));
    publish(waiting("c-1", "connect4", now.plusSeconds(1)));
    publish(waiting("t-2", "tictactoe", now.plusSeconds(2)));
    awaitListing(lobby, null, 100, list -> list.size() == 3);
    assertThat(ids(awaitListing(lobby, "tictactoe", 100, list -> true))).containsExactly("t-2", "t-1");
    assertThat(ids(awaitListing(lobby, "connect4", 100, list -> true))).containsExactly("c-1");
    assertThat(awaitListing(lobby, "chess", 100, list -> true)).isEmpty();
  }

  @Test
  void listsNewestFirstThenByGameIdAndHonoursTheLimit() {
    publish(waiting("old", "connect4", now.minusSeconds(60)));
    publish(waiting("newest", "connect4", now));
    publish(waiting("tie-b", "connect4", now.minusSeconds(10)));
    publish(waiting("tie-a", "connect4", now.minusSeconds(10)));
    publish(waiting("middle", "connect4", now.minusSeconds(30)));
    List<OpenGame> all = awaitListing(lobby, null, 100, list -> list.size() == 5);
    assertThat(ids(all)).containsExactly("newest", "tie-a", "tie-b", "middle", "old");
    assertThat(ids(awaitListing(lobby, "connect4", 2, list -> true))).containsExactly("newest", "tie-a");
  }

  @Test
  void aChangeOfAWaitingGameIsListed() {
    GameView view = publish(waiting("g-change", "checkers", now));
    awaitListing(lobby, "checkers", 100, list -> !list.isEmpty());
    GameView leftAndRejoined = new GameView(view.gameId(), view.game(), Status.WAITING, 3, Visibility.PUBLIC, 30,
        List.of(new GameView.Seat(0, "someone-else", "Bob")), null, null, List.of(), null, now, now);
    lobby.tell(new Publish(leftAndRejoined));
    awaitListing(lobby, "checkers", 100,
        list -> list.size() == 1 && list.get(0).players().get(0).name().equals("Bob"));
  }

  @Test
  void neverListsAGameOlderThanTheWaitingExpiry() {
    publish(waiting("g-ancient", "connect4", now.minus(Duration.ofMinutes(20))));
    assertThat(ids(listingAfterMarker("connect4"))).doesNotContain("g-ancient");
  }

  @Test
  void aListingReturnsAtMostMaxListingGames() {
    ActorRef<Lobby.Command> small = testKit.spawn(Lobby.create(
        new LobbySettings(100, 2, Duration.ofMinutes(11), Duration.ofMinutes(1)), Clock.systemUTC()));
    for (int i = 0; i < 4; i++) {
      publish(small, waiting("g-max-" + i, "tictactoe", now.plusSeconds(i)));
    }
    awaitListing(lobby, null, 100, list -> list.size() == 4);
    assertThat(ids(awaitListing(small, null, 100, list -> true))).containsExactly("g-max-3", "g-max-2");
    testKit.stop(small);
  }

  @Test
  void listsNoMoreThanMaxOpenGames() {
    ActorRef<Lobby.Command> capped = testKit.spawn(Lobby.create(
        new LobbySettings(2, 500, Duration.ofMinutes(11), Duration.ofMinutes(1)), Clock.systemUTC()));
    GameView first = publish(capped, waiting("cap-1", "connect4", now));
    publish(capped, waiting("cap-2", "connect4", now));
    awaitListing(capped, null, 100, list -> list.size() == 2);
    publish(capped, waiting("cap-3", "connect4", now));
    // A change of a listed game still goes through; the third game is not listed.
    capped.tell(new Publish(new GameView("cap-1", "connect4", Status.WAITING, 2, Visibility.PUBLIC, 45, first.players(),
        null, null, List.of(), null, now, now)));
    List<OpenGame> games = awaitListing(lobby, null, 100,
        list -> list.stream().anyMatch(g -> g.turnSeconds() == 45));
    assertThat(ids(games)).containsExactlyInAnyOrder("cap-1", "cap-2");
    testKit.stop(capped);
  }

  @Test
  void everyNodePrunesEntriesWhoseGameHasSurelyExpired() {
    TestClock clock = new TestClock(now);
    ActorRef<Lobby.Command> pruning = testKit.spawn(Lobby.create(
        new LobbySettings(100, 500, Duration.ofMinutes(11), Duration.ofMillis(100)), clock));
    publish(pruning, waiting("g-lost", "checkers", now));
    awaitListing(lobby, "checkers", 100, list -> ids(list).contains("g-lost"));
    clock.advance(Duration.ofMinutes(12)); // its removal was lost; the pruning lobby's time has come
    awaitListing(lobby, "checkers", 100, list -> !ids(list).contains("g-lost"));
    testKit.stop(pruning);
  }
}
