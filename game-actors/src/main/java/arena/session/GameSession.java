package arena.session;

import arena.ErrorCode;
import arena.JsonSerializable;
import arena.session.GameEvent.GameOver;
import arena.session.GameEvent.Moved;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One game session: a sharded, event-sourced entity whose events are the game's history.
 *
 * <p>Commands that change the game are validated against the state and the game's rules; a
 * rejected command persists nothing and is answered with the spec's error code. An accepted one
 * persists its events and is answered only once they are stored, so an answer means durability.
 * {@link Subscribers} get every event in sequence order with the state after it; the
 * {@link SessionClock} keeps the game's deadlines and its time in memory.
 *
 * <p>Three formats meet here: the commands, replies and updates below are cluster messages (JSON,
 * read by older and newer nodes alike during a rolling upgrade); {@link GameEvent} and
 * {@link GameState} are the journal's records; {@link GameView} is what other nodes see of a game.
 */
public final class GameSession
    extends EventSourcedBehaviorWithEnforcedReplies<GameSession.Command, GameEvent, GameState> {

  // ---- protocol ----

  /** Everything a session understands. */
  public sealed interface Command extends JsonSerializable {}

  /** A command answered with a {@link Reply}: {@code not_found} before the game exists. */
  public sealed interface Request extends Command {
    ActorRef<Reply> replyTo();
  }

  /** Creates the game with the caller on seat 0; replies {@link Accepted} with seat 0 and the state. */
  public record Create(String game, Visibility visibility, int turnSeconds, String playerId,
      String name, ActorRef<Reply> replyTo) implements Request {}

  /** Takes the lowest free seat; replies {@link Accepted} with that seat and the state. */
  public record Join(String playerId, String name, ActorRef<Reply> replyTo) implements Request {}

  /** Frees the seat before the start, resigns after it; replies {@link Accepted} with the state. */
  public record Leave(String playerId, String requestId, ActorRef<Reply> replyTo) implements Request {}

  /** Plays a move given in its JSON form; replies {@link Accepted} with the move's seq (no state). */
  public record MakeMove(String playerId, String requestId, Map<String, Object> move,
      ActorRef<Reply> replyTo) implements Request {}

  /** Gives up; the opponent wins. Replies {@link Accepted} with the game_over seq (no state). */
  public record Resign(String playerId, String requestId, ActorRef<Reply> replyTo) implements Request {}

  /** Replies {@link Accepted} with the current state. */
  public record GetState(ActorRef<Reply> replyTo) implements Request {}

  /**
   * Sends {@code subscriber} the current state ({@link Current}, carrying {@code correlationId})
   * and then every event; {@link NotFound} if there is no game; {@link Refused} when the game has
   * {@code arena.session.max-subscribers} already and {@code playerId} (optional: older nodes omit
   * it) holds no seat in it.
   */
  public record Subscribe(ActorRef<Update> subscriber, String correlationId, String playerId) implements Command {}

  /** Stops sending events to {@code subscriber}. No reply. */
  public record Unsubscribe(ActorRef<Update> subscriber) implements Command {}

  /** A subscriber stopped (it was watched). */
  record SubscriberGone(ActorRef<Update> subscriber) implements Command {}

  /** Messages of the {@link SessionClock}: a deadline may have passed, idle, live-idle check, stop. */
  enum Internal implements Command {
    CLOCK,
    IDLE,
    LIVE_CHECK,
    STOP
  }

  /** The wake-up schedule stored the deadline of the game as it was at {@code seq}. */
  record WakeupStored(long seq) implements Command {}

  /** The wake-up schedule could not store the deadline; the game stays in memory. */
  record WakeupFailed(String reason) implements Command {}

  /** The answer to a command that changes or reads the game. */
  public sealed interface Reply extends JsonSerializable {}

  /**
   * Done: {@code seq} of the event the command produced (or the current seq). {@code state} is set
   * for the commands whose callers read it (create, join, leave, get), not for moves and resigns,
   * whose callers need the seq only; {@code status} (new in this version, so optional) is the
   * game's status after the command.
   */
  public record Accepted(long seq, Integer seat, GameView state, Status status) implements Reply {
    public Accepted(long seq, Integer seat, GameView state) {
      this(seq, seat, state, state == null ? null : state.status());
    }
  }

  /** Refused with the spec's error {@code code}; nothing was stored. */
  public record Rejected(ErrorCode code, String message) implements Reply {}

  /** What subscribers receive. */
  public sealed interface Update extends JsonSerializable {
    String gameId();
  }

  /** The state when a subscription starts; {@code session} is the entity, for subscribers to watch. */
  public record Current(String gameId, String correlationId, GameView state,
      ActorRef<Command> session) implements Update {}

  /** One stored event and the state after it. */
  public record Applied(String gameId, long seq, GameEvent event, GameView state) implements Update {}

  /** The subscribed game does not exist. */
  public record NotFound(String gameId, String correlationId) implements Update {}

  /** The subscription was refused (too many subscribers); an older node drops it unread. */
  public record Refused(String gameId, String correlationId, ErrorCode code, String message) implements Update {}

  // ---- sharding ----

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "game-session");

  /** The tag of {@link GameOver} events, which the leaderboard projection reads. */
  public static final String GAME_OVER_TAG = "game-over";

  /** Registers game sessions with Cluster Sharding on this node. */
  public static ActorRef<ShardingEnvelope<Command>> init(ActorSystem<?> system, SessionSettings settings,
      SessionServices services) {
    return ClusterSharding.get(system).init(
        Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), ctx.getShard(), settings, services))
            .withStopMessage(Internal.STOP)
            .withAllocationStrategy(new RolloutAwareAllocation(settings.rebalanceQuietPeriod(), 2, 3, services.clock())));
  }

  /**
   * One session, {@code shard} being the shard it runs in (it asks the shard to passivate it). The
   * game id is in the MDC of every line logged while it handles any message, the journal's too.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Behavior<Command> create(String gameId, ActorRef<ClusterSharding.ShardCommand> shard,
      SessionSettings settings, SessionServices services) {
    Behavior<Object> session = (Behavior) Behaviors.<Command>setup(ctx -> Behaviors.withTimers(timers -> new GameSession(
        gameId, settings, services, new SessionClock(gameId, ctx, timers, shard, settings, services.clock(),
        services.wakeups()), new Subscribers(gameId, ctx, services.metrics()))));
    return (Behavior) Behaviors.withMdc(Object.class, Map.of("gameId", gameId), session);
  }

  private final String gameId;
  private final SessionSettings settings;
  private final SessionServices services;
  private final SessionClock clock;
  private final Subscribers subscribers;
  private final Referee referee;
  private final Announcements announcements;
  /** The move being persisted, whose first event's position the event handler reuses. */
  private Referee.Store pendingMove;
  /** The states the event handler produced for the events being persisted (none in recovery). */
  private List<GameState> applied;

  private GameSession(String gameId, SessionSettings settings, SessionServices services, SessionClock clock,
      Subscribers subscribers) {
    super(PersistenceId.of(ENTITY_KEY.name(), gameId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    this.gameId = gameId;
    this.settings = settings;
    this.services = services;
    this.clock = clock;
    this.subscribers = subscribers;
    this.referee = new Referee(settings.waitingExpiry());
    this.announcements = new Announcements(gameId, services, subscribers);
  }

  @Override
  public GameState emptyState() {
    return GameState.empty(gameId);
  }

  /** Games are spread over {@code arena.session.journals} instances of the same journal plugin. */
  @Override
  public String journalPluginId() {
    int journals = settings.journals();
    int index = journals <= 1 ? 0 : Math.floorMod(gameId.hashCode(), journals);
    return index == 0 ? "" : "jdbc-journal-" + index;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), settings.keepSnapshots());
  }

  @Override
  public Set<String> tagsFor(GameEvent event) {
    return event instanceof GameOver ? Set.of(GAME_OVER_TAG) : Set.of();
  }

  @Override
  public SignalHandler<GameState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(PreRestart.class, (state, restart) -> services.metrics().persistFailed())
        .onSignal(RecoveryCompleted.class, (state, done) -> {
          clock.recovered(state);
          announcements.recovered(state);
        })
        .build();
  }

  // ---- command handlers, by status ----

  /**
   * One method rather than Pekko's handler builder: the builder's cases and their lambdas would be
   * built again for every session in memory (about 1.2 KiB each), this is one lambda.
   */
  @Override
  public CommandHandlerWithReply<Command, GameEvent, GameState> commandHandler() {
    return this::handle;
  }

  /** By status first; then what a game in any status answers alike, and play outside play. */
  private ReplyEffect<GameEvent, GameState> handle(GameState state, Command command) {
    Status status = state.status();
    if (status == Status.NEW) {
      if (command instanceof Create cmd) {
        return decide(state, cmd, referee.create(cmd, clock.now()));
      } else if (command instanceof Subscribe cmd) {
        return subscribeToNothing(state, cmd);
      } else if (command instanceof Request cmd) {
        return notFound(cmd.replyTo());
      }
    } else if (status == Status.WAITING) {
      if (command instanceof Join cmd) {
        return decide(state, cmd, referee.joinWaiting(state, cmd, clock.now()));
      } else if (command instanceof Leave cmd) {
        return decide(state, cmd, referee.leaveWaiting(state, cmd, clock.now()));
      }
    } else if (status == Status.ACTIVE) {
      if (command instanceof Join cmd) {
        return decide(state, cmd, referee.joinStarted(state, cmd));
      } else if (command instanceof Leave cmd) {
        return decide(state, cmd, referee.resign(state, cmd.playerId(), cmd.requestId(), clock.now()));
      } else if (command instanceof MakeMove cmd) {
        return decide(state, cmd, referee.move(state, cmd, clock.now()));
      } else if (command instanceof Resign cmd) {
        return decide(state, cmd, referee.resign(state, cmd.playerId(), cmd.requestId(), clock.now()));
      }
    } else if (status.isOver()) {
      if (command instanceof Join cmd) {
        return decide(state, cmd, referee.joinStarted(state, cmd));
      } else if (command instanceof Leave cmd) {
        return decide(state, cmd, referee.outOfPlay(state, cmd.playerId(), cmd.requestId()));
      }
    }
    if (command instanceof MakeMove cmd) {
      return decide(state, cmd, referee.outOfPlay(state, cmd.playerId(), cmd.requestId()));
    } else if (command instanceof Resign cmd) {
      return decide(state, cmd, referee.outOfPlay(state, cmd.playerId(), cmd.requestId()));
    } else if (command instanceof Create cmd) {
      return decide(state, cmd, referee.createAgain(state, cmd));
    } else if (command instanceof GetState cmd) {
      return Effect().reply(cmd.replyTo(), new Accepted(state.seq(), null, state.view()));
    } else if (command instanceof Subscribe cmd) {
      return noReply(() -> subscribers.subscribe(state, cmd));
    } else if (command instanceof Unsubscribe cmd) {
      return noReply(() -> subscribers.unsubscribe(cmd.subscriber()));
    } else if (command instanceof SubscriberGone cmd) {
      return noReply(() -> subscribers.unsubscribe(cmd.subscriber()));
    } else if (command instanceof Internal signal) {
      return internal(state, signal);
    } else if (command instanceof WakeupStored cmd) {
      return noReply(() -> clock.wakeupStored(state, cmd, !subscribers.isEmpty()));
    } else if (command instanceof WakeupFailed cmd) {
      return noReply(() -> clock.wakeupFailed(cmd));
    }
    throw new IllegalStateException("no handler for " + command.getClass().getName() + " in status " + status);
  }

  /**
   * Carries out the referee's verdict: refuse, repeat the earlier answer, or store the events and
   * answer once they are stored and listed. Moves and resigns are answered with their seq only.
   */
  private ReplyEffect<GameEvent, GameState> decide(GameState state, Request cmd, Referee.Verdict verdict) {
    boolean withState = !(cmd instanceof MakeMove || cmd instanceof Resign);
    if (verdict instanceof Referee.Refuse refuse) {
      return Effect().reply(cmd.replyTo(), new Rejected(refuse.code(), refuse.message()));
    }
    if (verdict instanceof Referee.Repeat repeat) {
      return Effect().reply(cmd.replyTo(), new Accepted(repeat.seq(), repeat.seat(),
          withState ? state.view() : null, state.status()));
    }
    Referee.Store store = (Referee.Store) verdict;
    pendingMove = store.next() != null ? store : null;
    long firstSeq = state.seq() + 1;
    return persist(store.events()).thenRun(after -> {
      Accepted answer = new Accepted(firstSeq, store.seat(), withState ? after.view() : null, after.status());
      subscribers.afterListed(() -> cmd.replyTo().tell(answer)); // the lists show it once answered
    }).thenNoReply();
  }

  private ReplyEffect<GameEvent, GameState> subscribeToNothing(GameState state, Subscribe cmd) {
    cmd.subscriber().tell(new NotFound(gameId, cmd.correlationId()));
    clock.passivate();
    return Effect().noReply();
  }

  private ReplyEffect<GameEvent, GameState> internal(GameState state, Internal signal) {
    return switch (signal) {
      case CLOCK -> clock.isDue(state) ? persist(List.of(referee.deadlinePassed(state, clock.now()))).thenNoReply()
          : noReply(() -> clock.arm(state)); // woke early (the timer rounds), so wait for the rest
      case IDLE -> noReply(clock::passivate);
      case LIVE_CHECK -> noReply(() -> clock.liveCheck(state, !subscribers.isEmpty()));
      case STOP -> Effect().stop().thenNoReply();
    };
  }

  /** Persists {@code events}, then tells everyone and re-arms the clock. */
  private EffectBuilder<GameEvent, GameState> persist(List<GameEvent> events) {
    long started = System.nanoTime();
    applied = new ArrayList<>(events.size());
    List<GameState> states = applied;
    return Effect().persist(events).thenRun(after -> {
      announcements.stored(events, states, started);
      clock.arm(after);
    });
  }

  private ReplyEffect<GameEvent, GameState> noReply(Runnable action) {
    action.run();
    return Effect().noReply();
  }

  /** No such game: passivate at once, or every id a client tried would stay (and be remembered). */
  private ReplyEffect<GameEvent, GameState> notFound(ActorRef<Reply> replyTo) {
    clock.passivate();
    return Effect().reply(replyTo, new Rejected(ErrorCode.NOT_FOUND, "no game " + gameId));
  }

  // ---- event handler ----

  /**
   * Applies each event to the state. The move just persisted is not applied by the rules again:
   * its position is the one {@link Referee#move} computed (recovery, which has no such move, replays it).
   * The states are kept for {@link Subscribers#publish}, which would otherwise apply them again.
   */
  @Override
  public EventHandler<GameState, GameEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent((state, event) -> {
      GameState after;
      if (pendingMove != null && event == pendingMove.events().get(0)) {
        after = state.moved((Moved) event, pendingMove.next());
        pendingMove = null;
      } else {
        after = state.apply(event);
      }
      if (applied != null) {
        applied.add(after);
      }
      return after;
    });
  }
}
