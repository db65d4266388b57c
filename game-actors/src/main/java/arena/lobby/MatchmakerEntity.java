package arena.lobby;

import arena.ErrorCode;
import arena.lobby.MatchQueues.Pairing;
import arena.lobby.Matchmaker.Cancel;
import arena.lobby.Matchmaker.Cancelled;
import arena.lobby.Matchmaker.Command;
import arena.lobby.Matchmaker.Dequeued;
import arena.lobby.Matchmaker.Enqueue;
import arena.lobby.Matchmaker.Enqueued;
import arena.lobby.Matchmaker.Event;
import arena.lobby.Matchmaker.GameReady;
import arena.lobby.Matchmaker.GetStatus;
import arena.lobby.Matchmaker.Internal;
import arena.lobby.Matchmaker.Matched;
import arena.lobby.Matchmaker.Notice;
import arena.lobby.Matchmaker.Paired;
import arena.lobby.Matchmaker.PairingFailed;
import arena.lobby.Matchmaker.PlayerGone;
import arena.lobby.Matchmaker.Queued;
import arena.lobby.Matchmaker.Rejected;
import arena.lobby.Matchmaker.RetrySetup;
import arena.lobby.Matchmaker.SetupFinished;
import arena.lobby.Matchmaker.SetupRefused;
import arena.lobby.Matchmaker.Status;
import arena.lobby.Matchmaker.Waiting;
import arena.rules.GameCatalog;
import arena.session.GameSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The cluster-wide quickmatch queue: one queue per game type, in a Cluster Singleton that is
 * event-sourced, so the queue survives the node that holds it.
 *
 * <p><b>Model.</b> A player {@link Enqueue}s with an {@code ActorRef<Notice>} (their connection).
 * Once two players of a game type wait, the longer-waiting one gets seat 0 and creates a private
 * game with 60-second turns through Cluster Sharding, the other joins it (see {@link GameSetup}),
 * and each is sent {@link Matched}. The queued players are watched: a connection that stops
 * leaves every queue it was in. {@link Cancel} leaves one queue.
 *
 * <p><b>Guarantees.</b>
 * <ul>
 *   <li><i>Exactly-once matching.</i> The match is stored ({@link Paired}) in the same atomic
 *       write as the {@link Enqueued} that completes it (or the event that frees capacity for it),
 *       and it takes both players out of the queue: a queued player is matched once, never
 *       twice, and never lost, even if the singleton moves at any point.</li>
 *   <li><i>At-least-once notification.</i> {@link Queued} is sent once the enqueue is stored.
 *       {@link Matched} is sent once the game exists with both players seated, and before that
 *       is stored ({@link GameReady}); after a failover the new singleton sets up every match
 *       not yet marked ready again (idempotent) and sends {@code Matched} again, with the same
 *       game id and seat. A connection should ignore a repeated {@code Matched}.</li>
 *   <li><i>Nothing lost on leave.</i> When the node holding the singleton leaves (or crashes and is
 *       downed), the singleton starts on the next oldest node and recovers the queue and the
 *       pending matches from the journal, re-watches the queued players, and drops those whose
 *       node is no longer a member (Pekko never reports the death of an actor on a node that left
 *       before the watch began). Players on surviving nodes keep their place. Messages sent while
 *       the singleton moves are buffered by the proxy ({@code pekko.cluster.singleton-proxy.buffer-size});
 *       an {@code Enqueue} dropped beyond that gets no {@code Queued}, which the caller should
 *       treat as {@code unavailable}.</li>
 *   <li>A match once made is final: a {@code Cancel} or a disconnect after it does not undo it
 *       (the cancel is answered {@link Cancelled}, the game is still set up, and an absent player
 *       loses on time). A set-up that fails transiently is retried with backoff; one the session
 *       refuses for good is dropped and both players get {@link Rejected} {@code unavailable}.</li>
 * </ul>
 *
 * <p><b>Bounds.</b> At most {@code arena.matchmaker.max-queued-per-game} players wait per game
 * type; beyond it an enqueue is refused with {@code unavailable} ("retry later": a full queue is
 * a capacity problem of the service, not the caller's rate). At most
 * {@code arena.matchmaker.max-pending-matches} games are being set up at once; further pairs wait
 * in the queue. Commands that arrive while an event is being stored wait in the behavior's stash
 * ({@code pekko.persistence.typed.stash-capacity}); beyond it they are dropped and logged, and such
 * an enqueue gets no {@code Queued}. Events are deleted on each snapshot, so recovery and the
 * journal stay small.
 *
 * <p><b>Throughput.</b> One actor writes every change, one write at a time: about three journal
 * writes per match (two enqueues, the second one together with the match, and the game's
 * readiness). The queue's rate is therefore bounded by the journal's write latency: with writes
 * of 2-5 ms, an estimated 150-350 players a second (not measured). That is ample for people
 * pressing "quickmatch", but not for a load generator that wants thousands of games at once; it
 * should create and join games.
 */
public final class MatchmakerEntity
    extends EventSourcedBehavior<Matchmaker.Command, Matchmaker.Event, MatchQueues> {

  // ---- singleton ----

  public static final PersistenceId PERSISTENCE_ID = PersistenceId.ofUniqueId("matchmaker");

  /** Starts the singleton (with the settings of {@code arena.matchmaker}); returns its proxy. */
  public static ActorRef<Command> init(ActorSystem<?> system) {
    return init(system, MatchmakerSettings.fromConfig(system.settings().config()));
  }

  /**
   * Starts the singleton on the oldest node (and a proxy on this one); it sets up games through
   * the game sessions' Cluster Sharding. Returns the proxy, which every node may use.
   */
  public static ActorRef<Command> init(ActorSystem<?> system, MatchmakerSettings settings) {
    ClusterSharding sharding = ClusterSharding.get(system);
    Behavior<Command> matchmaker = Behaviors.supervise(
            create(settings, gameId -> sharding.entityRefFor(GameSession.ENTITY_KEY, gameId)))
        .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    return ClusterSingleton.get(system).init(
        SingletonActor.of(matchmaker, "matchmaker").withStopMessage(Internal.STOP));
  }

  /** The matchmaker itself; {@code sessions} finds a game's session by game id. */
  public static Behavior<Command> create(MatchmakerSettings settings,
      Function<String, RecipientRef<GameSession.Command>> sessions) {
    return create(PERSISTENCE_ID, settings, sessions);
  }

  /** A matchmaker under another persistence id: for tests. */
  static Behavior<Command> create(PersistenceId persistenceId, MatchmakerSettings settings,
      Function<String, RecipientRef<GameSession.Command>> sessions) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new MatchmakerEntity(persistenceId, ctx, timers, settings, sessions)));
  }

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final MatchmakerSettings settings;
  private final Function<String, RecipientRef<GameSession.Command>> sessions;
  /** Failed set-up attempts by game id, for the backoff; in memory only. */
  private final Map<String, Integer> attempts = new HashMap<>();

  private MatchmakerEntity(PersistenceId persistenceId, ActorContext<Command> ctx, TimerScheduler<Command> timers,
      MatchmakerSettings settings, Function<String, RecipientRef<GameSession.Command>> sessions) {
    super(persistenceId,
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    this.ctx = ctx;
    this.timers = timers;
    this.settings = settings;
    this.sessions = sessions;
  }

  @Override
  public MatchQueues emptyState() {
    return MatchQueues.empty();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), 2).withDeleteEventsOnSnapshot();
  }

  @Override
  public SignalHandler<MatchQueues> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.class, (state, done) -> {
          state.queuedRefs().forEach(this::watchOrDrop);
          state.pending().values().forEach(this::startSetup); // idempotent: finishes what a failover cut short
          ctx.getSelf().tell(Internal.PAIR);
        })
        .build();
  }

  // ---- command handlers ----

  @Override
  public CommandHandler<Command, Event, MatchQueues> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Enqueue.class, this::enqueue)
        .onCommand(Cancel.class, this::cancel)
        .onCommand(PlayerGone.class, this::playerGone)
        .onCommand(SetupFinished.class, this::setupFinished)
        .onCommand(RetrySetup.class, this::retrySetup)
        .onCommand(GetStatus.class, this::status)
        .onCommand(Internal.class, this::internal)
        .build();
  }

  private Effect<Event, MatchQueues> enqueue(MatchQueues state, Enqueue cmd) {
    if (GameCatalog.find(cmd.game()).isEmpty()) {
      cmd.player().tell(new Rejected(cmd.game(), ErrorCode.UNKNOWN_GAME_TYPE, "no game type '" + cmd.game() + "'"));
      return Effect().none();
    }
    Optional<Waiting> known = state.waiting(cmd.game(), cmd.playerId())
        .or(() -> state.settingUp(cmd.game(), cmd.playerId()));
    if (known.isPresent() && known.get().player().equals(cmd.player())) {
      cmd.player().tell(new Queued(cmd.game()));
      return Effect().none();
    }
    Plan plan = plan(state, List.of(new Enqueued(cmd.game(), cmd.playerId(), cmd.name(), cmd.player())));
    if (known.isEmpty() && plan.waiting(cmd.game()) > settings.maxQueuedPerGame()) {
      cmd.player().tell(new Rejected(cmd.game(), ErrorCode.UNAVAILABLE,
          "the quickmatch queue for " + cmd.game() + " is full; retry later"));
      return Effect().none();
    }
    return persist(state, plan, after -> {
      if (after.queuedRefs().contains(cmd.player())) {
        watch(cmd.player());
      }
      cmd.player().tell(new Queued(cmd.game()));
    });
  }

  private Effect<Event, MatchQueues> cancel(MatchQueues state, Cancel cmd) {
    if (state.waiting(cmd.game(), cmd.playerId()).isEmpty()) {
      cmd.replyTo().tell(new Cancelled(cmd.game())); // not queued (any more): nothing to undo
      return Effect().none();
    }
    return Effect().persist(new Dequeued(cmd.game(), cmd.playerId(), "cancelled"))
        .thenRun(after -> {
          unwatchReleased(state, after);
          cmd.replyTo().tell(new Cancelled(cmd.game()));
        });
  }

  private Effect<Event, MatchQueues> playerGone(MatchQueues state, PlayerGone cmd) {
    List<Dequeued> departures = state.departuresOf(cmd.player(), "left");
    if (departures.isEmpty()) {
      return Effect().none();
    }
    return Effect().persist(List.<Event>copyOf(departures)).thenRun(after -> unwatchReleased(state, after));
  }

  private Effect<Event, MatchQueues> setupFinished(MatchQueues state, SetupFinished result) {
    Pairing pairing = state.pending().get(result.gameId());
    if (pairing == null) {
      return Effect().none(); // a duplicate answer for a match already done
    }
    if (result.failure() != null) {
      int attempt = attempts.merge(result.gameId(), 1, Integer::sum);
      Duration delay = settings.backoff(attempt);
      ctx.getLog().warn("Setting up game {} failed (attempt {}), retrying in {}: {}",
          result.gameId(), attempt, delay, result.failure());
      timers.startSingleTimer(result.gameId(), new RetrySetup(result.gameId()), delay);
      return Effect().none();
    }
    attempts.remove(result.gameId());
    if (result.outcome() instanceof SetupRefused refused) {
      ctx.getLog().warn("Game {} of a quickmatch was refused ({}: {}); its players must queue again",
          result.gameId(), refused.code(), refused.message());
      Rejected notice = new Rejected(pairing.game(), ErrorCode.UNAVAILABLE,
          "the matched game could not be set up; queue again");
      pairing.seat0().player().tell(notice);
      pairing.seat1().player().tell(notice);
      return persistAndPair(state, List.of(new PairingFailed(result.gameId(), refused.code(), refused.message())),
          after -> {});
    }
    // Told before GameReady is stored: a failover in between tells them again (at least once).
    pairing.seat0().player().tell(new Matched(pairing.game(), pairing.gameId(), 0));
    pairing.seat1().player().tell(new Matched(pairing.game(), pairing.gameId(), 1));
    return persistAndPair(state, List.of(new GameReady(result.gameId())), after -> {});
  }

  private Effect<Event, MatchQueues> retrySetup(MatchQueues state, RetrySetup cmd) {
    Pairing pairing = state.pending().get(cmd.gameId());
    if (pairing != null) {
      startSetup(pairing);
    }
    return Effect().none();
  }

  private Effect<Event, MatchQueues> status(MatchQueues state, GetStatus cmd) {
    Map<String, List<String>> queued = new HashMap<>();
    state.queues().forEach((game, queue) -> queued.put(game, queue.stream().map(Waiting::playerId).toList()));
    cmd.replyTo().tell(new Status(queued, state.pending().size()));
    return Effect().none();
  }

  private Effect<Event, MatchQueues> internal(MatchQueues state, Internal signal) {
    if (signal == Internal.STOP) {
      return Effect().stop();
    }
    return persistAndPair(state, List.of(), after -> {});
  }

  // ---- effects ----

  /** Events to store together, the matches among them, and the state after them. */
  private record Plan(List<Event> events, List<Paired> pairs, MatchQueues after) {

    /** How many players would still wait for {@code game}. */
    int waiting(String game) {
      return after.queue(game).size();
    }
  }

  /**
   * {@code events} followed by the matches they make possible. Stored in one atomic write, so
   * that a player taken into a match can never be matched again, nor lost.
   */
  private Plan plan(MatchQueues state, List<Event> events) {
    MatchQueues next = state;
    for (Event event : events) {
      next = next.apply(event);
    }
    List<Paired> pairs = next.pairings(settings.maxPendingMatches(), () -> UUID.randomUUID().toString());
    List<Event> all = new ArrayList<>(events);
    for (Paired pair : pairs) {
      all.add(pair);
      next = next.apply(pair);
    }
    return new Plan(all, pairs, next);
  }

  private Effect<Event, MatchQueues> persistAndPair(MatchQueues state, List<Event> events,
      Consumer<MatchQueues> then) {
    return persist(state, plan(state, events), then);
  }

  /** Stores the plan, then runs {@code then} and starts setting up its new matches. */
  private Effect<Event, MatchQueues> persist(MatchQueues state, Plan plan, Consumer<MatchQueues> then) {
    if (plan.events().isEmpty()) {
      return Effect().none();
    }
    return Effect().persist(plan.events()).thenRun(after -> {
      then.accept(after);
      unwatchReleased(state, after);
      plan.pairs().forEach(p -> startSetup(after.pending().get(p.gameId())));
    });
  }

  private void startSetup(Pairing pairing) {
    ctx.pipeToSelf(
        GameSetup.run(sessions.apply(pairing.gameId()), pairing, settings.askTimeout(), ctx.getSystem().scheduler()),
        (outcome, failure) -> new SetupFinished(pairing.gameId(), outcome,
            failure == null ? null : String.valueOf(failure)));
  }

  private void watch(ActorRef<Notice> player) {
    ctx.watchWith(player, new PlayerGone(player));
  }

  /**
   * Watches a player recovered from the journal, or drops it at once if its node is no longer a
   * member: Pekko silently ignores a watch of an actor on a node that has left the cluster.
   */
  private void watchOrDrop(ActorRef<Notice> player) {
    Address address = player.path().address();
    if (address.hasLocalScope() || isMember(address)) {
      watch(player);
    } else {
      ctx.getSelf().tell(new PlayerGone(player));
    }
  }

  private boolean isMember(Address address) {
    for (org.apache.pekko.cluster.Member member : Cluster.get(ctx.getSystem()).state().getMembers()) {
      if (member.address().equals(address)) {
        MemberStatus status = member.status();
        return status != MemberStatus.down() && status != MemberStatus.exiting() && status != MemberStatus.removed();
      }
    }
    return false;
  }

  /** Stops watching targets that no queue holds any more. */
  private void unwatchReleased(MatchQueues before, MatchQueues after) {
    Set<ActorRef<Notice>> still = after.queuedRefs();
    for (ActorRef<Notice> ref : before.queuedRefs()) {
      if (!still.contains(ref)) {
        ctx.unwatch(ref);
      }
    }
  }

  // ---- event handler ----

  @Override
  public EventHandler<MatchQueues, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(MatchQueues::apply);
  }
}
