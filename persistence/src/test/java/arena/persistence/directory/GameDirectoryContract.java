package arena.persistence.directory;

import static org.assertj.core.api.Assertions.assertThat;

import arena.persistence.Database;
import arena.persistence.TestDatabases;
import arena.persistence.directory.JdbcGameDirectory.Entry;
import arena.session.GameView;
import com.typesafe.config.Config;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The game directory's contract on a real database: what sessions write and what the three lists
 * read back. Rows of this test have ids starting with {@code contract-}; they are removed before
 * and after, so the shared database's lists stay as other tests expect them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GameDirectoryContract {

  private static final int MANY = 500;

  private HikariDataSource pool;
  private JdbcGameDirectory directory;
  private final Instant base = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  abstract Config databaseSettings() throws Exception;

  @BeforeAll
  void start() throws Exception {
    Database database = Database.fromConfig(TestDatabases.actorSystem(databaseSettings()));
    database.migrate();
    pool = database.openReadPool();
    directory = new JdbcGameDirectory(pool, new DirectorySettings(2, 64, 2, 1000, Duration.ofSeconds(5),
        Duration.ofMillis(50), Duration.ofMillis(200), 3, Duration.ofSeconds(5)));
    removeOurRows();
  }

  @AfterAll
  void stop() throws Exception {
    removeOurRows();
    directory.close();
    pool.close();
  }

  private void removeOurRows() throws Exception {
    try (Connection c = pool.getConnection()) {
      for (String table : List.of("game_directory_player", "game_directory")) {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE game_id LIKE 'contract-%'")) {
          s.executeUpdate();
        }
      }
    }
  }

  // ---- helpers ----

  private static String id() {
    return "contract-" + UUID.randomUUID();
  }

  private static GameView.Seat seat(int seat, String playerId) {
    return new GameView.Seat(seat, playerId, "name of " + playerId);
  }

  private GameView view(String gameId, String game, String status, long seq, String visibility,
      Instant createdAt, GameView.Result result, GameView.Seat... players) {
    return new GameView(gameId, game, arena.session.Status.fromJson(status), seq,
        arena.session.Visibility.fromJson(visibility), 60, List.of(players), null, null, null, result,
        createdAt, createdAt.plusSeconds(seq));
  }

  private void record(GameView game, Instant startedAt) {
    directory.record(game, startedAt).toCompletableFuture().join();
  }

  private static List<String> ids(List<Entry> entries) {
    return entries.stream().map(Entry::gameId).toList();
  }

  private List<Entry> open(String game) {
    return directory.open(game, MANY).toCompletableFuture().join();
  }

  private List<Entry> active(String game) {
    return directory.active(game, MANY).toCompletableFuture().join();
  }

  private List<Entry> mine(String playerId, String status) {
    return directory.ofPlayer(playerId, status, MANY).toCompletableFuture().join();
  }

  // ---- tests ----

  @Test
  void aGameMovesFromTheOpenListToTheActiveListAsItStartsAndLeavesBothWhenItEnds() {
    String game = id();
    String alice = id();
    String bob = id();
    record(view(game, "connect4", "waiting", 1, "public", base, null, seat(0, alice)), null);
    assertThat(ids(open("connect4"))).contains(game);
    assertThat(ids(open(null))).contains(game);
    assertThat(ids(open("checkers"))).doesNotContain(game);
    assertThat(ids(active(null))).doesNotContain(game);
    Entry listed = open("connect4").stream().filter(e -> e.gameId().equals(game)).findFirst().orElseThrow();
    assertThat(listed.players()).containsExactly(seat(0, alice));
    assertThat(listed.turnSeconds()).isEqualTo(60);
    assertThat(listed.createdAt()).isEqualTo(base);

    Instant started = base.plusSeconds(3);
    record(view(game, "connect4", "active", 3, "public", base, null, seat(0, alice), seat(1, bob)), started);
    assertThat(ids(open(null))).doesNotContain(game);
    assertThat(ids(active("connect4"))).contains(game);
    assertThat(active(null).stream().filter(e -> e.gameId().equals(game)).findFirst().orElseThrow().startedAt())
        .isEqualTo(started);

    GameView.Result won = new GameView.Result("win", 1, "resign");
    record(view(game, "connect4", "finished", 9, "public", base, won, seat(0, alice), seat(1, bob)), null);
    assertThat(ids(active(null))).doesNotContain(game);
    Entry finished = mine(bob, "finished").get(0);
    assertThat(finished.result()).isEqualTo(won);
    assertThat(finished.startedAt()).as("the start is kept").isEqualTo(started);
  }

  @Test
  void activeGamesAreListedMostRecentlyStartedFirst() {
    String early = id();
    String late = id();
    // created in one order, started in the other
    record(view(late, "tictactoe", "active", 3, "public", base, null, seat(0, id()), seat(1, id())),
        base.plusSeconds(20));
    record(view(early, "tictactoe", "active", 3, "public", base.plusSeconds(1), null, seat(0, id()), seat(1, id())),
        base.plusSeconds(10));
    List<String> listed = ids(active("tictactoe"));
    assertThat(listed).containsSubsequence(late, early);
  }

  @Test
  void privateGamesAreListedOnlyToTheirPlayersWithTheirStatusAndNewestFirst() {
    String alice = id();
    String older = id();
    String newer = id();
    String done = id();
    record(view(older, "checkers", "active", 2, "private", base, null, seat(0, alice), seat(1, id())), base);
    record(view(newer, "checkers", "waiting", 1, "private", base.plusSeconds(5), null, seat(0, alice)), null);
    record(view(done, "tictactoe", "finished", 7, "public", base.minusSeconds(60),
        new GameView.Result("draw", null, "board_full"), seat(0, id()), seat(1, alice)), null);
    assertThat(ids(open(null))).doesNotContain(newer);
    assertThat(ids(active(null))).doesNotContain(older);

    assertThat(ids(mine(alice, null))).containsExactly(newer, older, done);
    assertThat(ids(mine(alice, "waiting"))).containsExactly(newer);
    assertThat(ids(mine(alice, "active"))).containsExactly(older);
    assertThat(mine(alice, "finished")).extracting(Entry::status, Entry::result)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("finished", new GameView.Result("draw", null, "board_full")));
    assertThat(mine(alice, null).get(0).result()).isNull();
    assertThat(directory.ofPlayer(alice, null, 2).toCompletableFuture().join()).hasSize(2);
    assertThat(directory.liveGamesOf(alice).toCompletableFuture().join()).isEqualTo(2);
  }

  @Test
  void aPlayerWhoLeavesIsNoLongerListedAsSeated() {
    String alice = id();
    String bob = id();
    String game = id();
    record(view(game, "connect4", "waiting", 2, "public", base, null, seat(0, alice), seat(1, bob)), null);
    assertThat(directory.liveGamesOf(bob).toCompletableFuture().join()).isEqualTo(1);
    record(view(game, "connect4", "waiting", 3, "public", base, null, seat(0, alice)), null);
    assertThat(mine(bob, null)).isEmpty();
    assertThat(directory.liveGamesOf(bob).toCompletableFuture().join()).isZero();
    assertThat(ids(mine(alice, null))).containsExactly(game);
  }

  @Test
  void anOlderEntryNeverReplacesANewerOne() {
    String alice = id();
    String game = id();
    record(view(game, "connect4", "finished", 5, "public", base, new GameView.Result("win", 0, "line"),
        seat(0, alice), seat(1, id())), null);
    record(view(game, "connect4", "waiting", 1, "public", base, null, seat(0, alice)), null);
    assertThat(mine(alice, null)).extracting(Entry::status).containsExactly("finished");
    assertThat(mine(alice, null).get(0).players()).hasSize(2);
    assertThat(ids(open(null))).doesNotContain(game);
  }

  @Test
  void overlappingWritesOfOneGameKeepTheNewest() {
    String alice = id();
    String game = id();
    List<Integer> seqs = new ArrayList<>(IntStream.rangeClosed(1, 30).boxed().toList());
    Collections.shuffle(seqs);
    CompletableFuture.allOf(seqs.stream()
        .map(seq -> directory.record(view(game, "tictactoe", seq == 30 ? "active" : "waiting", seq, "public", base,
            null, seat(0, alice)), null).toCompletableFuture())
        .toArray(CompletableFuture[]::new)).join();
    assertThat(mine(alice, null)).extracting(Entry::status).containsExactly("active");
    assertThat(directory.liveGamesOf(alice).toCompletableFuture().join()).isEqualTo(1);
  }

  @Test
  void aBurstOfChangesToManyGamesIsStoredWholeWithTheNewestOfEach() {
    // more than a writer's batch, created and then started in the same burst: batches mix inserts,
    // updates and older entries that arrive after newer ones
    String alice = id();
    List<String> games = IntStream.range(0, 2 * JdbcGameDirectory.WRITE_BATCH + 7).mapToObj(i -> id()).toList();
    List<CompletableFuture<?>> writes = new ArrayList<>();
    for (String game : games) {
      String bob = id();
      writes.add(directory.record(view(game, "connect4", "active", 3, "public", base, null, seat(0, alice),
          seat(1, bob)), base).toCompletableFuture());
      writes.add(directory.record(view(game, "connect4", "waiting", 1, "public", base, null, seat(0, alice)), null)
          .toCompletableFuture());
    }
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
    assertThat(directory.liveGamesOf(alice).toCompletableFuture().join()).isEqualTo(games.size());
    assertThat(mine(alice, "active")).hasSize(games.size()).allSatisfy(entry -> {
      assertThat(entry.players()).hasSize(2);
      assertThat(entry.startedAt()).isEqualTo(base);
    });
    assertThat(mine(alice, "waiting")).isEmpty();
  }

  @Test
  void aRecoveredGameIsWrittenOnlyWhenItsEntryIsMissingOrOlder() throws Exception {
    String alice = id();
    String game = id();
    String stale = id();
    record(view(stale, "connect4", "waiting", 1, "public", base, null, seat(0, alice)), null);
    directory.recovered(view(game, "connect4", "active", 4, "private", base, null, seat(0, alice), seat(1, id())));
    directory.recovered(view(stale, "connect4", "aborted", 2, "public", base, null, seat(0, alice)));
    awaitStatuses(alice, List.of("aborted", "active"));

    directory.recovered(view(game, "connect4", "waiting", 2, "private", base, null, seat(0, alice)));
    // games are checked in order: once a later one is in, the older entry above has been dealt with
    directory.recovered(view(id(), "connect4", "finished", 9, "private", base, null, seat(0, alice)));
    awaitStatuses(alice, List.of("aborted", "active", "finished"));
  }

  private void awaitStatuses(String playerId, List<String> statuses) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!mine(playerId, null).stream().map(Entry::status).sorted().toList().equals(statuses)) {
      assertThat(System.nanoTime()).as("statuses %s of %s within 5 s: %s", statuses, playerId,
          mine(playerId, null)).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  @Test
  void aGameOfThePreviousReleaseRecoveringActiveCountsAsStartedAtItsLastChange() {
    String game = id();
    GameView recovered = view(game, "checkers", "active", 12, "public", base, null, seat(0, id()), seat(1, id()));
    record(recovered, null);
    Entry entry = active("checkers").stream().filter(e -> e.gameId().equals(game)).findFirst().orElseThrow();
    assertThat(entry.startedAt()).isEqualTo(recovered.updatedAt());
  }
}
