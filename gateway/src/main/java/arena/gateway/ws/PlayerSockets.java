package arena.gateway.ws;

import arena.gateway.Sessions;
import arena.gateway.auth.Player;
import arena.lobby.Matchmaker;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Turns an authenticated upgrade request into a player connection: a {@link Connection} actor
 * between a backpressured inbound stream and a bounded outbound queue.
 */
public final class PlayerSockets {

  /**
   * Frames a socket may have sent and its connection not yet taken up. A few, so that the stream
   * need not wait for the actor between frames; the actor's rate limit answers a flood.
   */
  private static final int INBOUND_WINDOW = 8;

  private final ActorSystem<?> system;
  private final Sessions sessions;
  private final ActorRef<Matchmaker.Command> matchmaker;
  private final WsSettings settings;
  private final ConnectionRegistry registry;
  private final WebSocketUpgrade upgrade;
  private final java.util.function.LongConsumer moveAcked;
  private final SocketLimits limits;

  public PlayerSockets(ActorSystem<?> system, Sessions sessions, ActorRef<Matchmaker.Command> matchmaker,
      WsSettings settings, ConnectionRegistry registry, java.util.function.LongConsumer moveAcked) {
    this(system, sessions, matchmaker, settings, registry, moveAcked,
        new SocketLimits(SocketLimits.Settings.fromConfig(system.settings().config()), limit -> {}));
  }

  public PlayerSockets(ActorSystem<?> system, Sessions sessions, ActorRef<Matchmaker.Command> matchmaker,
      WsSettings settings, ConnectionRegistry registry, java.util.function.LongConsumer moveAcked,
      SocketLimits limits) {
    this.limits = limits;
    this.system = system;
    this.sessions = sessions;
    this.matchmaker = matchmaker;
    this.settings = settings;
    this.registry = registry;
    this.upgrade = new WebSocketUpgrade(system, settings.maxFrameBytes());
    this.moveAcked = moveAcked;
  }

  /**
   * The 101 response that starts a player's connection, or empty if this is no upgrade request.
   * {@code clientAddress} is what the per-address limits count (resolved through trusted proxies).
   */
  public Optional<HttpResponse> open(HttpRequest request, Player player, String clientAddress) {
    if (!upgrade.isUpgrade(request)) {
      return Optional.empty();
    }
    SocketLimits.Admission admission = limits.admit(player.playerId(), clientAddress);
    if (admission.refusal() != null) {
      return Optional.of(admission.refusal());
    }
    SocketGuard guard = limits.guard(admission.slot());
    AtomicInteger closeCode = new AtomicInteger();
    Outbox outbox = new Outbox();
    ActorRef<Connection.Msg> connection = system.systemActorOf(
        Connection.create(player, sessions, matchmaker, outbox, closeCode, settings, registry, moveAcked, guard),
        "ws-" + UUID.randomUUID(), Props.empty());
    // The outgoing queue runs fused in the socket's stream: bounded (a client that does not read
    // is closed by its guard), and cut at once by the kill switch when it is abandoned (the close
    // frame then carries the connection's code, 1011), without logging an error.
    Source<String, NotUsed> outgoing = Source.<String>queue(settings.outgoingBuffer())
        .viaMat(KillSwitches.single(), Keep.both())
        .mapMaterializedValue(queueAndSwitch -> {
          guard.whenAbandoned(queueAndSwitch.second()::shutdown);
          outbox.attach(queueAndSwitch.first());
          return NotUsed.getInstance();
        })
        .map(json -> {
          guard.sent(json);
          return json;
        });
    // Messages arrive whole (TextMessages collects them, within the frame limit).
    Flow<Connection.Incoming, String, NotUsed> handler = Flow.fromSinkAndSourceCoupled(
        Sink.fromGraph(new InboundSink(connection, INBOUND_WINDOW)),
        outgoing);
    return Optional.of(upgrade.upgrade(request, handler, closeCode));
  }
}
