package arena.session;

import arena.ErrorCode;
import arena.JsonSerializable;
import arena.lobby.Lobby;
import arena.rules.GameCatalog;
import arena.rules.GameRules;
import arena.session.GameEvent.GameAborted;
import arena.session.GameEvent.GameCreated;
import arena.session.GameEvent.GameOver;
import arena.session.GameEvent.GameStarted;
import arena.session.GameEvent.Moved;
import arena.session.GameEvent.PlayerJoined;
import arena.session.GameEvent.PlayerLeft;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
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
 * Subscribers (player connections and spectators, on any node) get every event in sequence order
 * with the state after it.
 *
 * <p>Clocks are timers re-armed from the state after every event and after recovery. Sharding
 * remembers entities, so a running game is restarted, and its clock re-armed, after a rebalance or
 * the loss of its node, with nobody asking for it. A finished game passivates after
 * {@code finished-idle}; a live one after {@code live-idle} with no event and nobody subscribed,
 * once it has stored its next deadline in the {@link Wakeups} schedule, which wakes it in time
 * for its clock (sharding forgets a passivated game, so remembering alone would not).
 */
public final class GameSession
    extends EventSourcedBehaviorWithEnforcedReplies<GameSession.Command, GameEvent, GameState> {

  // ---- protocol ----

  /** Everything a session understands. */
  public sealed interface Command extends JsonSerializable {}

  /** A command answered with a {@link Reply}: every one is answered {@code not_found} before the game exists. */
  public sealed interface Request extends Command {
    ActorRef<Reply> replyTo();
  }

  /** Creates the game with the caller on seat 0; replies {@link Accepted} with seat 0. */
  public record Create(String game, Visibility visibility, int turnSeconds, String playerId,
      String name, ActorRef<Reply> replyTo) implements Request {}

  /** Takes the lowest free seat; replies {@link Accepted} with that seat. */
  public record Join(String playerId, String name, ActorRef<Reply> replyTo) implements Request {}

  /** Frees the seat before the start, resigns after it; replies {@link Accepted}. */
  public record Leave(String playerId, String requestId, ActorRef<Reply> replyTo) implements Request {}

  /** Plays a move given in its JSON form; replies {@link Accepted} with the move's seq. */
  public record MakeMove(String playerId, String requestId, Map<String, Object> move,
      ActorRef<Reply> replyTo) implements Request {}

  /** Gives up; the opponent wins. Replies {@link Accepted} with the game_over seq. */
  public record Resign(String playerId, String requestId, ActorRef<Reply> replyTo) implements Request {}

  /** Replies {@link Accepted} with the current state. */
  public record GetState(ActorRef<Reply> replyTo) implements Request {}

  /**
   * Sends {@code subscriber} the current state ({@link Update.Current}, carrying
   * {@code correlationId}) and then every event; {@link Update.NotFound} if there is no game;
   * {@link Update.Refused} when the game has {@code arena.session.max-subscribers} already and
   * {@code playerId} (optional: older nodes omit it) holds no seat in it.
   */
  public record Subscribe(ActorRef<Update> subscriber, String correlationId, String playerId) implements Command {
    public Subscribe(ActorRef<Update> subscriber, String correlationId) {
      this(subscriber, correlationId, null);
    }
  }

  /** Stops sending events to {@code subscriber}. No reply. */
  public record Unsubscribe(ActorRef<Update> subscriber) implements Command {}

  /** A subscriber stopped (it was watched). */
  record SubscriberGone(ActorRef<Update> subscriber) implements Command {}

  /**
   * Messages a session sends itself: a deadline may have passed, it is finished and idle, it
   * should check whether it is live and idle, it should stop.
   */
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

  /** Done: {@code seq} of the event the command produced (or the current seq). */
  public record Accepted(long seq, Integer seat, GameView state) implements Reply {}

  /** Refused with the spec's error {@code code}; nothing was stored. */
  public record Rejected(ErrorCode code, String message) implements Reply {}

  /** What subscribers receive. */
  public sealed interface Update extends JsonSerializable {
    String gameId();
  }

  /**
   * The state when a subscription starts. {@code session} is the entity itself, for subscribers to
   * watch: when it stops or moves, they subscribe again.
   */
  public record Current(String gameId, String correlationId, GameView state,
      ActorRef<Command> session) implements Update {}

  /** One stored event and the state after it. */
  public record Applied(String gameId, long seq, GameEvent event, GameView state) implements Update {}

  /** The subscribed game does not exist. */
  public record NotFound(String gameId, String correlationId) implements Update {}

  /**
   * The subscription was refused with the spec's error {@code code} (too many subscribers). New
   * in this version: an older gateway node drops it as a message it cannot read, and its client
   * gets no answer, which harms nobody else.
   */
  public record Refused(String gameId, String correlationId, ErrorCode code, String message) implements Update {}

  // ---- sharding ----

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "game-session");

  /** The tag of {@link GameOver} events, which the leaderboard projection reads. */
  public static final String GAME_OVER_TAG = "game-over";

  /**
   * Registers game sessions with Cluster Sharding on this node; public games report their state
   * to {@code lobby}, the node's lobby actor.
   */
  public static ActorRef<ShardingEnvelope<Command>> init(ActorSystem<?> system,
      SessionSettings settings, Clock clock, ActorRef<Lobby.Command> lobby) {
    return init(system, settings, clock, lobby, SessionMetrics.NONE);
  }

  /** As {@link #init(ActorSystem, SessionSettings, Clock, ActorRef)}, reporting to {@code metrics}. */
  public static ActorRef<ShardingEnvelope<Command>> init(ActorSystem<?> system,
      SessionSettings settings, Clock clock, ActorRef<Lobby.Command> lobby, SessionMetrics metrics) {
    return init(system, settings, clock, lobby, metrics, Wakeups.NONE);
  }

  /**
   * As {@link #init(ActorSystem, SessionSettings, Clock, ActorRef, SessionMetrics)}; idle live
   * games store their deadline in {@code wakeups} and passivate.
   */
  public static ActorRef<ShardingEnvelope<Command>> init(ActorSystem<?> system,
      SessionSettings settings, Clock clock, ActorRef<Lobby.Command> lobby, SessionMetrics metrics,
      Wakeups wakeups) {
    return init(system, settings, clock, new SessionServices(lobby, metrics, wakeups, GameDirectory.NONE));
  }

  /** Registers game sessions with Cluster Sharding on this node, with all their {@code services}. */
  public static ActorRef<ShardingEnvelope<Command>> init(ActorSystem<?> system,
      SessionSettings settings, Clock clock, SessionServices services) {
    return ClusterSharding.get(system).init(
        Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), ctx.getShard(), settings, clock, services))
            .withStopMessage(Internal.STOP)
            .withAllocationStrategy(new RolloutAwareAllocation(settings.rebalanceQuietPeriod(), 2, 3, clock)));
  }

  public static Behavior<Command> create(String gameId,
      ActorRef<ClusterSharding.ShardCommand> shard, SessionSettings settings, Clock clock,
      ActorRef<Lobby.Command> lobby) {
    return create(gameId, shard, settings, clock, lobby, SessionMetrics.NONE);
  }

  public static Behavior<Command> create(String gameId,
      ActorRef<ClusterSharding.ShardCommand> shard, SessionSettings settings, Clock clock,
      ActorRef<Lobby.Command> lobby, SessionMetrics metrics) {
    return create(gameId, shard, settings, clock, lobby, metrics, Wakeups.NONE);
  }

  public static Behavior<Command> create(String gameId,
      ActorRef<ClusterSharding.ShardCommand> shard, SessionSettings settings, Clock clock,
      ActorRef<Lobby.Command> lobby, SessionMetrics metrics, Wakeups wakeups) {
    return create(gameId, shard, settings, clock, new SessionServices(lobby, metrics, wakeups, GameDirectory.NONE));
  }

  public static Behavior<Command> create(String gameId,
      ActorRef<ClusterSharding.ShardCommand> shard, SessionSettings settings, Clock clock, SessionServices services) {
    Behavior<Command> session = Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new GameSession(gameId, ctx,
        timers, shard, settings, clock, services.lobby(), services.metrics(), services.wakeups(), services.directory())));
    return withGameIdInLogs(gameId, session);
  }

  /**
   * Puts {@code gameId} in the MDC of every line logged while the session handles a message. The
   * interceptor takes every message, not just commands: the journal's answers to the session
   * (persisted, failed) are no {@link Command}s, and their handling logs too.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Behavior<Command> withGameIdInLogs(String gameId, Behavior<Command> session) {
    Behavior<Object> any = (Behavior) session;
    return (Behavior) Behaviors.withMdc(Object.class, Map.of("gameId", gameId), any);
  }

  private static final Object CLOCK_TIMER = "clock";
  private static final Object IDLE_TIMER = "idle";
  private static final Object LIVE_TIMER = "live-idle";

  private final String gameId;
  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final SessionSettings settings;
  private final Clock clock;
  private final ActorRef<Lobby.Command> lobby;
  private final SessionMetrics metrics;
  private final Wakeups wakeups;
  private final GameDirectory directory;
  /** The directory write of the latest change, which that change's answer waits for. */
  private java.util.concurrent.CompletionStage<?> listed = java.util.concurrent.CompletableFuture.completedFuture(null);
  /** Events held back for {@link #listed}, which later events follow. */
  private java.util.concurrent.CompletionStage<?> delivered = listed;
  private final Set<ActorRef<Update>> subscribers = new HashSet<>();
  /** Subscribers beyond this are refused, unless they hold a seat (arena.session.max-subscribers). */
  private final int maxSubscribers;
  /** The seq at the last live-idle check: no event since then means the game is idle. */
  private long seqAtLastCheck = -1;
  /** Whether the deadline is being stored in the wake-up schedule. */
  private boolean storingWakeup;

  private GameSession(String gameId, ActorContext<Command> ctx, TimerScheduler<Command> timers,
      ActorRef<ClusterSharding.ShardCommand> shard, SessionSettings settings, Clock clock,
      ActorRef<Lobby.Command> lobby, SessionMetrics metrics, Wakeups wakeups, GameDirectory directory) {
    super(PersistenceId.of(ENTITY_KEY.name(), gameId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    this.gameId = gameId;
    this.ctx = ctx;
    this.timers = timers;
    this.shard = shard;
    this.settings = settings;
    this.clock = clock;
    this.lobby = lobby;
    this.metrics = metrics;
    this.wakeups = wakeups;
    this.maxSubscribers = ctx.getSystem().settings().config().getInt("arena.session.max-subscribers");
    this.directory = directory;
  }

  @Override
  public GameState emptyState() {
    return GameState.empty(gameId);
  }

  /**
   * The journal plugin of this game: games are spread over {@code arena.session.journals}
   * instances of the same plugin, which write to the same tables, so that no single journal actor
   * carries every game's writes. Any instance reads any game, so the number may change freely.
   */
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
        .onSignal(org.apache.pekko.actor.typed.PreRestart.class, (state, restart) -> metrics.persistFailed())
        .onSignal(RecoveryCompleted.class, (state, done) -> {
          seqAtLastCheck = state.seq();
          armTimers(state);
          list(state); // the lobby is in memory only: a recovered waiting game lists itself again
          if (state.exists()) {
            directory.recovered(state.view()); // games stored before the directory existed enter it now
          }
        })
        .build();
  }

  // ---- command handlers ----

  @Override
  public CommandHandlerWithReply<Command, GameEvent, GameState> commandHandler() {
    CommandHandlerWithReplyBuilder<Command, GameEvent, GameState> builder =
        newCommandHandlerWithReplyBuilder();
    builder.forState(state -> !state.exists())
        .onCommand(Create.class, this::create)
        .onCommand(Subscribe.class, this::subscribeToNothing)
        .onCommand(Request.class, (s, c) -> notFound(c.replyTo()));
    builder.forAnyState()
        .onCommand(Create.class, this::createAgain)
        .onCommand(Join.class, this::join)
        .onCommand(Leave.class, this::leave)
        .onCommand(MakeMove.class, this::move)
        .onCommand(Resign.class, this::resign)
        .onCommand(GetState.class, (s, c) -> Effect().reply(c.replyTo(), accepted(s, s.seq(), null)))
        .onCommand(Subscribe.class, this::subscribe)
        .onCommand(Unsubscribe.class, this::unsubscribe)
        .onCommand(SubscriberGone.class, (s, c) -> unsubscribe(s, new Unsubscribe(c.subscriber())))
        .onCommand(Internal.class, this::internal)
        .onCommand(WakeupStored.class, this::wakeupStored)
        .onCommand(WakeupFailed.class, this::wakeupFailed);
    return builder.build();
  }

  private ReplyEffect<GameEvent, GameState> create(GameState state, Create cmd) {
    GameRules<?, ?> rules = GameCatalog.find(cmd.game()).orElse(null);
    if (rules == null) {
      return reject(cmd.replyTo(), ErrorCode.UNKNOWN_GAME_TYPE, "no game type '" + cmd.game() + "'");
    }
    if (cmd.visibility() == null) {
      return reject(cmd.replyTo(), ErrorCode.BAD_REQUEST, "visibility must be public or private");
    }
    if (cmd.turnSeconds() < 5 || cmd.turnSeconds() > 3600) {
      return reject(cmd.replyTo(), ErrorCode.BAD_REQUEST, "turnSeconds must be 5-3600");
    }
    Instant now = now();
    return persistAndReply(state, List.of(new GameCreated(cmd.game(), cmd.visibility(),
        cmd.turnSeconds(), 0, cmd.playerId(), cmd.name(), now.plus(settings.waitingExpiry()), now)),
        cmd.replyTo(), 0);
  }

  /** A retried create (same creator, same game) is answered again; anything else is refused. */
  private ReplyEffect<GameEvent, GameState> createAgain(GameState state, Create cmd) {
    GameView.Seat creator = state.seats().isEmpty() ? null : state.seats().get(0);
    if (state.game().equals(cmd.game()) && state.seq() >= 1 && creator != null
        && creator.playerId().equals(cmd.playerId())) {
      return Effect().reply(cmd.replyTo(), accepted(state, 1, 0));
    }
    return reject(cmd.replyTo(), ErrorCode.BAD_REQUEST, "game " + gameId + " already exists");
  }

  private ReplyEffect<GameEvent, GameState> join(GameState state, Join cmd) {
    if (state.seatOf(cmd.playerId()) >= 0) {
      return reject(cmd.replyTo(), ErrorCode.ALREADY_SEATED, "you already hold a seat in this game");
    }
    if (state.status() == Status.ACTIVE) {
      return reject(cmd.replyTo(), ErrorCode.GAME_FULL, "every seat of this game is taken");
    }
    if (state.status() != Status.WAITING) {
      return notActive(cmd.replyTo(), state);
    }
    int seat = state.freeSeat();
    Instant now = now();
    List<GameEvent> events = new ArrayList<>(2);
    events.add(new PlayerJoined(seat, cmd.playerId(), cmd.name(), now));
    if (state.seats().stream().filter(s -> s == null).count() == 1) {
      events.add(new GameStarted(now));
    }
    return persistAndReply(state, events, cmd.replyTo(), seat);
  }

  private ReplyEffect<GameEvent, GameState> leave(GameState state, Leave cmd) {
    int seat = state.seatOf(cmd.playerId());
    if (seat < 0) {
      return reject(cmd.replyTo(), ErrorCode.FORBIDDEN, "you hold no seat in this game");
    }
    if (state.status() != Status.WAITING) {
      return resign(state, new Resign(cmd.playerId(), cmd.requestId(), cmd.replyTo()));
    }
    Instant now = now();
    List<GameEvent> events = new ArrayList<>(2);
    events.add(new PlayerLeft(seat, now));
    if (state.seats().stream().filter(s -> s != null).count() == 1) {
      events.add(new GameAborted("abandoned", now));
    }
    return persistAndReply(state, events, cmd.replyTo(), seat);
  }

  /**
   * What a move or resign gets before the rules are asked: {@code forbidden} for someone not
   * seated, the original seq for a request id already used (so a resend is not applied again,
   * even after the game ended), {@code game_not_active} outside play; {@code null} to go on.
   */
  private ReplyEffect<GameEvent, GameState> beforePlay(GameState state, String playerId, String requestId,
      ActorRef<Reply> replyTo) {
    int seat = state.seatOf(playerId);
    if (seat < 0) {
      return reject(replyTo, ErrorCode.FORBIDDEN, "you hold no seat in this game");
    }
    long earlier = state.seqOfUsedId(playerId, requestId);
    if (earlier > 0) {
      return Effect().reply(replyTo, accepted(state, earlier, seat));
    }
    if (state.status() != Status.ACTIVE) {
      return notActive(replyTo, state);
    }
    return null;
  }

  private ReplyEffect<GameEvent, GameState> move(GameState state, MakeMove cmd) {
    ReplyEffect<GameEvent, GameState> refused = beforePlay(state, cmd.playerId(), cmd.requestId(), cmd.replyTo());
    if (refused != null) {
      return refused;
    }
    int seat = state.seatOf(cmd.playerId());
    Match.Attempt attempt = state.match().attempt(seat, cmd.move());
    if (attempt.rejected()) {
      return reject(cmd.replyTo(), attempt.errorCode(), attempt.message());
    }
    Instant now = now();
    List<GameEvent> events = new ArrayList<>(2);
    events.add(new Moved(seat, attempt.move(), cmd.requestId(), now));
    if (attempt.outcome() != null) {
      events.add(new GameOver(GameView.Result.of(attempt.outcome()), state.game(),
          state.view().players(), null, null, now));
    }
    return persistAndReply(state, events, cmd.replyTo(), seat);
  }

  private ReplyEffect<GameEvent, GameState> resign(GameState state, Resign cmd) {
    ReplyEffect<GameEvent, GameState> refused = beforePlay(state, cmd.playerId(), cmd.requestId(), cmd.replyTo());
    if (refused != null) {
      return refused;
    }
    int seat = state.seatOf(cmd.playerId());
    GameOver over = new GameOver(GameView.Result.winBy(opponentOf(state, seat),
        arena.rules.Outcome.Reason.RESIGN), state.game(), state.view().players(), cmd.requestId(),
        seat, now());
    return persistAndReply(state, List.of(over), cmd.replyTo(), seat);
  }

  private ReplyEffect<GameEvent, GameState> subscribe(GameState state, Subscribe cmd) {
    if (!subscribers.contains(cmd.subscriber()) && subscribers.size() >= maxSubscribers
        && (cmd.playerId() == null || state.seatOf(cmd.playerId()) < 0)) {
      metrics.subscriberRefused();
      cmd.subscriber().tell(new Refused(gameId, cmd.correlationId(), ErrorCode.RATE_LIMITED,
          "game " + gameId + " has " + maxSubscribers + " subscribers; try again later"));
      return Effect().noReply();
    }
    if (subscribers.add(cmd.subscriber())) {
      ctx.watchWith(cmd.subscriber(), new SubscriberGone(cmd.subscriber()));
    }
    cmd.subscriber().tell(new Current(gameId, cmd.correlationId(), state.view(), ctx.getSelf()));
    return Effect().noReply();
  }

  private ReplyEffect<GameEvent, GameState> subscribeToNothing(GameState state, Subscribe cmd) {
    cmd.subscriber().tell(new NotFound(gameId, cmd.correlationId()));
    shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
    return Effect().noReply();
  }

  private ReplyEffect<GameEvent, GameState> unsubscribe(GameState state, Unsubscribe cmd) {
    if (subscribers.remove(cmd.subscriber())) {
      ctx.unwatch(cmd.subscriber());
    }
    return Effect().noReply();
  }

  private ReplyEffect<GameEvent, GameState> internal(GameState state, Internal signal) {
    switch (signal) {
      case CLOCK:
        return clockTick(state);
      case IDLE:
        shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
        return Effect().noReply();
      case LIVE_CHECK:
        return liveCheck(state);
      default:
        return Effect().stop().thenNoReply();
    }
  }

  /** A deadline may have passed: a turn is lost by timeout, an unfilled game expires. */
  private ReplyEffect<GameEvent, GameState> clockTick(GameState state) {
    Instant now = now();
    if (state.status() == Status.ACTIVE && !now.isBefore(state.turnDeadline())) {
      int loser = state.turn();
      return persist(state, List.of(new GameOver(GameView.Result.winBy(opponentOf(state, loser),
          arena.rules.Outcome.Reason.TIMEOUT), state.game(), state.view().players(), null, null, now)))
          .thenNoReply();
    }
    if (state.status() == Status.WAITING && !now.isBefore(state.expiresAt())) {
      return persist(state, List.of(new GameAborted("expired", now))).thenNoReply();
    }
    armTimers(state); // woke early (the timer rounds), so wait for the rest
    return Effect().noReply();
  }

  /**
   * A live game with no event since the last check and nobody subscribed stores its deadline in
   * the wake-up schedule; once that is stored it passivates (see {@link #wakeupStored}). A game
   * whose deadline comes before the next check stays: its clock needs it sooner than that.
   */
  private ReplyEffect<GameEvent, GameState> liveCheck(GameState state) {
    Instant deadline = deadline(state);
    boolean idle = state.seq() == seqAtLastCheck;
    seqAtLastCheck = state.seq();
    if (deadline != null && idle && subscribers.isEmpty() && !storingWakeup && wakeups.enabled()
        && deadline.isAfter(now().plus(settings.liveIdle()))) {
      storingWakeup = true;
      long seq = state.seq();
      ctx.pipeToSelf(wakeups.schedule(gameId, deadline),
          (done, failure) -> failure == null ? new WakeupStored(seq) : new WakeupFailed(failure.toString()));
    }
    return Effect().noReply();
  }

  /** Passivates unless something happened while the deadline was being stored. */
  private ReplyEffect<GameEvent, GameState> wakeupStored(GameState state, WakeupStored stored) {
    storingWakeup = false;
    if (state.seq() == stored.seq() && subscribers.isEmpty()) {
      ctx.getLog().debug("game {} is idle; its deadline is in the wake-up schedule, passivating", gameId);
      shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
    }
    return Effect().noReply();
  }

  private ReplyEffect<GameEvent, GameState> wakeupFailed(GameState state, WakeupFailed failed) {
    storingWakeup = false;
    ctx.getLog().warn("game {} stays in memory: its deadline could not be stored in the wake-up schedule ({})",
        gameId, failed.reason());
    return Effect().noReply();
  }

  // ---- effects ----

  private ReplyEffect<GameEvent, GameState> persistAndReply(GameState before, List<GameEvent> events,
      ActorRef<Reply> replyTo, int seat) {
    long firstSeq = before.seq() + 1;
    return persist(before, events).thenRun(after -> {
      Accepted answer = accepted(after, firstSeq, seat);
      listed.whenComplete((done, failure) -> replyTo.tell(answer)); // the lists show it once answered
    }).thenNoReply();
  }

  private org.apache.pekko.persistence.typed.javadsl.EffectBuilder<GameEvent, GameState> persist(
      GameState before, List<GameEvent> events) {
    long started = System.nanoTime();
    return Effect().persist(events).thenRun(after -> {
      metrics.persisted(events.size(), System.nanoTime() - started,
          (int) events.stream().filter(GameEvent.Moved.class::isInstance).count());
      listed = record(after, events);
      publish(before, events);
      armTimers(after);
      list(after);
      logEnd(events.get(events.size() - 1));
    });
  }

  /** One line per game at its end, for operators (the game id is in the line's MDC). */
  private void logEnd(GameEvent last) {
    if (last instanceof GameOver over) {
      ctx.getLog().info("game {} over: {}", gameId, over.result());
    } else if (last instanceof GameEvent.GameAborted aborted) {
      ctx.getLog().info("game {} aborted: {}", gameId, aborted.reason());
    }
  }

  /** Sends every subscriber each event with the state right after it. */
  private void publish(GameState before, List<GameEvent> events) {
    if (subscribers.isEmpty()) {
      return; // no states to build
    }
    List<Applied> updates = new ArrayList<>(events.size());
    GameState state = before;
    for (GameEvent event : events) {
      state = state.apply(event);
      updates.add(new Applied(gameId, state.seq(), event, state.view()));
    }
    List<ActorRef<Update>> to = List.copyOf(subscribers);
    Runnable send = () -> updates.forEach(applied -> to.forEach(subscriber -> subscriber.tell(applied)));
    // A lifecycle change reaches subscribers once the lists show it too, and events stay in order.
    if (delivered.toCompletableFuture().isDone() && listed.toCompletableFuture().isDone()) {
      send.run();
    } else {
      delivered = delivered.thenCombine(listed, (x, y) -> null).thenRun(send);
    }
  }

  /** Public games keep the lobby up to date; it lists them while they wait for players. */
  private void list(GameState state) {
    if (state.visibility() == Visibility.PUBLIC) {
      lobby.tell(new Lobby.Publish(state.view()));
    }
  }

  /** A lifecycle change (anything but moves: they change no list) goes to the game directory. */
  private java.util.concurrent.CompletionStage<?> record(GameState state, List<GameEvent> events) {
    if (events.stream().allMatch(Moved.class::isInstance)) {
      return java.util.concurrent.CompletableFuture.completedFuture(null);
    }
    Instant started = events.stream().filter(GameStarted.class::isInstance).map(e -> ((GameStarted) e).at())
        .findFirst().orElse(null);
    return directory.record(state.view(), started).handle((done, failure) -> null); // never fails: answers go on
  }

  /** When the game's clock next needs it: the turn deadline, the expiry; none once it is over. */
  private static Instant deadline(GameState state) {
    return switch (state.status()) {
      case ACTIVE -> state.turnDeadline();
      case WAITING -> state.expiresAt();
      default -> null;
    };
  }

  private void armTimers(GameState state) {
    Instant deadline = deadline(state);
    if (deadline != null) {
      Duration left = Duration.between(now(), deadline);
      timers.startSingleTimer(CLOCK_TIMER, Internal.CLOCK, left.isNegative() ? Duration.ZERO : left);
      if (wakeups.enabled() && !timers.isTimerActive(LIVE_TIMER)) {
        timers.startTimerWithFixedDelay(LIVE_TIMER, Internal.LIVE_CHECK, settings.liveIdle());
      }
    } else {
      timers.cancel(CLOCK_TIMER);
      timers.cancel(LIVE_TIMER);
    }
    if (state.status() == Status.FINISHED || state.status() == Status.ABORTED) {
      timers.startSingleTimer(IDLE_TIMER, Internal.IDLE, settings.finishedIdle());
    }
  }

  /** Milliseconds are all the precision players and the journal need. */
  private Instant now() {
    return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
  }

  private static int opponentOf(GameState state, int seat) {
    return (seat + 1) % state.seats().size();
  }

  private Accepted accepted(GameState state, long seq, Integer seat) {
    return new Accepted(seq, seat, state.view());
  }

  private ReplyEffect<GameEvent, GameState> reject(ActorRef<Reply> replyTo, ErrorCode code, String message) {
    return Effect().reply(replyTo, new Rejected(code, message));
  }

  /**
   * There is no such game. The entity passivates at once: otherwise every unknown id a client
   * tried would stay in memory and, with remember-entities, be restarted on every node start.
   */
  private ReplyEffect<GameEvent, GameState> notFound(ActorRef<Reply> replyTo) {
    shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
    return reject(replyTo, ErrorCode.NOT_FOUND, "no game " + gameId);
  }

  private ReplyEffect<GameEvent, GameState> notActive(ActorRef<Reply> replyTo, GameState state) {
    return reject(replyTo, ErrorCode.GAME_NOT_ACTIVE, "the game is " + state.status().wireName());
  }

  // ---- event handler ----

  @Override
  public EventHandler<GameState, GameEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(GameState::apply);
  }
}
