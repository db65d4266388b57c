package arena.gateway.ws;

import arena.ErrorCode;
import arena.gateway.Sessions;
import arena.gateway.auth.Player;
import arena.gateway.protocol.ClientFrame;
import arena.gateway.protocol.ClientFrames;
import arena.gateway.protocol.Json;
import arena.gateway.protocol.ProtocolException;
import arena.gateway.protocol.ServerFrame;
import arena.gateway.protocol.Wire;
import arena.lobby.Matchmaker;
import arena.session.GameSession;
import arena.session.GameSession.Reply;
import arena.session.GameView;
import arena.session.Status;
import arena.session.Visibility;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.slf4j.MDC;

/**
 * One player's WebSocket: decodes and checks each frame, talks to game sessions and the
 * matchmaker, and pushes events of the games it watches.
 *
 * <p>Incoming frames arrive with backpressure (a window of frames not yet handled); outgoing frames
 * go into a bounded queue, and a client too slow to drain it is disconnected rather than buffered.
 * Events of a game reach the client in {@code seq} order without gaps: a duplicate is dropped, a
 * gap or a session that stopped or moved leads to a fresh subscription and, if anything was
 * missed, a fresh {@code state}.
 */
public final class Connection extends AbstractBehavior<Connection.Msg> {

  /** What a connection actor handles. */
  public sealed interface Msg {}

  /** The socket's stream started. */
  enum Started implements Msg { INSTANCE }

  /** One message from the client; {@code credit} is told once it is taken up ({@link InboundSink}). */
  record Inbound(Incoming incoming, Credit credit) implements Msg {}

  /** Gives the socket's stream room for one more message. */
  @FunctionalInterface
  interface Credit {
    void handled();
  }

  /** The client closed the socket or it broke. */
  enum ClientGone implements Msg { INSTANCE }

  /** The socket never opened (the client went away during the handshake). */
  private enum NeverStarted implements Msg { INSTANCE }

  /** The node is leaving the cluster: tell the client and close with 1012. */
  public enum NodeLeaving implements Msg { INSTANCE }

  private record FromSession(GameSession.Update update) implements Msg {}

  private record FromMatchmaker(Matchmaker.Notice notice) implements Msg {}

  private record Replied(ClientFrame request, String gameId, Reply reply, long askedAt, boolean retried) implements Msg {}

  private record SessionStopped(String gameId) implements Msg {}

  /** A (re)subscription of {@code round} may still be unanswered after {@code waited}. */
  private record SubscribeUnanswered(String gameId, int round, Duration waited) implements Msg {}

  /** What the socket delivered: a text, or something we refuse without reading it. */
  public sealed interface Incoming {
    record Text(String text) implements Incoming {}

    record TooLarge() implements Incoming {}

    record Binary() implements Incoming {}
  }

  /** Event frames, written once per event on this node whoever subscribes. */
  private static final EventFrames EVENT_FRAMES = new EventFrames();

  /** Marks the subscription that follows taking a seat: its state frame carries no {@code re}. */
  private static final String AFTER_SEAT = "\u0000seat";

  /** What the connection knows of a game it watches. */
  private static final class Watch {
    long seq = -1;
    Status status = Status.NEW;
    ActorRef<GameSession.Command> session;
    /** Subscribe answers owed to the client (correlation ids), paid by the session's next answer. */
    final ArrayDeque<String> owed = new ArrayDeque<>();
    /** Whether the session has answered since the last (re)subscription. */
    boolean confirmed = true;
    /** Which (re)subscription the pending check belongs to; a newer one makes older checks moot. */
    int round;
    /** When the session was first asked without an answer since (nanoTime). */
    long unansweredSince;
  }

  public static Behavior<Msg> create(Player player, Sessions sessions,
      ActorRef<Matchmaker.Command> matchmaker, Outbox out, AtomicInteger closeCode,
      WsSettings settings, ConnectionRegistry registry, java.util.function.LongConsumer moveAcked,
      SocketGuard guard) {
    return Behaviors.withMdc(Msg.class, Map.of(PLAYER_ID, player.playerId()), Connection::mdcOf,
        Behaviors.setup(ctx -> new Connection(ctx, player, sessions, matchmaker, out, closeCode, settings, registry,
            moveAcked, guard)));
  }

