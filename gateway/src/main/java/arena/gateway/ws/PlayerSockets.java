package arena.gateway.ws;

import arena.gateway.Sessions;
import arena.gateway.auth.Player;
import arena.lobby.Matchmaker;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSink;

/**
 * Turns an authenticated upgrade request into a player connection: a {@link Connection} actor
 * between a backpressured inbound stream and a bounded outbound queue.
 */
public final class PlayerSockets {

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
    this.upgrade = new WebSocketUpgrade(system);
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
    Source<Message, NotUsed> outgoing = Source.<String>queue(settings.outgoingBuffer())
        .viaMat(KillSwitches.single(), Keep.both())
        .mapMaterializedValue(queueAndSwitch -> {
          guard.whenAbandoned(queueAndSwitch.second()::shutdown);
          outbox.attach(queueAndSwitch.first());
          return NotUsed.getInstance();
        })
        .map(json -> {
          guard.sent(json);
          return (Message) TextMessage.create(json);
        });
    Flow<Message, Message, NotUsed> handler = Flow.fromSinkAndSourceCoupled(
        Flow.<Message>create()
            .mapAsync(1, this::read)
            .to(ActorSink.<Connection.Incoming, Connection.Msg, Connection.Ack>actorRefWithBackpressure(
                connection,
                (ackTo, incoming) -> new Connection.Inbound(incoming, ackTo),
                Connection.Started::new,
                Connection.Ack.INSTANCE,
                Connection.ClientGone.INSTANCE,
                failure -> Connection.ClientGone.INSTANCE)),
        outgoing);
    return Optional.of(upgrade.upgrade(request, handler, closeCode));
  }

  /** Reads one message whole, but never more than the frame limit of it. */
  private CompletionStage<Connection.Incoming> read(Message message) {
    int max = settings.maxFrameBytes();
    if (!message.isText()) {
      message.asBinaryMessage().getStreamedData().runWith(Sink.ignore(), system);
      return CompletableFuture.completedFuture(new Connection.Incoming.Binary());
    }
    TextMessage text = message.asTextMessage();
    if (text.isStrict()) {
      return CompletableFuture.completedFuture(checked(text.getStrictText(), max));
    }
    return text.getStreamedText()
        .limitWeighted(max, chunk -> (long) chunk.length())
        .runFold(new StringBuilder(), StringBuilder::append, system)
        .thenApply(whole -> checked(whole.toString(), max))
        .exceptionally(tooLong -> new Connection.Incoming.TooLarge());
  }

  private static Connection.Incoming checked(String text, int maxBytes) {
    if (text.length() > maxBytes || text.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
      return new Connection.Incoming.TooLarge();
    }
    return new Connection.Incoming.Text(text);
  }
}
