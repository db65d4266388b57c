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
  void decidesOnTheLastKnownCountWhenTheGamesCannotBeCounted() {
    java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean();
    AtomicInteger uncounted = new AtomicInteger();
    PlayerGamesLimit flaky = new PlayerGamesLimit(3, Duration.ofSeconds(30), Duration.ofSeconds(5), now::get,
        playerId -> down.get() ? CompletableFuture.failedFuture(new IllegalStateException("database down"))
            : CompletableFuture.completedFuture(live.get()), () -> {}).onUncounted(uncounted::incrementAndGet);
    live.set(2);
    assertThat(code(flaky.admit("p", () -> CompletableFuture.completedFuture(SEATED)))).isEqualTo("accepted");
    down.set(true);
    now.addAndGet(Duration.ofMinutes(1).toNanos());
    assertThat(code(flaky.admit("p", () -> CompletableFuture.completedFuture(SEATED))))
        .as("2 counted + 1 seated here since reach the limit").isEqualTo("rate_limited");
    assertThat(code(flaky.admit("new player", () -> CompletableFuture.completedFuture(SEATED))))
        .as("nothing known: admitted").isEqualTo("accepted");
    assertThat(uncounted).hasValue(2);
  }

  @Test
  void readsTheCountOnceWhileItIsFreshAndFarFromTheLimit() {
    AtomicInteger reads = new AtomicInteger();
    java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
    PlayerGamesLimit cached = new PlayerGamesLimit(5, Duration.ofSeconds(30), Duration.ofSeconds(5), now::get,
        playerId -> {
          reads.incrementAndGet();
          return CompletableFuture.completedFuture(live.get());
        }, refusals::incrementAndGet);
    live.set(1);
    for (int i = 0; i < 3; i++) {
      assertThat(code(cached.admit("p", () -> CompletableFuture.completedFuture(SEATED)))).isEqualTo("accepted");
    }
    assertThat(reads).as("one read for three seats well below the limit").hasValue(1);
    // 1 counted + 3 seated here = 4: one more seat is still below 5, a second would reach it
    assertThat(code(cached.admit("p", () -> CompletableFuture.completedFuture(SEATED)))).isEqualTo("accepted");
    assertThat(reads).hasValue(1);
    live.set(2); // two of them ended meanwhile: a fresh read admits
    assertThat(code(cached.admit("p", () -> CompletableFuture.completedFuture(SEATED)))).isEqualTo("accepted");
    assertThat(reads).as("a count that would refuse is read again").hasValue(2);
    now.addAndGet(Duration.ofSeconds(6).toNanos());
    live.set(5);
    assertThat(code(cached.admit("p", () -> CompletableFuture.completedFuture(SEATED)))).isEqualTo("rate_limited");
    assertThat(reads).as("a stale count is read again").hasValue(3);
  }

  @Test
  void aRefusedOrFailedSeatDoesNotCountAsSeated() {
    AtomicInteger reads = new AtomicInteger();
    PlayerGamesLimit cached = new PlayerGamesLimit(2, Duration.ofSeconds(30), Duration.ofSeconds(5), () -> 0L,
        playerId -> {
          reads.incrementAndGet();
          return CompletableFuture.completedFuture(0);
        }, () -> {});
    for (int i = 0; i < 4; i++) {
      assertThat(code(cached.admit("p", () -> CompletableFuture.completedFuture(
          new GameSession.Rejected(arena.ErrorCode.GAME_FULL, "full"))))).isEqualTo("game_full");
    }
    assertThat(reads).hasValue(1);
  }
}
