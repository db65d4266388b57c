package arena.gateway.ws;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.impl.engine.ws.FrameEvent;
import org.apache.pekko.http.impl.engine.ws.FrameLogger$;
import org.apache.pekko.http.impl.engine.ws.UpgradeToWebSocketLowLevel;
import org.apache.pekko.http.impl.engine.ws.WebSocket$;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Graph;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.scaladsl.BidiFlow;
import scala.concurrent.duration.FiniteDuration;

/**
 * Upgrades a request to a WebSocket whose handler takes whole text messages and gives strings to
 * send, and whose close code the connection may choose (see {@link CloseCodes}).
 *
 * <p>The stack is Pekko HTTP's own frame layers (masking, frame logging when enabled, frame and
 * close handling) under {@link TextMessages} instead of Pekko's message and keep-alive layers. It
 * is built once; each socket joins it with its handler.
 */
final class WebSocketUpgrade {

  private static final FiniteDuration CLOSE_TIMEOUT = FiniteDuration.create(3, "seconds");

  /** Frames in from the peer and out to it, around a handler of whole messages; built once. */
  private final BidiFlow<FrameEvent, Connection.Incoming, String, FrameEvent, NotUsed> stack;

  WebSocketUpgrade(ActorSystem<?> system, int maxMessageBytes) {
    var settings = (org.apache.pekko.http.scaladsl.settings.WebSocketSettings)
        ServerSettings.create(system.classicSystem()).getWebsocketSettings();
    scala.concurrent.duration.Duration maxIdle = settings.periodicKeepAliveMaxIdle();
    Duration keepAliveIdle = maxIdle.isFinite() ? Duration.ofNanos(maxIdle.toNanos()) : null;
    if (!"ping".equals(settings.periodicKeepAliveMode()) && !"pong".equals(settings.periodicKeepAliveMode())) {
      throw new IllegalArgumentException("pekko.http.server.websocket.periodic-keep-alive-mode must be ping or pong, not "
          + settings.periodicKeepAliveMode());
    }
    TextMessages messages = new TextMessages(maxMessageBytes, keepAliveIdle,
        "ping".equals(settings.periodicKeepAliveMode()), settings.periodicKeepAliveData());
    // Frame logging (pekko.http.server.websocket.log-frames) is a layer only when it is on: off,
    // Pekko's is a pair of pass-through stages, two more stage logics in every socket's stream.
    this.stack = layers(WebSocket$.MODULE$.masking(true, settings.randomFactory()),
        settings.logFrames() ? FrameLogger$.MODULE$.logFramesIfEnabled(true) : null,
        WebSocket$.MODULE$.frameHandling(true, CLOSE_TIMEOUT, system.classicSystem().log()),
        messages);
  }

  /**
   * The layers stacked bottom to top. Scala's shapes are co- and contravariant in their element
   * types, Java's generics are not: the layers fit (a {@code FrameStart} is a {@code FrameEvent}),
   * the compiler only needs telling.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static BidiFlow<FrameEvent, Connection.Incoming, String, FrameEvent, NotUsed> layers(
      BidiFlow<?, ?, ?, ?, NotUsed> masking, BidiFlow<?, ?, ?, ?, NotUsed> logging,
      BidiFlow<?, ?, ?, ?, NotUsed> frameHandling, TextMessages messages) {
    BidiFlow stacked = (BidiFlow) masking;
    if (logging != null) {
      stacked = stacked.atop((Graph) logging);
    }
    return stacked.atop((Graph) frameHandling).atop((Graph) messages);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Graph<FlowShape<FrameEvent, FrameEvent>, Object> asGraph(
      org.apache.pekko.stream.scaladsl.Flow<FrameEvent, FrameEvent, NotUsed> flow) {
    return (Graph) flow;
  }

  boolean isUpgrade(HttpRequest request) {
    return request.getAttribute(AttributeKeys.webSocketUpgrade).orElse(null) instanceof UpgradeToWebSocketLowLevel;
  }

  /** The 101 response; only for a request that {@link #isUpgrade is an upgrade}. */
  HttpResponse upgrade(HttpRequest request, Flow<Connection.Incoming, String, NotUsed> handler, AtomicInteger closeCode) {
    var lowLevel = (UpgradeToWebSocketLowLevel) request.getAttribute(AttributeKeys.webSocketUpgrade).orElseThrow();
    org.apache.pekko.stream.scaladsl.Flow<FrameEvent, FrameEvent, NotUsed> frames =
        stack.join(handler.asScala()).via(CloseCodes.rewrite(closeCode).asScala());
    return lowLevel.handleFrames(asGraph(frames), scala.Option.empty());
  }

}
