package arena.persistence.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import arena.persistence.Database;
import arena.persistence.DatabaseNode;
import arena.persistence.leaderboard.TestGames.Player;
import arena.session.GameEvent;
import arena.session.GameSession;
import arena.session.GameView;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the leaderboard must do on a real journal: finished games, played through real game
 * sessions, move ratings by exactly the Elo numbers; each game type has its own board; a restarted
 * projection counts no game twice; {@code top} orders and limits. Run on PostgreSQL and on H2.
 *
 * <p>The node is a one-node cluster that joins itself, as the Sharded Daemon Process needs. Every
 * test uses players of its own: the PostgreSQL database is shared with other runs.
 */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LeaderboardContract {

  /** How long the projection may take to count a game (it polls the journal every 500 ms). */
  private static final Duration COUNTED = Duration.ofSeconds(30);

  /** Hand-computed: 1216 and 1184 draw; 1216 expected 1/(1+10^(-32/400)) = 0.54592..., so -1.46950... */
  private static final double DRAW_SHIFT = 1.4695015289754778;

  /** Hand-computed: 1184 beats 1216; 1184 expected 0.45407..., so +32 * 0.54592... = 17.46950... */
  private static final double UPSET_SHIFT = 17.469501528975622;

  private DatabaseNode node;
  private Database database;
  private HikariDataSource pool;
  private ActorTestKit testKit;
  private TestGames games;

  /** The {@code arena.db} settings of the database under test. */
  abstract Config databaseSettings() throws Exception;

  @BeforeAll
  void start() throws Exception {
    node = DatabaseNode.oneNodeCluster(getClass().getSimpleName(), databaseSettings(), database -> ConfigFactory.empty()
        .withValue(Leaderboard.DIALECT_KEY, ConfigValueFactory.fromAnyRef(Leaderboard.dialectFor(database.kind()))));
    database = node.database();
    pool = node.pool();
    startNode(node.testKit());
  }

  @AfterAll
  void stop() {
    node.close();
  }

  /** The leaderboard on {@code started}, the node's (fresh) one-node cluster. */
  private void startNode(ActorTestKit started) {
    testKit = started;
    Leaderboard.start(testKit.system(), database, pool);
    games = new TestGames(testKit);
  }

  // ---- reading the tables ----

  private Optional<Leaderboard.Entry> standing(String game, Player player) throws SQLException {
    try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(
        "SELECT player_id, name, rating, wins, losses, draws FROM leaderboard WHERE game = ? AND player_id = ?")) {
      s.setString(1, game);
      s.setString(2, player.id());
      try (ResultSet rs = s.executeQuery()) {
        return rs.next()
            ? Optional.of(new Leaderboard.Entry(rs.getString(1), rs.getString(2), rs.getDouble(3),
                rs.getInt(4), rs.getInt(5), rs.getInt(6)))
            : Optional.empty();
      }
    }
  }

  /** Waits until {@code player} has played {@code games} counted games of {@code game}. */
  private Leaderboard.Entry awaitGames(String game, Player player, int games) throws Exception {
    return Poll.until(player.name() + " to have " + games + " counted " + game + " game(s)", COUNTED,
        () -> standing(game, player).orElse(null),
        e -> e != null && e.wins() + e.losses() + e.draws() >= games);
  }

  private long count(String sql, String argument) throws SQLException {
    try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, argument);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static Leaderboard.Entry entry(Player p, double rating, int wins, int losses, int draws) {
    return new Leaderboard.Entry(p.id(), p.name(), rating, wins, losses, draws);
  }

  // ---- Elo ----

  @Test
  void aWinMovesTwoNewPlayersTo1216And1184() throws Exception {
    Player alice = Player.unique("alice");
    Player bob = Player.unique("bob");
    games.ticTacToeWin(alice, bob);

    assertThat(awaitGames("tictactoe", alice, 1)).isEqualTo(entry(alice, 1216.0, 1, 0, 0));
    assertThat(awaitGames("tictactoe", bob, 1)).isEqualTo(entry(bob, 1184.0, 0, 1, 0));
  }

  @Test
  void aDrawCountsAsADrawAndPullsRatingsTogether() throws Exception {
    Player alice = Player.unique("alice");
    Player bob = Player.unique("bob");
    games.ticTacToeWin(alice, bob);
    awaitGames("tictactoe", bob, 1);
    games.ticTacToeDraw(bob, alice);

    Leaderboard.Entry a = awaitGames("tictactoe", alice, 2);
    Leaderboard.Entry b = awaitGames("tictactoe", bob, 2);
    assertThat(a.rating()).isCloseTo(1216.0 - DRAW_SHIFT, within(1e-9));
    assertThat(b.rating()).isCloseTo(1184.0 + DRAW_SHIFT, within(1e-9));
    assertThat(List.of(a.wins(), a.losses(), a.draws())).containsExactly(1, 0, 1);
    assertThat(List.of(b.wins(), b.losses(), b.draws())).containsExactly(0, 1, 1);
  }

  @Test
  void resignationAndTimeoutAreWinsLikeAnyOther() throws Exception {
    Player alice = Player.unique("alice");
    Player bob = Player.unique("bob");
    games.resignation("connect4", alice, bob);
    assertThat(awaitGames("connect4", bob, 1)).isEqualTo(entry(bob, 1216.0, 1, 0, 0));
    games.timeout(bob, alice);

    Leaderboard.Entry a = awaitGames("connect4", alice, 2);
    Leaderboard.Entry b = awaitGames("connect4", bob, 2);
    assertThat(a.rating()).isCloseTo(1184.0 + UPSET_SHIFT, within(1e-9));
    assertThat(b.rating()).isCloseTo(1216.0 - UPSET_SHIFT, within(1e-9));
    assertThat(List.of(a.wins(), a.losses(), a.draws())).containsExactly(1, 1, 0);
    assertThat(List.of(b.wins(), b.losses(), b.draws())).containsExactly(1, 1, 0);
  }

  @Test
  void theNameShownIsTheLatestOne() throws Exception {
    Player alice = Player.unique("alice");
    Player bob = Player.unique("bob");
    games.ticTacToeWin(alice, bob);
    awaitGames("tictactoe", alice, 1);
    Player renamed = new Player(alice.id(), "alice the second");
    games.ticTacToeWin(renamed, bob);

    assertThat(awaitGames("tictactoe", renamed, 2).name()).isEqualTo("alice the second");
  }

  // ---- game types ----

  @Test
  void eachGameTypeHasItsOwnLeaderboard() throws Exception {
    Player alice = Player.unique("alice");
    Player bob = Player.unique("bob");
    Player carol = Player.unique("carol");
    Player dave = Player.unique("dave");
    games.ticTacToeWin(alice, bob);
    games.resignation("connect4", alice, bob);
    games.resignation("connect4", dave, carol);

    assertThat(awaitGames("tictactoe", alice, 1)).isEqualTo(entry(alice, 1216.0, 1, 0, 0));
    assertThat(awaitGames("connect4", alice, 1)).isEqualTo(entry(alice, 1184.0, 0, 1, 0));
    assertThat(awaitGames("connect4", carol, 1)).isEqualTo(entry(carol, 1216.0, 1, 0, 0));
    assertThat(standing("tictactoe", carol)).isEmpty();
    assertThat(standing("tictactoe", dave)).isEmpty();
    assertThat(Leaderboard.top(pool, "tictactoe", 1000)).extracting(Leaderboard.Entry::playerId)
        .doesNotContain(carol.id(), dave.id());
    assertThat(Leaderboard.top(pool, "checkers", 1000)).extracting(Leaderboard.Entry::playerId)
        .doesNotContain(alice.id(), bob.id(), carol.id(), dave.id());
  }

  // ---- exactly once ----

  @Test
  void theOffsetIsStoredWithTheGameItCounted() throws Exception {
    Player alice = Player.unique("alice");
    Player bob = Player.unique("bob");
    String gameId = games.ticTacToeWin(alice, bob);
    awaitGames("tictactoe", alice, 1);

    // No waiting: the rows and the offset were committed in one transaction.
    long ordering = count("SELECT max(ordering) FROM event_journal WHERE persistence_id = ?",
        GameSession.ENTITY_KEY.name() + "|" + gameId);
    long offset = count("SELECT max(CAST(current_offset AS BIGINT)) FROM pekko_projection_offset_store "
        + "WHERE projection_name = ? AND projection_key = 'game-over'", Leaderboard.NAME);
    assertThat(offset).as("stored offset").isGreaterThanOrEqualTo(ordering);
  }

  @Test
  void restartingTheProjectionCountsNoGameTwice() throws Exception {
    Player alice = Player.unique("alice");
    Player bob = Player.unique("bob");
    String first = games.ticTacToeWin(alice, bob);
    awaitGames("tictactoe", alice, 1);

    startNode(node.restart());
    Player carol = Player.unique("carol");
    Player dave = Player.unique("dave");
    games.ticTacToeWin(carol, dave);
    // The projection works in journal order: once the later game is counted, the new node's
    // projection has gone past the earlier one.
    awaitGames("tictactoe", carol, 1);

    assertThat(standing("tictactoe", alice)).contains(entry(alice, 1216.0, 1, 0, 0));
    assertThat(standing("tictactoe", bob)).contains(entry(bob, 1184.0, 0, 1, 0));
    assertThat(count("SELECT count(*) FROM leaderboard_game WHERE game_id = ?", first)).isEqualTo(1);
  }

  @Test
  void aGameDeliveredAgainIsNotCountedAgain() throws Exception {
    // What a reset offset store or a second projection would do: hand the handler a game twice.
    Player alice = Player.unique("alice");
    Player bob = Player.unique("bob");
    String gameId = TestGames.newGameId();
    GameEvent.GameOver over = new GameEvent.GameOver(new GameEvent.Result("win", 1, "resign"), "checkers",
        List.of(new GameEvent.Seat(0, alice.id(), alice.name()), new GameEvent.Seat(1, bob.id(), bob.name())),
        "r1", 0, Instant.now());
    for (int delivery = 0; delivery < 2; delivery++) {
      try (Connection c = pool.getConnection()) {
        c.setAutoCommit(false);
        LeaderboardHandler.count(c, gameId, over, over.at());
        c.commit();
      }
    }

    assertThat(standing("checkers", bob)).contains(entry(bob, 1216.0, 1, 0, 0));
    assertThat(standing("checkers", alice)).contains(entry(alice, 1184.0, 0, 1, 0));
  }

  // ---- top ----

  @Test
  void topOrdersByRatingThenWinsThenPlayerIdAndHonoursTheLimit() throws Exception {
    String game = "ordering-" + UUID.randomUUID(); // a game type of its own: the rows are all ours
    String prefix = UUID.randomUUID() + "-";
    List<Leaderboard.Entry> best = List.of(
        new Leaderboard.Entry(prefix + "p", "p", 1250.5, 3, 0, 0),
        new Leaderboard.Entry(prefix + "B", "B", 1216.0, 2, 1, 0), // "B" sorts before "a": code points
        new Leaderboard.Entry(prefix + "a", "a", 1216.0, 2, 0, 1),
        new Leaderboard.Entry(prefix + "z", "z", 1216.0, 1, 0, 0),
        new Leaderboard.Entry(prefix + "c", "c", 1100.25, 0, 4, 0));
    try {
      for (Leaderboard.Entry e : List.of(best.get(3), best.get(0), best.get(4), best.get(2), best.get(1))) {
        insert(game, e);
      }

      assertThat(Leaderboard.top(pool, game, 10)).containsExactlyElementsOf(best);
      assertThat(Leaderboard.top(pool, game, 3)).containsExactlyElementsOf(best.subList(0, 3));
      assertThat(Leaderboard.top(pool, game, 1)).containsExactly(best.get(0));
      assertThat(Leaderboard.top(pool, "no-such-" + game, 10)).isEmpty();
      assertThatThrownBy(() -> Leaderboard.top(pool, game, 0)).isInstanceOf(IllegalArgumentException.class);
    } finally {
      try (Connection c = pool.getConnection();
          PreparedStatement s = c.prepareStatement("DELETE FROM leaderboard WHERE game = ?")) {
        s.setString(1, game);
        s.executeUpdate();
      }
    }
  }

  private void insert(String game, Leaderboard.Entry e) throws SQLException {
    try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(
        "INSERT INTO leaderboard (game, player_id, name, rating, wins, losses, draws, updated_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, game);
      s.setString(2, e.playerId());
      s.setString(3, e.name());
      s.setDouble(4, e.rating());
      s.setInt(5, e.wins());
      s.setInt(6, e.losses());
      s.setInt(7, e.draws());
      s.setTimestamp(8, Timestamp.from(Instant.now()));
      s.executeUpdate();
    }
  }
}
