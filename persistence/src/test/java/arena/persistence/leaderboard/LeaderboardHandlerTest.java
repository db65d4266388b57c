package arena.persistence.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import arena.session.GameEvent.GameOver;
import arena.session.GameView;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which game_over events the leaderboard counts, without a database. */
class LeaderboardHandlerTest {

  @Test
  void onlyGamesOfTwoDistinctPlayersWithAResultCount() {
    GameView.Seat a = new GameView.Seat(0, "a", "alice");
    GameView.Seat b = new GameView.Seat(1, "b", "bob");
    assertThat(LeaderboardHandler.unfit(over(new GameView.Result("win", 1, "timeout"), a, b))).isNull();
    assertThat(LeaderboardHandler.unfit(over(new GameView.Result("draw", null, "board_full"), a, b))).isNull();
    assertThat(LeaderboardHandler.unfit(over(new GameView.Result("win", null, "line"), a, b))).isNotNull();
    assertThat(LeaderboardHandler.unfit(over(new GameView.Result("win", 2, "line"), a, b))).isNotNull();
    assertThat(LeaderboardHandler.unfit(over(new GameView.Result("win", 0, "line"), a))).isNotNull();
    assertThat(LeaderboardHandler.unfit(over(new GameView.Result("win", 0, "line"), a, new GameView.Seat(1, "a", "x"))))
        .isNotNull();
    assertThat(LeaderboardHandler.unfit(new GameOver(null, "tictactoe", List.of(a, b), null, null, Instant.now())))
        .isNotNull();
  }

  @Test
  void theGameIdIsThePersistenceIdWithoutTheEntityType() {
    assertThat(LeaderboardHandler.gameIdOf("game-session|abc-1")).isEqualTo("abc-1");
  }

  private static GameOver over(GameView.Result result, GameView.Seat... players) {
    return new GameOver(result, "tictactoe", List.of(players), null, null, Instant.now());
  }
}