  private static final String PLAYER_ID = "playerId";
  private static final String GAME_ID = "gameId";

  /**
   * The game a message concerns, for the log lines its handling writes (the player is on every
   * line). An inbound frame's game is only known once it is decoded: {@link #handle} adds it.
   */
  private static Map<String, String> mdcOf(Msg msg) {
    String gameId = null;
    if (msg instanceof Replied m) {
      gameId = m.gameId();
    } else if (msg instanceof FromSession m) {
      gameId = m.update().gameId();
    } else if (msg instanceof SessionStopped m) {
      gameId = m.gameId();
    } else if (msg instanceof SubscribeUnanswered m) {
      gameId = m.gameId();
    }
    return gameId == null ? Map.of() : Map.of(GAME_ID, gameId);
  }

  private final Player player;
  private final Sessions sessions;
  private final ActorRef<Matchmaker.Command> matchmaker;
  private final Outbox out;
  private final AtomicInteger closeCode;
  private final WsSettings settings;
  private final ConnectionRegistry registry;
  private final RateLimiter limiter;
  /** Reports how long a move took from its frame to its ack, for the operators' histogram. */
  private final java.util.function.LongConsumer moveAcked;
  private final ActorRef<GameSession.Update> updates;
  private final ActorRef<Matchmaker.Notice> notices;
  private final Map<String, Watch> watching = new HashMap<>();
  /** The id of each pending quickmatch or cancel, by game type, for the {@code re} of its answer. */
  private final Map<String, String> quickmatches = new HashMap<>();
  /** Games watched and bytes queued for this socket (SocketLimits). */
  private final SocketGuard guard;
  private boolean closing;
  private boolean started;
  /** Numbers (re)subscriptions across games, so that a check outlives no watch it was not made for. */
  private int subscribeRounds;

  private Connection(ActorContext<Msg> ctx, Player player, Sessions sessions,
      ActorRef<Matchmaker.Command> matchmaker, Outbox out, AtomicInteger closeCode,
      WsSettings settings, ConnectionRegistry registry, java.util.function.LongConsumer moveAcked,
      SocketGuard guard) {
    super(ctx);
    this.guard = guard;
    this.moveAcked = moveAcked;
    this.player = player;
    this.sessions = sessions;
    this.matchmaker = matchmaker;
    this.out = out;
    this.closeCode = closeCode;
    this.settings = settings;
    this.registry = registry;
    this.limiter = new RateLimiter(settings, System.nanoTime());
    this.updates = ctx.messageAdapter(GameSession.Update.class, FromSession::new);
    this.notices = ctx.messageAdapter(Matchmaker.Notice.class, FromMatchmaker::new);
    registry.add(ctx.getSelf());
    ctx.scheduleOnce(java.time.Duration.ofSeconds(30), ctx.getSelf(), NeverStarted.INSTANCE);
  }

