package arena.gateway.browser;

import static arena.gateway.browser.Page.js;
import static org.assertj.core.api.Assertions.assertThat;

import arena.gateway.e2e.Api;
import arena.gateway.e2e.NodeProcess;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The web client (gateway/src/main/resources/web/) in headless Chromium from Debian's package,
 * driven through the Chrome DevTools Protocol, against a real node on PostgreSQL. A player is a
 * browser tab: the client keeps its session in sessionStorage, so tabs of one browser (or
 * separate Chromiums with their own profiles) are separate players.
 *
 * <p>{@link #screenshotsOfTheLobbyAndEveryGame} writes {@code target/screenshots/*.png}; the suite
 * never touches {@code docs/}. docs/screenshots/README.md says how to refresh the committed copies.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class BrowserIT {

  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private NodeProcess node;
  private Api api;

  @BeforeAll
  void start() throws Exception {
    node = new NodeProcess("browser", NodeProcess.postgres()).start();
    node.awaitReady(Duration.ofSeconds(60));
    api = new Api(node.baseUrl());
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void twoPagesPlayTicTacToeToAWinAndBothSeeTheResult() throws Exception {
    try (Chromium chromeA = Chromium.launch("alice"); Chromium chromeB = Chromium.launch("bob");
         Page alice = chromeA.openPage(); Page bob = chromeB.openPage()) {
      enterName(alice, "alice");
      enterName(bob, "bob");

      String gameId = createGame(alice, "tictactoe");
      bob.click("[data-join-game=" + js(gameId) + "]"); // the lobby lists the game within its 2 s refresh
      awaitStatus(bob, gameId, "active");
      awaitStatus(alice, gameId, "active");
      bob.waitForText("#players li[data-me] .name", "bob (you)");

      // alice (seat 0, X) takes the diagonal 2-4-6 while bob (seat 1, O) plays 0 and 1.
      playTicTacToe(alice, bob, 4, 0, 2, 1, 6);

      for (Page page : List.of(alice, bob)) {
        page.waitForText("#game-status", "finished");
        page.waitForText("#game-result", "win — seat 0 (line)");
        page.waitFor("!document.querySelector('#result-fact').hidden", "the result row to show");
        page.waitForText("#turn-indicator", "Game over");
        assertNoErrors(page);
      }
      alice.waitForText("#game-result-detail", "You win!");
      bob.waitForText("#game-result-detail", "You lose.");
    }
  }

  @Test
  void screenshotsOfTheLobbyAndEveryGame() throws Exception {
    try (Chromium chromeA = Chromium.launch("alice-shots"); Chromium chromeB = Chromium.launch("bob-shots");
         Page alice = chromeA.openPage(); Page bob = chromeB.openPage()) {
      enterName(alice, "alice");
      enterName(bob, "bob");

      // Tic-tac-toe, joined from the lobby: alice to move, about to win; then she does.
      String tictactoe = createGame(alice, "tictactoe");
      bob.click("[data-join-game=" + js(tictactoe) + "]");
      awaitStatus(alice, tictactoe, "active");
      playTicTacToe(alice, bob, 4, 0, 2, 1);
      alice.waitForText("#turn-indicator", "Your turn");
      screenshot(alice, "tictactoe");
      playTicTacToe(alice, bob, 6);
      bob.waitForText("#game-result", "win — seat 0 (line)");

      // Connect Four, joined through the game link.
      alice.click("#lobby-button");
      String connect4 = createGame(alice, "connect4");
      bob.navigate(alice.evaluate("document.querySelector('#game-link').href").asText());
      bob.click("#join-button");
      awaitStatus(bob, connect4, "active");
      playConnect4(alice, bob, 3, 3, 4, 2, 5, 6, 4, 5);
      bob.waitForText("#turn-indicator", "alice to move");
      screenshot(bob, "connect4");

      // Checkers: four plies, then black picks a piece and its landing square (not sent yet).
      alice.click("#lobby-button");
      bob.click("#lobby-button");
      String checkers = createGame(alice, "checkers");
      bob.click("[data-join-game=" + js(checkers) + "]");
      awaitStatus(alice, checkers, "active");
      playCheckers(alice, bob, new int[] {11, 15}, new int[] {23, 19}, new int[] {8, 11}, new int[] {22, 17});
      alice.waitForText("#turn-indicator", "Your turn");
      alice.click("[data-square=\"9\"]");
      alice.click("[data-square=\"14\"]");
      alice.waitForText("#checkers-path", "9 → 14");
      alice.waitFor("!document.querySelector('#send-move').disabled", "Send move to be enabled");
      screenshot(alice, "checkers");

      // The lobby: two open games (bob's from the page, carol's through the API) and the
      // leaderboard once the finished tic-tac-toe game is counted.
      bob.click("#lobby-button");
      String bobsGame = createGame(bob, "connect4");
      JsonNode carol = api.newPlayer("carol");
      Api.Answer created = api.post("/api/v1/games",
          Api.JSON.writeValueAsString(Map.of("game", "checkers", "visibility", "public", "turnSeconds", 120)),
          carol.get("token").asText());
      assertThat(created.status()).as("carol creates a game: %s", created).isEqualTo(201);
      awaitLeaderboard(carol.get("token").asText());
      alice.click("#lobby-button");
      alice.waitFor(exists("[data-join-game=" + js(bobsGame) + "]")
          + " && " + exists("[data-join-game=" + js(created.body().get("gameId").asText()) + "]"),
          "the lobby to list bob's and carol's open games");
      alice.waitFor("document.querySelectorAll('#leaderboard tr').length > 0", "the leaderboard to show");
      assertNoErrors(alice);
      screenshot(alice, "lobby");
    }
  }

  @Test
  @Timeout(300)
  void threeTabsOfOneBrowserAreThreePlayersWhoPlayWatchAndReplay() throws Exception {
    try (Chromium chrome = Chromium.launch("tabs");
         Page alice = chrome.openPage(); Page bob = chrome.newTab("bob"); Page carol = chrome.newTab("carol")) {
      // Each tab keeps its own player (sessionStorage), although the tabs share localStorage.
      enterName(alice, "alice");
      enterName(bob, "bob");
      enterName(carol, "carol");
      List<String> ids = new java.util.ArrayList<>();
      for (Page page : List.of(alice, bob, carol)) {
        ids.add(page.evaluate("JSON.parse(sessionStorage.getItem('arena.session')).playerId").asText());
        assertThat(page.evaluate("localStorage.getItem('arena.session')").isNull())
            .as("%s keeps no player in the storage every tab shares", page.name).isTrue();
      }
      assertThat(ids).as("one player per tab").doesNotHaveDuplicates().doesNotContain("");

      String gameId = createGame(alice, "tictactoe");
      bob.bringToFront(); // the client polls its lists only in the tab on screen
      bob.waitFor("!(" + exists("[data-my-game-row]") + ")", "bob's own games to be empty");
      bob.click("[data-join-game=" + js(gameId) + "]");
      awaitStatus(bob, gameId, "active");

      // My games: alice leaves the game screen, finds it there as active and opens it again.
      awaitStatus(alice, gameId, "active");
      alice.bringToFront();
      alice.click("#lobby-button");
      alice.waitFor(exists("[data-my-game-row=" + js(gameId) + "][data-status=\"active\"]"), "her active game in my games");
      alice.click("[data-my-game=" + js(gameId) + "]");
      awaitStatus(alice, gameId, "active");

      // Games being played: carol watches it from the list.
      carol.bringToFront();
      carol.click("[data-watch-game=" + js(gameId) + "]");
      awaitStatus(carol, gameId, "active");
      carol.waitFor("!document.querySelector('#spectator-note').hidden", "carol to be a spectator");

      playTicTacToe(alice, bob, 4, 0, 2, 1);
      carol.waitFor("document.querySelector('[data-cell=\"1\"]')?.dataset.value === '1'", "carol to see bob's last move");
      screenshot(carol, "spectator");
      playTicTacToe(alice, bob, 6);
      carol.waitForText("#game-result", "win — seat 0 (line)");
      carol.waitFor("!document.querySelector('#replay-controls').hidden", "the replay controls once the game ended");
      carol.waitForText("#replay-position", "move 5 of 5");
      assertNoErrors(carol);

      // After the end bob finds it among his finished games and replays it from the start.
      bob.bringToFront();
      bob.click("#lobby-button");
      bob.waitFor(exists("[data-my-game-row=" + js(gameId) + "][data-status=\"finished\"]"), "his finished game in my games");
      bob.waitForText("[data-my-game=" + js(gameId) + "]", "Replay");
      screenshot(bob, "my-games");
      bob.click("[data-my-game=" + js(gameId) + "]");
      awaitStatus(bob, gameId, "finished");
      bob.waitForText("#replay-position", "move 0 of 5");
      assertCells(bob, "         ");
      bob.click("#replay-forward");
      bob.waitForText("#replay-position", "move 1 of 5");
      assertCells(bob, "    X    ");
      bob.click("#replay-forward");
      bob.click("#replay-forward");
      bob.waitForText("#replay-position", "move 3 of 5");
      assertCells(bob, "O X X    ");
      bob.click("#replay-back");
      bob.waitForText("#replay-position", "move 2 of 5");
      assertCells(bob, "O   X    ");
      bob.waitFor("document.querySelector('[data-cell=\"0\"]').dataset.lastMove === 'true'", "the last move marked");
      screenshot(bob, "replay");
      bob.click("#replay-play");
      bob.waitFor("!document.querySelector('#replay-pause').hidden", "Pause while playing");
      bob.waitForText("#replay-position", "move 5 of 5");
      bob.waitFor("document.querySelector('#replay-pause').hidden", "play to stop at the end");
      assertCells(bob, "OOX X X  ");
      bob.click("#replay-start");
      bob.waitForText("#replay-position", "move 0 of 5");
      bob.click("#replay-play");
      bob.click("#replay-pause");
      int paused = bob.evaluate("Number(document.querySelector('#replay-position').dataset.index)").asInt();
      assertThat(paused).as("paused before the end").isLessThan(5);
      assertThat(bob.evaluate("app.game.replay.timer === null && document.querySelector('#replay-pause').hidden"
          + " && !document.querySelector('#replay-play').hidden").asBoolean())
          .as("paused: no step is scheduled and Play shows again").isTrue();
      assertNoErrors(bob);
      assertNoErrors(alice);
    }
  }

  /** The tic-tac-toe board as nine characters, X (seat 0), O (seat 1) or a space, row-major. */
  private static void assertCells(Page page, String expected) {
    page.waitFor("[...document.querySelectorAll('[data-cell]')].map((c) => c.dataset.value === '0' ? 'X'"
        + " : c.dataset.value === '1' ? 'O' : ' ').join('') === " + js(expected), "the board \"" + expected + "\"");
  }

  // ---- steps ----

  /** Opens the client with no session, enters a name and waits for the connected lobby. */
  @Test
  void theSocketOpensWithATicketNeverTheTokenAndTheTokenIsRefreshed() throws Exception {
    try (Chromium chrome = Chromium.launch("tickets"); Page page = chrome.openPage()) {
      enterName(page, "tina");
      String before = page.evaluate("JSON.parse(sessionStorage.getItem('arena.session')).token").asText();
      // Record the URLs of the sockets the client opens from now on, then drop its socket.
      page.evaluate("window.socketUrls = []; window.WebSocket = class extends WebSocket {"
          + " constructor(url, protocols) { super(url, protocols); window.socketUrls.push(String(url)); } };"
          + " dropSocket(); true");
      page.waitFor("window.socketUrls.length > 0 && document.body.dataset.connection === 'connected'",
          "the client to reconnect");
      String url = page.evaluate("window.socketUrls[0]").asText();
      assertThat(url).contains("/ws?ticket=").doesNotContain("token").doesNotContain(before);

      assertThat(page.evaluate("app.refreshTimer !== null").asBoolean()).as("a refresh is scheduled").isTrue();
      page.evaluate("refreshToken(); true");
      page.waitFor("JSON.parse(sessionStorage.getItem('arena.session')).token !== " + js(before),
          "the token to be refreshed");
      JsonNode session = page.evaluate("JSON.parse(sessionStorage.getItem('arena.session'))");
      assertThat(api.get("/api/v1/games?status=open", session.path("token").asText()).status()).isEqualTo(200);
      assertThat(session.path("name").asText()).isEqualTo("tina");
      assertNoErrors(page);
    }
  }

  private void enterName(Page page, String name) {
    page.navigate(node.baseUrl() + "/");
    page.waitFor("document.body.dataset.screen === 'name'", "the name prompt");
    page.setValue("#name-input", name);
    page.click("#name-submit");
    page.waitFor("document.body.dataset.screen === 'lobby'", "the lobby after entering a name");
    page.waitForText("#player-name", name);
    page.waitFor("document.body.dataset.connection === 'connected'", "the WebSocket to connect");
  }

  /** Creates a public game from the lobby form; returns its id once the page shows it waiting. */
  private static String createGame(Page page, String game) {
    page.waitFor("document.body.dataset.screen === 'lobby'", "the lobby before creating a " + game + " game");
    page.setValue("#create-game", game);
    page.setValue("#create-visibility", "public");
    page.click("#create-submit");
    page.waitFor("document.body.dataset.screen === 'game' && document.querySelector('#board').dataset.game === " + js(game),
        "the new " + game + " game on screen");
    page.waitForText("#game-status", "waiting");
    String gameId = page.text("#game-id");
    assertThat(gameId).as("%s: #game-id", page.name).isNotBlank();
    page.waitFor("location.hash === " + js("#game=" + gameId), "the address to link the game");
    return gameId;
  }

  private static void awaitStatus(Page page, String gameId, String status) {
    page.waitFor("document.body.dataset.screen === 'game'", "the game screen");
    page.waitForText("#game-id", gameId);
    page.waitForText("#game-status", status);
  }

  /** Plays cells in turn, seat 0 first: each mover waits for its turn, clicks, and both pages see the mark. */
  private static void playTicTacToe(Page seat0, Page seat1, int... cells) {
    List<Page> pages = List.of(seat0, seat1);
    int seat = firstSeatToMove(seat0);
    for (int cell : cells) {
      Page mover = pages.get(seat);
      awaitMyTurn(mover);
      mover.click("[data-cell=\"" + cell + "\"]");
      for (Page page : pages) {
        page.waitFor("document.querySelector('[data-cell=\"" + cell + "\"]')?.dataset.value === '" + seat + "'",
            "seat " + seat + "'s mark in cell " + cell);
      }
      seat = 1 - seat;
    }
  }

  private static void playConnect4(Page seat0, Page seat1, int... columns) {
    List<Page> pages = List.of(seat0, seat1);
    int[] heights = new int[7];
    int seat = firstSeatToMove(seat0);
    for (int column : columns) {
      Page mover = pages.get(seat);
      awaitMyTurn(mover);
      mover.click("[data-column=\"" + column + "\"]");
      int row = heights[column]++;
      for (Page page : pages) {
        page.waitFor("document.querySelector('[data-column=\"" + column + "\"] [data-row=\"" + row + "\"]')?.dataset.value === '" + seat + "'",
            "seat " + seat + "'s disc in column " + column + ", row " + row);
      }
      seat = 1 - seat;
    }
  }

  /** Each path is clicked square by square and sent with the Send move button. */
  private static void playCheckers(Page seat0, Page seat1, int[]... paths) {
    List<Page> pages = List.of(seat0, seat1);
    int seat = firstSeatToMove(seat0);
    for (int[] path : paths) {
      Page mover = pages.get(seat);
      awaitMyTurn(mover);
      for (int square : path) {
        mover.click("[data-square=\"" + square + "\"]");
      }
      mover.click("#send-move");
      int to = path[path.length - 1];
      String piece = seat == 0 ? "b" : "w";
      for (Page page : pages) {
        page.waitFor("document.querySelector('[data-square=\"" + to + "\"]')?.dataset.piece === '" + piece + "'"
            + " && document.querySelector('[data-square=\"" + path[0] + "\"]')?.dataset.piece === ''",
            "seat " + seat + "'s move " + path[0] + " → " + to);
      }
      seat = 1 - seat;
    }
  }

  /** Whose turn it is, read from seat 0's page (the players list marks the seat on turn). */
  private static int firstSeatToMove(Page seat0) {
    seat0.waitFor("document.querySelector('#players li[data-turn]')", "a seat on turn");
    return seat0.evaluate("Number(document.querySelector('#players li[data-turn]').dataset.seat)").asInt();
  }

  /** A JavaScript condition: {@code selector} matches an element. */
  private static String exists(String selector) {
    return "document.querySelector(" + js(selector) + ") !== null";
  }

  private static void awaitMyTurn(Page page) {
    page.waitFor("document.querySelector('#turn-indicator').dataset.mine === 'true'", "its turn");
  }

  /** No error banner on screen and no uncaught JavaScript exception so far. */
  private static void assertNoErrors(Page page) {
    assertThat(page.evaluate("document.querySelector('#error-banner').hidden").asBoolean())
        .as("%s shows no error banner; page: %s", page.name, page.describe()).isTrue();
    assertThat(page.log()).as("%s: uncaught exceptions in the browser log", page.name)
        .noneMatch(entry -> entry.startsWith("uncaught:"));
  }

  /**
   * Waits (bounded) until the tic-tac-toe leaderboard has a row, so the lobby shows one: on an
   * empty database, until the projection has counted this test's finished game.
   */
  private void awaitLeaderboard(String token) throws Exception {
    long deadline = System.nanoTime() + Page.WAIT.toNanos();
    Api.Answer answer;
    while ((answer = api.get("/api/v1/leaderboard?game=tictactoe", token)).body() == null || answer.body().isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the tic-tac-toe leaderboard stayed empty for " + Page.WAIT.toSeconds() + " s: " + answer);
      }
      Thread.sleep(100);
    }
  }

  /** A PNG of the page's viewport in target/screenshots/, checked to be a PNG of the viewport's size. */
  private static void screenshot(Page page, String name) throws Exception {
    assertNoErrors(page);
    page.waitFor("document.querySelector('#move-pending').hidden", "no move waiting for its ack");
    byte[] png = page.screenshot(SCREENSHOTS.resolve(name + ".png"));
    ByteBuffer header = ByteBuffer.wrap(png);
    assertThat(header.getLong(0)).as("%s.png starts with the PNG signature", name).isEqualTo(0x89504E470D0A1A0AL);
    assertThat(header.getInt(16)).as("%s.png width", name).isEqualTo(Page.WIDTH);
    assertThat(header.getInt(20)).as("%s.png height", name).isEqualTo(Page.HEIGHT);
  }
}
