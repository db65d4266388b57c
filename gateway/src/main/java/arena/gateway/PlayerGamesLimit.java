package arena.gateway;

import arena.ErrorCode;
import arena.gateway.protocol.Wire;
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
 *
 * <p>The directory is not read for every create and join: a player's count is kept for
 * {@code count-ttl} with the seats this node gave the player since, and a fresh count is read only
 * when that one is older or would refuse. So a player far below the limit costs no query (at
 * WebSocket rates the queries queued behind each other and answered {@code unavailable}), and a
 * refusal is always decided on a fresh count, if one can be read: when the directory cannot be read,
 * the last count this node read (and the seats it gave since) decides. What this leaves out is what another node seated the
 * player in within the last {@code count-ttl}, which the limit may miss by that many.
 */
public final class PlayerGamesLimit {

  /** No limit (tests, tools). */
  public static final PlayerGamesLimit NONE =
      new PlayerGamesLimit(Integer.MAX_VALUE, Duration.ofSeconds(1), playerId -> null, () -> {});

  private final int max;
  private final Duration retryAfter;
  private final Function<String, CompletionStage<Integer>> liveGames;
  private final Runnable refused;
  /** Counts a decision taken without a fresh count (the directory could not be read). */
  private Runnable uncounted = () -> {};
  private final Map<String, Integer> underWay = new ConcurrentHashMap<>();
  private final long countTtlNanos;
  private final java.util.function.LongSupplier nanoTime;
  /** Per player: the directory's count, when it was read, and the seats taken here since. */
  private final Map<String, Counted> counted = new ConcurrentHashMap<>();

  private record Counted(int live, long readAt, int seatedSince) {
    Counted seated() {
      return new Counted(live, readAt, seatedSince + 1);
    }
  }

  /** Counts kept at most (one per recent player); beyond it the stale ones are dropped. */
  private static final int MAX_COUNTED = 50_000;

  /**
   * @param liveGames how many games a player is seated in that are waiting or active
   * @param refused counts a refusal (the operators' metric)
   */
  public PlayerGamesLimit(int max, Duration retryAfter, Function<String, CompletionStage<Integer>> liveGames,
      Runnable refused) {
    this(max, retryAfter, Duration.ofSeconds(5), System::nanoTime, liveGames, refused);
  }

  /**
   * @param countTtl how long a player's count is used before it is read again
   * @param nanoTime the clock of {@code countTtl}
   */
  public PlayerGamesLimit(int max, Duration retryAfter, Duration countTtl, java.util.function.LongSupplier nanoTime,
      Function<String, CompletionStage<Integer>> liveGames, Runnable refused) {
    this.countTtlNanos = countTtl.toNanos();
    this.nanoTime = nanoTime;
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
    return new PlayerGamesLimit(c.getInt("max-live"), c.getDuration("retry-after"), c.getDuration("count-ttl"),
        System::nanoTime, liveGames, refused);
  }

  /** Counts a create or join decided on this node's last known count, the directory being unreadable. */
  public PlayerGamesLimit onUncounted(Runnable uncounted) {
    this.uncounted = uncounted;
    return this;
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
    long now = nanoTime.getAsLong();
    Counted known = counted.get(playerId);
    if (known != null && now - known.readAt() < countTtlNanos && known.live() + known.seatedSince() + others < max) {
      return takeSeat(playerId, takeSeat);
    }
    CompletionStage<Integer> liveCount;
    try {
      liveCount = liveGames.apply(playerId);
    } catch (RuntimeException e) {
      liveCount = CompletableFuture.failedFuture(e);
    }
    return liveCount.handle((live, failure) -> {
      int count;
      if (failure == null) {
        count = live;
        remember(playerId, new Counted(live, now, 0));
      } else {
        // The directory cannot be read now (its queue is full, the database is slow): decide on the
        // last count this node read, stale or not, and the seats it gave since. Refusing instead
        // turned a slow directory into a storm of unavailable creates and joins that clients retry.
        Counted last = counted.get(playerId);
        count = last == null ? 0 : last.live() + last.seatedSince();
        uncounted.run();
      }
      if (count + others >= max) {
        done(playerId);
        refused.run();
        return CompletableFuture.<Reply>completedFuture(Wire.rejected(ErrorCode.RATE_LIMITED,
            "you have " + max + " games waiting or active, the most a player may have; finish or leave one"));
      }
      return takeSeat(playerId, takeSeat);
    }).thenCompose(reply -> reply);
  }

  private CompletionStage<Reply> takeSeat(String playerId, Supplier<CompletionStage<Reply>> takeSeat) {
    CompletionStage<Reply> reply;
    try {
      reply = takeSeat.get();
    } catch (RuntimeException e) {
      done(playerId);
      throw e;
    }
    return reply.whenComplete((answer, error) -> {
      if (answer instanceof GameSession.Accepted) {
        counted.computeIfPresent(playerId, (id, known) -> known.seated());
      }
      done(playerId);
    });
  }

  private void remember(String playerId, Counted count) {
    if (counted.size() >= MAX_COUNTED) {
      long now = nanoTime.getAsLong();
      counted.values().removeIf(known -> now - known.readAt() >= countTtlNanos);
    }
    counted.put(playerId, count);
  }

  private void done(String playerId) {
    underWay.computeIfPresent(playerId, (id, n) -> n <= 1 ? null : n - 1);
  }
}
