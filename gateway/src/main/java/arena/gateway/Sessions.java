package arena.gateway;

import arena.ErrorCode;
import arena.gateway.protocol.Wire;
import arena.session.GameSession;
import arena.session.GameSession.Command;
import arena.session.GameSession.Reply;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import com.typesafe.config.Config;

/**
 * The gateway's way to game sessions: asks through Cluster Sharding and turns a session that
 * cannot be reached in time into the spec's {@code unavailable}.
 *
 * <p>An ask is sent again when one attempt gets no answer within {@code attemptTimeout} (each
 * further attempt waiting twice as long as the one before), until {@code timeout} has passed in all. A shard being handed off drops the commands that were already
 * in its entities' mailboxes; the resent command goes through the region, which buffers it until
 * the shard's new home is known, so a hand-off costs a player the hand-off itself and not the whole
 * timeout. Resending is safe: a move or resign carries its request id (the session answers a used id
 * with its original seq), a create carries its game id (answered again for the same creator), and a
 * join that finds its sender already seated was the earlier attempt that got through. A leave of a
 * waiting game is not idempotent and is sent once.
 *
 * <p>While the node is fenced (paused for longer than the cluster waits before downing it, or cut
 * off from the majority) nothing is asked and no answer is passed on: the node may no longer own
 * the games it hosts (see {@code arena.gateway.rollout.Fence}).
 */
public final class Sessions {

  private static final String ATTEMPT_TIMEOUT = "arena.gateway.session-asks.attempt-timeout";
  /** The longest a resent attempt waits before the next. */
  private static final Duration MAX_ATTEMPT = Duration.ofSeconds(1);

  private final ClusterSharding sharding;
  private final Duration timeout;
  private final Duration attemptTimeout;
  private final BooleanSupplier fenced;
  private final BooleanSupplier mayResend;
  private final PlayerGamesLimit limit;
  private final java.util.function.Supplier<String> gameIds;

  public Sessions(ActorSystem<?> system, Duration timeout) {
    this(system, timeout, attemptTimeout(system.settings().config(), timeout), () -> false);
  }

  public Sessions(ActorSystem<?> system, Duration timeout, Duration attemptTimeout, BooleanSupplier fenced) {
    this(system, timeout, attemptTimeout, fenced, () -> true, PlayerGamesLimit.NONE, arena.session.GameIds::newId);
  }

  /**
   * Sessions that send an unanswered command again only while {@code mayResend} says shards may be
   * moving ({@code arena.gateway.rollout.MembershipChanges}), otherwise one send waits the whole
   * timeout so that a busy node is not handed the same work again; whose creates and joins count
   * against {@code limit}; and whose new games get their ids from {@code gameIds}
   * ({@code arena.gateway.rollout.CreatePlacement}).
   */
  public Sessions(ActorSystem<?> system, Duration timeout, Duration attemptTimeout, BooleanSupplier fenced,
      BooleanSupplier mayResend, PlayerGamesLimit limit, java.util.function.Supplier<String> gameIds) {
    this.gameIds = gameIds;
    this.sharding = ClusterSharding.get(system);
    this.timeout = timeout;
    this.attemptTimeout = attemptTimeout.compareTo(timeout) < 0 ? attemptTimeout : timeout;
    this.fenced = fenced;
    this.mayResend = mayResend;
    this.limit = limit;
  }

  /** The id of a game about to be created: one on a shard of a member that stays, where known. */
  public String newGameId() {
    return gameIds.get();
  }

  /** How long an ask may take in all. */
  public Duration timeout() {
    return timeout;
  }

  /** How long the first attempt of an ask waits before the command is sent again (later ones up to 1 s). */
  public Duration attemptTimeout() {
    return attemptTimeout;
  }

  /** The longest a later attempt waits before the next. */
  public Duration maxAttemptTimeout() {
    return MAX_ATTEMPT.compareTo(attemptTimeout) > 0 ? MAX_ATTEMPT : attemptTimeout;
  }

  /** Whether an unanswered command or subscription should be sent again now. */
  public boolean mayResend() {
    return mayResend.getAsBoolean();
  }

