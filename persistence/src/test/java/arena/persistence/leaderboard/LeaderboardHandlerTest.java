package arena.persistence.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import arena.session.GameEvent;
import arena.session.GameEvent.GameOver;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which game_over events the leaderboard counts, without a database. */
class LeaderboardHandlerTest {

  @Test
  void onlyGamesOfTwoDistinctPlayersWithAResultCount() {
    GameEvent.Seat a = new GameEvent.Seat(0, "a", "alice");
    GameEvent.Seat b = new GameEvent.Seat(1, "b", "bob");
    assertThat(LeaderboardHandler.unfit(over(new GameEvent.Result("win", 1, "timeout"), a, b))).isNull();
    assertThat(LeaderboardHandler.unfit(over(new GameEvent.Result("draw", null, "board_full"), a, b))).isNull();
    assertThat(LeaderboardHandler.unfit(over(new GameEvent.Result("win", null, "line"), a, b))).isNotNull();
    assertThat(LeaderboardHandler.unfit(over(new GameEvent.Result("win", 2, "line"), a, b))).isNotNull();
    assertThat(LeaderboardHandler.unfit(over(new GameEvent.Result("win", 0, "line"), a))).isNotNull();
    assertThat(LeaderboardHandler.unfit(over(new GameEvent.Result("win", 0, "line"), a, new GameEvent.Seat(1, "a", "x"))))
        .isNotNull();
    assertThat(LeaderboardHandler.unfit(new GameOver(null, "tictactoe", List.of(a, b), null, null, Instant.now())))
        .isNotNull();
  }

  @Test
  void theGameIdIsThePersistenceIdWithoutTheEntityType() {
    assertThat(LeaderboardHandler.gameIdOf("game-session|abc-1")).isEqualTo("abc-1");
  }

  private static GameOver over(GameEvent.Result result, GameEvent.Seat... players) {
    return new GameOver(result, "tictactoe", List.of(players), null, null, Instant.now());
  }
}
