package arena.gateway;

import arena.ErrorCode;
import arena.gateway.protocol.ErrorCodes;
import arena.session.GameSession;
import arena.session.GameSession.Reply;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How many games one player may have waiting or active at once (issue 13): a create or join
 * beyond it is refused with {@code rate_limited} (HTTP 429 with {@code Retry-After}) and counted.
 *
 * <p>The count is the game directory's (cluster-wide, current for every change a player was
 * answered for) plus this node's creates and joins of that player still under way, so a burst of
 * requests on one node cannot slip past it; requests under way at once on several nodes can exceed
 * it by their number. Quickmatch games count, though a quickmatch is not refused here.
 */
public final class PlayerGamesLimit {

  /** No limit (tests, tools). */
  public static final PlayerGamesLimit NONE =
      new PlayerGamesLimit(Integer.MAX_VALUE, Duration.ofSeconds(1), playerId -> null, () -> {});

  private final int max;
  private final Duration retryAfter;
  private final Function<String, CompletionStage<Integer>> liveGames;
  private final Runnable refused;
  private final Map<String, Integer> underWay = new ConcurrentHashMap<>();

  /**
   * @param liveGames how many games a player is seated in that are waiting or active
   * @param refused counts a refusal (the operators' metric)
   */
  public PlayerGamesLimit(int max, Duration retryAfter, Function<String, CompletionStage<Integer>> liveGames,
      Runnable refused) {
    if (max < 1) {
      throw new IllegalArgumentException("arena.gateway.player-games.max-live must be at least 1, was " + max);
    }
    this.max = max;
    this.retryAfter = retryAfter;
    this.liveGames = liveGames;
    this.refused = refused;
  }

  /** The limit of {@code arena.gateway.player-games}. */
  public static PlayerGamesLimit fromConfig(Config root, Function<String, CompletionStage<Integer>> liveGames,
      Runnable refused) {
    Config c = root.getConfig("arena.gateway.player-games");
    return new PlayerGamesLimit(c.getInt("max-live"), c.getDuration("retry-after"), liveGames, refused);
  }

  /** What a refused client is told to wait, whole seconds. */
  public long retryAfterSeconds() {
    return Math.max(1, retryAfter.toSeconds());
  }

  /** Runs {@code takeSeat} (a create or join of {@code playerId}) if the player is below the limit. */
  public CompletionStage<Reply> admit(String playerId, Supplier<CompletionStage<Reply>> takeSeat) {
    if (max == Integer.MAX_VALUE) {
      return takeSeat.get();
    }
    int others = underWay.merge(playerId, 1, Integer::sum) - 1;
    CompletionStage<Integer> counted;
    try {
      counted = liveGames.apply(playerId);
    } catch (RuntimeException e) {
      counted = CompletableFuture.failedFuture(e);
    }
    return counted.handle((live, failure) -> {
      if (failure != null) {
        done(playerId);
        return CompletableFuture.<Reply>completedFuture(new GameSession.Rejected(ErrorCode.UNAVAILABLE,
            "your games cannot be counted right now; retry"));
      }
      if (live + others >= max) {
        done(playerId);
        refused.run();
        return CompletableFuture.<Reply>completedFuture(new GameSession.Rejected(ErrorCode.RATE_LIMITED,
            "you have " + max + " games waiting or active, the most a player may have; finish or leave one"));
      }
      return takeSeat.get().whenComplete((reply, error) -> done(playerId));
    }).thenCompose(reply -> reply);
  }

  private void done(String playerId) {
    underWay.computeIfPresent(playerId, (id, n) -> n <= 1 ? null : n - 1);
  }
}