  /** The configured attempt timeout, at most {@code timeout}. */
  public static Duration attemptTimeout(Config config, Duration timeout) {
    Duration attempt = config.hasPath(ATTEMPT_TIMEOUT) ? config.getDuration(ATTEMPT_TIMEOUT) : timeout;
    return attempt.compareTo(timeout) < 0 ? attempt : timeout;
  }

  /** The limit of games a player may have waiting or active. */
  public PlayerGamesLimit limit() {
    return limit;
  }

  /** A create or join by {@code playerId}: refused {@code rate_limited} beyond the player's limit. */
  public CompletionStage<Reply> askWithinLimit(String playerId, String gameId,
      Function<ActorRef<Reply>, Command> command) {
    return limit.admit(playerId, () -> ask(gameId, command));
  }

  public CompletionStage<Reply> ask(String gameId, Function<ActorRef<Reply>, Command> command) {
    if (fenced.getAsBoolean()) {
      return CompletableFuture.completedFuture(unavailable());
    }
    EntityRef<Command> entity = sharding.entityRefFor(GameSession.ENTITY_KEY, gameId);
    long deadline = System.nanoTime() + timeout.toNanos();
    return attempt(entity, command, deadline, attemptTimeout, true)
        .thenApply(reply -> fenced.getAsBoolean() ? unavailable() : reply);
  }

  private CompletionStage<Reply> attempt(EntityRef<Command> entity, Function<ActorRef<Reply>, Command> command,
      long deadline, Duration attemptWait, boolean first) {
    long left = deadline - System.nanoTime();
    Command probe = command.apply(null);
    // Decided once per attempt: a hand-off that starts while an attempt waits is covered by the next.
    boolean resendable = !(probe instanceof GameSession.Leave) && mayResend.getAsBoolean();
    Duration wait = resendable ? Duration.ofNanos(Math.min(left, attemptWait.toNanos())) : Duration.ofNanos(left);
    // The answer is a Scala future seen as a CompletionStage, whose plain callbacks would run on
    // the JDK's common pool (a new thread per call on small machines); composing with an explicit
    // same-thread executor keeps them on the thread that completes the ask.
    return entity.<Reply>ask(command::apply, wait)
        .handleAsync((reply, failure) -> {
          if (failure == null) {
            return first || !(probe instanceof GameSession.Join) ? CompletableFuture.completedFuture(reply)
                : joinAgain(entity, reply, ((GameSession.Join) probe).playerId(), deadline);
          }
          if (!resendable || deadline - System.nanoTime() <= 0 || fenced.getAsBoolean()) {
            return CompletableFuture.completedFuture(unavailable());
          }
          // Each attempt waits twice as long as the one before, up to a second: a shard back from
          // its hand-off is found within a second of its return, and a node that is merely slow
          // gets few duplicates (six sends at most in 5 s, and only while shards may move).
          Duration next = attemptWait.multipliedBy(2);
          return attempt(entity, command, deadline, next.compareTo(maxAttemptTimeout()) < 0 ? next : maxAttemptTimeout(), false);
        }, Runnable::run)
        .thenComposeAsync(Function.identity(), Runnable::run);
  }

  /** A resent join refused as already seated: the earlier attempt took the seat; answer with it. */
  private CompletionStage<Reply> joinAgain(EntityRef<Command> entity, Reply reply, String playerId, long deadline) {
    if (!(reply instanceof GameSession.Rejected rejected) || Wire.code(rejected) != ErrorCode.ALREADY_SEATED) {
      return CompletableFuture.completedFuture(reply);
    }
    return attempt(entity, GameSession.GetState::new, deadline, attemptTimeout, false).thenApply(state -> {
      if (state instanceof GameSession.Accepted accepted) {
        int seat = accepted.state().players().stream()
            .filter(p -> p != null && playerId.equals(p.playerId())).findFirst().map(p -> p.seat()).orElse(-1);
        return seat >= 0 ? new GameSession.Accepted(accepted.seq(), seat, accepted.state()) : reply;
      }
      return state;
    });
  }

  private static Reply unavailable() {
    return Wire.rejected(ErrorCode.UNAVAILABLE, "the game cannot be reached right now; retry");
  }

  /** Sends a command that has no reply (subscribe, unsubscribe). */
  public void tell(String gameId, Command command) {
    sharding.entityRefFor(GameSession.ENTITY_KEY, gameId).tell(command);
  }
}
