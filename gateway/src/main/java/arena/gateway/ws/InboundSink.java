package arena.gateway.ws;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.SinkShape;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;

/**
 * Hands a socket's messages to its {@link Connection} actor with backpressure by credit: at most
 * {@code window} messages sent and not yet taken up by the actor. Pekko's
 * {@code ActorSink.actorRefWithBackpressure} waits for an acknowledgement message after each
 * message, one more actor message and stream wake-up per frame; here the actor counts what it took
 * up, and the stream is woken only when it had stopped for want of credit.
 *
 * <p>The actor is told {@link Connection.Started} first, then an {@link Connection.Inbound} per
 * message, then {@link Connection.ClientGone} once the socket's input ends or fails.
 */
final class InboundSink extends GraphStage<SinkShape<Connection.Incoming>> {

  private final Inlet<Connection.Incoming> in = Inlet.create("InboundSink.in");
  private final SinkShape<Connection.Incoming> shape = SinkShape.of(in);
  private final ActorRef<Connection.Msg> connection;
  private final int window;

  InboundSink(ActorRef<Connection.Msg> connection, int window) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1");
    }
    this.connection = connection;
    this.window = window;
  }

  @Override
  public SinkShape<Connection.Incoming> shape() {
    return shape;
  }

  @Override
  public Attributes initialAttributes() {
    return Attributes.name("arena-inbound");
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new GraphStageLogic(shape) {
      /** Messages the stream may still send before the actor takes one up. */
      private final AtomicInteger credit = new AtomicInteger(window);
      private AsyncCallback<Boolean> resume;
      /**
       * Called by the actor for each message it took up. Credit is 0 only while the stream waits
       * for it (only the stream takes credit), so the call that finds 0 is the one that wakes it.
       */
      private final Connection.Credit handled = () -> {
        if (credit.getAndIncrement() == 0) {
          resume.invoke(Boolean.TRUE);
        }
      };

      {
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            connection.tell(new Connection.Inbound(grab(in), handled));
            if (credit.decrementAndGet() > 0) {
              pull(in);
            }
          }

          @Override
          public void onUpstreamFinish() {
            connection.tell(Connection.ClientGone.INSTANCE);
            completeStage();
          }

          @Override
          public void onUpstreamFailure(Throwable failure) {
            connection.tell(Connection.ClientGone.INSTANCE);
            failStage(failure);
          }
        });
      }

      @Override
      public void preStart() {
        resume = createAsyncCallback(ignored -> {
          if (!isClosed(in) && !hasBeenPulled(in)) {
            pull(in);
          }
        });
        connection.tell(Connection.Started.INSTANCE);
        pull(in);
      }
    };
  }
}