  @Override
  public Receive<Msg> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Started.INSTANCE, () -> {
          started = true;
          return this;
        })
        .onMessageEquals(NeverStarted.INSTANCE, () -> started ? this : Behaviors.stopped())
        .onMessage(Inbound.class, this::inbound)
        .onMessage(Replied.class, this::replied)
        .onMessage(FromSession.class, m -> fromSession(m.update()))
        .onMessage(FromMatchmaker.class, m -> fromMatchmaker(m.notice()))
        .onMessage(SessionStopped.class, this::sessionStopped)
        .onMessage(SubscribeUnanswered.class, this::subscribeUnanswered)
        .onMessageEquals(NodeLeaving.INSTANCE, this::nodeLeaving)
        .onMessageEquals(ClientGone.INSTANCE, Behaviors::stopped)
        .onSignal(PostStop.class, signal -> cleanUp())
        .build();
  }

  // ---- from the client ----

  private Behavior<Msg> inbound(Inbound m) {
    m.credit().handled();
    if (closing) {
      return this;
    }
    if (m.incoming() instanceof Incoming.TooLarge) {
      send(new ServerFrame.Error(null, ErrorCode.TOO_LARGE,
          "a frame may have at most " + settings.maxFrameBytes() + " bytes"));
      getContext().getLog().info("closing a socket of player {}: a frame over {} bytes", player.playerId(),
          settings.maxFrameBytes());
      return close(CloseCodes.TOO_BIG);
    }
    long now = System.nanoTime();
    JsonNode json = m.incoming() instanceof Incoming.Text text ? Json.parse(text.text()) : null;
    if (!limiter.tryAcquire(now)) {
      send(new ServerFrame.Error(ClientFrames.idOf(json), ErrorCode.RATE_LIMITED,
          "more than " + settings.burst() + " frames at once; slow down"));
      if (limiter.isAbusive(now)) {
        getContext().getLog().info("closing a socket of player {}: too many rate-limited frames", player.playerId());
        return close(CloseCodes.POLICY_VIOLATION);
      }
      return this;
    }
    if (m.incoming() instanceof Incoming.Binary) {
      send(new ServerFrame.Error(null, ErrorCode.BAD_REQUEST, "frames are JSON text, not binary"));
      return this;
    }
    if (json == null) {
      send(new ServerFrame.Error(null, ErrorCode.BAD_REQUEST, "a frame is one JSON object"));
      return this;
    }
    try {
      handle(ForgedGameIds.refuse(ClientFrames.decode(json)));
    } catch (ProtocolException e) {
      send(new ServerFrame.Error(ClientFrames.idOf(json), e.code(), e.getMessage()));
    } catch (RuntimeException e) {
      // A bug of ours, not the client's: say so and keep the socket (an error never closes it).
      getContext().getLog().error("handling a frame of player {} failed", player.playerId(), e);
      send(new ServerFrame.Error(ClientFrames.idOf(json), ErrorCode.INTERNAL, "unexpected failure"));
    }
    return this;
  }

  private void handle(ClientFrame frame) {
    String me = player.playerId();
    String framedGame = gameIdOf(frame);
    if (framedGame != null) {
      MDC.put(GAME_ID, framedGame); // cleared after this message by the withMdc interceptor
    }
    if (frame instanceof ClientFrame.Create f) {
      askWithinLimit(f, sessions.newGameId(), createCommand(f), false);
    } else if (frame instanceof ClientFrame.Join f) {
      askWithinLimit(f, f.gameId(), r -> new GameSession.Join(me, player.name(), r), false);
    } else if (frame instanceof ClientFrame.Move f) {
      ask(f, f.gameId(), r -> new GameSession.MakeMove(me, f.id(), f.move(), r));
    } else if (frame instanceof ClientFrame.Resign f) {
      ask(f, f.gameId(), r -> new GameSession.Resign(me, f.id(), r));
    } else if (frame instanceof ClientFrame.Leave f) {
      ask(f, f.gameId(), r -> new GameSession.Leave(me, f.id(), r));
    } else if (frame instanceof ClientFrame.Subscribe f) {
      if (!watching.containsKey(f.gameId()) && !guard.mayWatchAnother(watching.size())) {
        send(new ServerFrame.Error(f.id(), ErrorCode.RATE_LIMITED,
            "a socket may watch at most " + guard.maxWatchedGames() + " games; unsubscribe from one first"));
        return;
      }
      subscribe(f.gameId(), f.id() == null ? "" : f.id());
    } else if (frame instanceof ClientFrame.Unsubscribe f) {
      unsubscribe(f.gameId());
      send(new ServerFrame.Unsubscribed(f.id(), f.gameId()));
    } else if (frame instanceof ClientFrame.Quickmatch f) {
      quickmatches.put(f.game(), f.id() == null ? "" : f.id());
      matchmaker.tell(new Matchmaker.Enqueue(f.game(), me, player.name(), notices));
    } else if (frame instanceof ClientFrame.CancelQuickmatch f) {
      quickmatches.put(f.game(), f.id() == null ? "" : f.id());
      matchmaker.tell(new Matchmaker.Cancel(f.game(), me, notices));
    } else if (frame instanceof ClientFrame.Ping f) {
      send(new ServerFrame.Pong(f.id()));
    }
  }

  private static String gameIdOf(ClientFrame frame) {
    if (frame instanceof ClientFrame.Move f) {
      return f.gameId();
    } else if (frame instanceof ClientFrame.Join f) {
      return f.gameId();
    } else if (frame instanceof ClientFrame.Subscribe f) {
      return f.gameId();
    } else if (frame instanceof ClientFrame.Unsubscribe f) {
      return f.gameId();
    } else if (frame instanceof ClientFrame.Resign f) {
      return f.gameId();
    } else if (frame instanceof ClientFrame.Leave f) {
      return f.gameId();
    }
    return null;
  }

  private void ask(ClientFrame request, String gameId,
      java.util.function.Function<ActorRef<Reply>, GameSession.Command> command) {
    long askedAt = System.nanoTime();
    getContext().pipeToSelf(sessions.ask(gameId, command),
        (reply, failure) -> new Replied(request, gameId, reply != null ? reply
            : Wire.rejected(ErrorCode.INTERNAL, "unexpected failure"), askedAt, false));
  }

  /** A create or join: counted against the player's games waiting or active. */
  private void askWithinLimit(ClientFrame request, String gameId,
      java.util.function.Function<ActorRef<Reply>, GameSession.Command> command, boolean retried) {
    long askedAt = System.nanoTime();
    getContext().pipeToSelf(sessions.askWithinLimit(player.playerId(), gameId, command),
        (reply, failure) -> new Replied(request, gameId, reply != null ? reply
            : Wire.rejected(ErrorCode.INTERNAL, "unexpected failure"), askedAt, retried));
  }

  private java.util.function.Function<ActorRef<Reply>, GameSession.Command> createCommand(ClientFrame.Create f) {
    return r -> new GameSession.Create(f.game(), Visibility.fromJson(f.visibility()), f.turnSeconds(),
        player.playerId(), player.name(), r);
  }

  /**
   * A create its game's shard could not answer in time (a hand-off, a lost member): the game does
   * not exist for the player yet, so it is created once more under another id, on a shard of a
   * member that stays. Should the first attempt still arrive and create its game, the player
   * leaves it (it aborts a waiting game; nobody was ever told its id), else it would wait in the
   * lobby until it expires.
   */
  private boolean createdElsewhere(Replied m) {
    if (!(m.request() instanceof ClientFrame.Create f) || m.retried() || closing
        || !(m.reply() instanceof GameSession.Rejected rejected) || Wire.code(rejected) != ErrorCode.UNAVAILABLE) {
      return false;
    }
    sessions.tell(m.gameId(), new GameSession.Leave(player.playerId(), "abandoned-create",
        getContext().getSystem().ignoreRef()));
    String gameId = sessions.newGameId();
    getContext().getLog().info("create of game {} unanswered; creating game {} instead", m.gameId(), gameId);
    askWithinLimit(f, gameId, createCommand(f), true);
    return true;
  }

  private Behavior<Msg> replied(Replied m) {
    String re = m.request().id();
    if (createdElsewhere(m)) {
      return this;
    }
    if (m.reply() instanceof GameSession.Rejected rejected) {
      send(new ServerFrame.Error(re, Wire.code(rejected), rejected.message()));
      return this;
    }
    GameSession.Accepted accepted = (GameSession.Accepted) m.reply();
    ClientFrame request = m.request();
    if (request instanceof ClientFrame.Create) {
      send(new ServerFrame.Created(re, m.gameId(), accepted.seat()));
      subscribe(m.gameId(), AFTER_SEAT);
    } else if (request instanceof ClientFrame.Join) {
      send(new ServerFrame.Joined(re, m.gameId(), accepted.seat()));
      subscribe(m.gameId(), AFTER_SEAT);
    } else if (request instanceof ClientFrame.Leave && isBeforeStart(accepted.state())) {
      send(new ServerFrame.Left(re, m.gameId()));
    } else {
      if (request instanceof ClientFrame.Move) {
        moveAcked.accept(System.nanoTime() - m.askedAt());
      }
      send(new ServerFrame.Ack(re, m.gameId(), accepted.seq()));
    }
    return this;
  }

  /** A leave answered with the game waiting, or aborted because the last player left, was no resignation. */
  private static boolean isBeforeStart(GameView state) {
    return state.status() == Status.WAITING || state.status() == Status.ABORTED;
  }

  // ---- subscriptions ----

  private void subscribe(String gameId, String correlationId) {
    Watch watch = watching.computeIfAbsent(gameId, id -> new Watch());
    watch.owed.add(correlationId);
    askToSubscribe(gameId, watch, correlationId);
  }

  /**
   * Sends a Subscribe and checks, after the sessions' attempt timeout, that the session answered.
   * A Subscribe is a message without a reply of its own, so a shard hand-off can drop it like any
   * command; unanswered, it is sent again as an ask would be (subscribing twice is harmless).
   */
  private void askToSubscribe(String gameId, Watch watch, String correlationId) {
    sessions.tell(gameId, new GameSession.Subscribe(updates, correlationId, player.playerId()));
    if (watch.confirmed) {
      watch.confirmed = false;
      watch.unansweredSince = System.nanoTime();
    }
    watch.round = ++subscribeRounds;
    Duration wait = sessions.attemptTimeout();
    getContext().scheduleOnce(wait, getContext().getSelf(), new SubscribeUnanswered(gameId, watch.round, wait));
  }

  private Behavior<Msg> subscribeUnanswered(SubscribeUnanswered m) {
    Watch watch = watching.get(m.gameId());
    if (closing || watch == null || watch.confirmed || watch.round != m.round()) {
      return this;
    }
    boolean timedOut = System.nanoTime() - watch.unansweredSince >= sessions.timeout().toNanos();
    if (timedOut && watch.owed.stream().anyMatch(Connection::isClientsOwn)) {
      // The client asked and waited as long as for any request: tell it, as an ask would.
      Set<String> told = new LinkedHashSet<>();
      watch.owed.removeIf(id -> isClientsOwn(id) && told.add(id));
      told.forEach(id -> send(new ServerFrame.Error(reOf(id), ErrorCode.UNAVAILABLE,
          "the game cannot be reached right now; retry")));
      if (watch.owed.isEmpty() && watch.seq < 0) {
        unsubscribe(m.gameId()); // never answered and only the client's: keep no place for it
        return this;
      }
    }
    String again = watch.owed.isEmpty() ? null : watch.owed.peekFirst();
    Duration next = m.waited().multipliedBy(2).compareTo(sessions.maxAttemptTimeout()) < 0
        ? m.waited().multipliedBy(2) : sessions.maxAttemptTimeout();
    if (sessions.mayResend()) {
      sessions.tell(m.gameId(), new GameSession.Subscribe(updates, again, player.playerId()));
    }
    watch.round = ++subscribeRounds;
    getContext().scheduleOnce(next, getContext().getSelf(), new SubscribeUnanswered(m.gameId(), watch.round, next));
    return this;
  }

  /** Whether a subscribe answer is owed to a subscribe frame of the client (not to taking a seat). */
  private static boolean isClientsOwn(String correlationId) {
    return correlationId != null && !correlationId.equals(AFTER_SEAT);
  }

  private void unsubscribe(String gameId) {
    Watch watch = watching.remove(gameId);
    if (watch != null) {
      if (watch.session != null) {
        getContext().unwatch(watch.session);
      }
      sessions.tell(gameId, new GameSession.Unsubscribe(updates));
    }
  }

  private Behavior<Msg> fromSession(GameSession.Update update) {
    Watch watch = watching.get(update.gameId());
    if (update instanceof GameSession.NotFound notFound) {
      watching.remove(notFound.gameId());
      send(new ServerFrame.Error(reOf(notFound.correlationId()), ErrorCode.NOT_FOUND, "no game " + notFound.gameId()));
    } else if (update instanceof GameSession.Refused refused) {
      watching.remove(refused.gameId()); // the game keeps no place for this socket: neither do we
      send(new ServerFrame.Error(reOf(refused.correlationId()), Wire.code(refused), refused.message()));
    } else if (watch == null) {
      return this; // unsubscribed meanwhile
    } else if (update instanceof GameSession.Current current) {
      current(watch, current);
    } else if (update instanceof GameSession.Applied applied) {
      applied(watch, applied);
    }
    return this;
  }

  private void current(Watch watch, GameSession.Current current) {
    if (watch.session == null || !watch.session.equals(current.session())) {
      if (watch.session != null) {
        getContext().unwatch(watch.session);
      }
      watch.session = current.session();
      getContext().watchWith(watch.session, new SessionStopped(current.gameId()));
    }
    watch.confirmed = true;
    boolean missedSomething = current.state().seq() > watch.seq;
    if (!watch.owed.isEmpty() || missedSomething) {
      watch.seq = Math.max(watch.seq, current.state().seq());
      watch.status = current.state().status();
      // Every subscribe answer owed is paid by this one (a resent Subscribe's answer, or the
      // first's, whichever came first); an answer to a request already answered is no answer.
      Set<String> res = new LinkedHashSet<>();
      watch.owed.forEach(id -> res.add(reOf(id)));
      watch.owed.clear();
      if (res.isEmpty()) {
        res.add(null);
      }
      res.forEach(re -> send(new ServerFrame.State(re, current.gameId(), Wire.state(current.state()))));
    }
  }

  private void applied(Watch watch, GameSession.Applied applied) {
    if (applied.seq() <= watch.seq) {
      return; // already shown
    }
    if (watch.seq >= 0 && applied.seq() > watch.seq + 1) {
      resubscribe(applied.gameId()); // a gap: the fresh state covers it
      return;
    }
    watch.seq = applied.seq();
    watch.status = applied.state().status();
    send(EVENT_FRAMES.text(applied));
  }

  /** The session stopped or moved: subscribe again, unless the game can change no more. */
  private Behavior<Msg> sessionStopped(SessionStopped m) {
    Watch watch = watching.get(m.gameId());
    if (watch != null) {
      watch.session = null;
      if (!watch.status.isOver()) {
        resubscribe(m.gameId());
      } else {
        watching.remove(m.gameId()); // over: nothing more will come, keep no entry for it
      }
    }
    return this;
  }

  private void resubscribe(String gameId) {
    Watch watch = watching.get(gameId);
    if (watch != null) {
      askToSubscribe(gameId, watch, null);
    }
  }

  /** The {@code re} of a subscription's answer: none for resubscriptions and seat-taking. */
  private static String reOf(String correlationId) {
    return correlationId == null || correlationId.equals(AFTER_SEAT) || correlationId.isEmpty() ? null : correlationId;
  }

  // ---- matchmaking ----

  private Behavior<Msg> fromMatchmaker(Matchmaker.Notice notice) {
    if (notice instanceof Matchmaker.Queued queued) {
      send(new ServerFrame.Queued(reOf(quickmatches.get(queued.game()))));
    } else if (notice instanceof Matchmaker.Cancelled cancelled) {
      send(new ServerFrame.Cancelled(reOf(quickmatches.remove(cancelled.game()))));
    } else if (notice instanceof Matchmaker.Matched matched) {
      quickmatches.remove(matched.game());
      if (watching.containsKey(matched.gameId())) {
        return this; // told again after the matchmaker moved: announced already
      }
      send(new ServerFrame.Matched(matched.game(), matched.gameId(), matched.seat()));
      subscribe(matched.gameId(), AFTER_SEAT);
    } else if (notice instanceof Matchmaker.Rejected rejected) {
      send(new ServerFrame.Error(reOf(quickmatches.remove(rejected.game())), Wire.code(rejected), rejected.message()));
    }
    return this;
  }

  // ---- closing ----

  private Behavior<Msg> nodeLeaving() {
    if (!closing) {
      send(new ServerFrame.Shutdown(settings.reconnectAfterMs()));
      close(CloseCodes.SERVICE_RESTART);
    }
    return this;
  }

  private Behavior<Msg> close(int code) {
    closing = true;
    closeCode.set(code);
    out.close();
    return this;
  }

  private Behavior<Msg> cleanUp() {
    // The matchmaker watches this actor and drops its queue entries by itself; a Cancel here
    // (by player id) could race the same player's enqueue from a new socket.
    registry.remove(getContext().getSelf());
    guard.closed();
    out.close(); // when the actor stops first (it failed): the socket closes, its stream ends
    for (String gameId : watching.keySet()) {
      sessions.tell(gameId, new GameSession.Unsubscribe(updates));
    }
    return this;
  }

  private void send(ServerFrame frame) {
    send(Json.frame(frame));
  }

  /** The text of one frame to the client, unless the client stopped reading. */
  private void send(String json) {
    switch (guard.reserve(json)) {
      case QUEUED -> {
        if (out.text(json) == Outbox.Sent.FULL) {
          overflow(); // more frames than the queue holds, however small
        }
      }
      case OVERFLOW -> overflow();
      case DROPPED -> { } // closed for that already
    }
  }

  /** The client stopped reading: drop its queue and close rather than hold the heap for it. */
  private void overflow() {
    closing = true;
    closeCode.set(CloseCodes.SLOW_READER);
    guard.abandon();
  }
}
