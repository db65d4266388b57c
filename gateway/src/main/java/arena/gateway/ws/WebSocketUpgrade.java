package arena.gateway.ws;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.impl.engine.ws.FrameEvent;
import org.apache.pekko.http.impl.engine.ws.UpgradeToWebSocketLowLevel;
import org.apache.pekko.http.impl.engine.ws.WebSocket$;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.stream.javadsl.Flow;
import scala.concurrent.duration.FiniteDuration;

/**
 * Upgrades a request to a WebSocket whose handler is a message flow, like Pekko HTTP's
 * {@code handleMessages}, but whose close code the connection may choose (see {@link CloseCodes}).
 */
final class WebSocketUpgrade {

  private static final FiniteDuration CLOSE_TIMEOUT = FiniteDuration.create(3, "seconds");

  private final ActorSystem<?> system;
  private final org.apache.pekko.http.scaladsl.settings.WebSocketSettings settings;

  WebSocketUpgrade(ActorSystem<?> system) {
    this.system = system;
    this.settings = (org.apache.pekko.http.scaladsl.settings.WebSocketSettings)
        ServerSettings.create(system.classicSystem()).getWebsocketSettings();
  }

  /** Scala's Graph is covariant in its materialized value; Java's generics are not. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static org.apache.pekko.stream.Graph<org.apache.pekko.stream.FlowShape<FrameEvent, FrameEvent>, Object> asGraph(
      org.apache.pekko.stream.scaladsl.Flow<FrameEvent, FrameEvent, NotUsed> flow) {
    return (org.apache.pekko.stream.Graph) flow;
  }

  boolean isUpgrade(HttpRequest request) {
    return request.getAttribute(AttributeKeys.webSocketUpgrade).orElse(null) instanceof UpgradeToWebSocketLowLevel;
  }

  /** The 101 response; only for a request that {@link #isUpgrade is an upgrade}. */
  HttpResponse upgrade(HttpRequest request, Flow<Message, Message, NotUsed> handler, AtomicInteger closeCode) {
    var lowLevel = (UpgradeToWebSocketLowLevel) request.getAttribute(AttributeKeys.webSocketUpgrade).orElseThrow();
    Flow<org.apache.pekko.http.scaladsl.model.ws.Message, org.apache.pekko.http.scaladsl.model.ws.Message, NotUsed> scalaHandler =
        Flow.<org.apache.pekko.http.scaladsl.model.ws.Message>create()
            .map(Message::adapt)
            .via(handler)
            .map(Message::asScala);
    org.apache.pekko.stream.scaladsl.Flow<FrameEvent, FrameEvent, NotUsed> frames =
        WebSocket$.MODULE$.stack(true, settings, CLOSE_TIMEOUT, system.classicSystem().log())
            .join(scalaHandler.asScala())
            .via(CloseCodes.rewrite(closeCode).asScala());
    return lowLevel.handleFrames(asGraph(frames), scala.Option.empty());
  }

}
