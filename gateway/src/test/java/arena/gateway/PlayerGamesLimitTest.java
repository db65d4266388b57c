package arena.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import arena.ErrorCode;
import arena.session.GameSession;
import arena.session.GameSession.Reply;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The per-player limit of games waiting or active, with the directory's count given by the test. */
class PlayerGamesLimitTest {

  private final AtomicInteger live = new AtomicInteger();
  private final AtomicInteger refusals = new AtomicInteger();
  private final PlayerGamesLimit limit = new PlayerGamesLimit(3, Duration.ofSeconds(30),
      playerId -> CompletableFuture.completedFuture(live.get()), refusals::incrementAndGet);

  private static final Reply SEATED = new GameSession.Accepted(1, 0, null);

  private static String code(CompletionStage<Reply> reply) {
    Reply answer = reply.toCompletableFuture().join();
    return answer instanceof GameSession.Rejected rejected ? rejected.code().wireName() : "accepted";
  }

  @Test
  void refusesATakeSeatAtTheLimitAndCountsIt() {
    live.set(2);
    assertThat(code(limit.admit("p", () -> CompletableFuture.completedFuture(SEATED)))).isEqualTo("accepted");
    live.set(3);
    AtomicInteger asked = new AtomicInteger();
    assertThat(code(limit.admit("p", () -> {
      asked.incrementAndGet();
      return CompletableFuture.completedFuture(SEATED);
    }))).isEqualTo("rate_limited");
    assertThat(asked).as("the session is not asked").hasValue(0);
    assertThat(refusals).hasValue(1);
    assertThat(limit.retryAfterSeconds()).isEqualTo(30);
  }

  @Test
  void countsThePlayersCreatesAndJoinsStillUnderWay() {
    live.set(1);
    CompletableFuture<Reply> first = new CompletableFuture<>();
    CompletableFuture<Reply> second = new CompletableFuture<>();
    CompletionStage<Reply> a = limit.admit("p", () -> first);
    CompletionStage<Reply> b = limit.admit("p", () -> second);
    assertThat(code(limit.admit("p", () -> CompletableFuture.completedFuture(SEATED))))
        .as("1 stored + 2 under way").isEqualTo("rate_limited");
    assertThat(code(limit.admit("someone else", () -> CompletableFuture.completedFuture(SEATED)))).isEqualTo("accepted");
    first.complete(new GameSession.Rejected(ErrorCode.GAME_FULL, "full")); // not seated after all
    second.complete(SEATED);
    live.set(2);
    assertThat(code(a)).isEqualTo("game_full");
    assertThat(code(b)).isEqualTo("accepted");
    assertThat(code(limit.admit("p", () -> CompletableFuture.completedFuture(SEATED)))).isEqualTo("accepted");
  }

  @Test
  void answersUnavailableWhenTheGamesCannotBeCounted() {
    PlayerGamesLimit broken = new PlayerGamesLimit(3, Duration.ofSeconds(30),
        playerId -> CompletableFuture.failedFuture(new IllegalStateException("database down")), () -> {});
    assertThat(code(broken.admit("p", () -> CompletableFuture.completedFuture(SEATED)))).isEqualTo("unavailable");
  }
}
