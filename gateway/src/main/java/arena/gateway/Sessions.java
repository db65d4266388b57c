package arena.gateway;

import arena.gateway.protocol.ErrorCodes;
import arena.session.GameSession;
import arena.session.GameSession.Command;
import arena.session.GameSession.Reply;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The gateway's way to game sessions: asks through Cluster Sharding with the configured timeout,
 * and turns a session that cannot be reached in time into the spec's {@code unavailable}.
 */
public final class Sessions {

  private final ClusterSharding sharding;
  private final Duration timeout;
  private final PlayerGamesLimit limit;

  public Sessions(ActorSystem<?> system, Duration timeout) {
    this(system, timeout, PlayerGamesLimit.NONE);
  }

  /** Sessions whose creates and joins count against {@code limit}. */
  public Sessions(ActorSystem<?> system, Duration timeout, PlayerGamesLimit limit) {
    this.sharding = ClusterSharding.get(system);
    this.timeout = timeout;
    this.limit = limit;
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
    // The answer is a Scala future seen as a CompletionStage, whose plain exceptionally() would
    // run on the JDK's common pool (a new thread per call on small machines); an explicit
    // same-thread executor keeps it on the thread that completes the ask.
    return sharding.entityRefFor(GameSession.ENTITY_KEY, gameId)
        .<Reply>ask(command::apply, timeout)
        .handleAsync((reply, failure) -> failure == null ? reply
            : new GameSession.Rejected(ErrorCodes.UNAVAILABLE, "the game cannot be reached right now; retry"),
            Runnable::run);
  }

  /** Sends a command that has no reply (subscribe, unsubscribe). */
  public void tell(String gameId, Command command) {
    sharding.entityRefFor(GameSession.ENTITY_KEY, gameId).tell(command);
  }
}
