package arena.persistence.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import arena.persistence.leaderboard.LeaderboardStore.Standing;
import org.junit.jupiter.api.Test;

/** The rating arithmetic, without a database. */
class EloTest {

  @Test
  void newPlayersMoveBySixteen() {
    assertThat(Elo.next(1200, 1200, Elo.WIN)).isEqualTo(1216.0);
    assertThat(Elo.next(1200, 1200, Elo.LOSS)).isEqualTo(1184.0);
    assertThat(Elo.next(1200, 1200, Elo.DRAW)).isEqualTo(1200.0);
  }

  @Test
  void aDrawPullsUnequalRatingsTogetherSymmetrically() {
    // 10^(-32/400) = 0.8317637711...; expected 1/1.8317637711 = 0.5459219228; 32 * 0.0459219228
    assertThat(Elo.next(1216, 1184, Elo.DRAW)).isCloseTo(1214.5304984710, within(1e-9));
    assertThat(Elo.next(1184, 1216, Elo.DRAW)).isCloseTo(1185.4695015290, within(1e-9));
  }

  @Test
  void expectationsOfBothSidesAddUpToOne() {
    assertThat(Elo.expected(1500, 1310) + Elo.expected(1310, 1500)).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void aStandingCountsTheScore() {
    Standing alice = Standing.newcomer("a", "alice");
    assertThat(alice.after(1200, Elo.WIN, "alice")).isEqualTo(new Standing("a", "alice", 1216, 1, 0, 0));
    assertThat(alice.after(1200, Elo.LOSS, "al")).isEqualTo(new Standing("a", "al", 1184, 0, 1, 0));
    assertThat(alice.after(1200, Elo.DRAW, "alice")).isEqualTo(new Standing("a", "alice", 1200, 0, 0, 1));
  }
}
