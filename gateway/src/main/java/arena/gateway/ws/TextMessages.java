package arena.gateway.ws;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.pekko.http.impl.engine.ws.FrameEvent$;
import org.apache.pekko.http.impl.engine.ws.FrameHandler;
import org.apache.pekko.http.impl.engine.ws.Protocol;
import org.apache.pekko.http.impl.engine.ws.WebSocket;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BidiShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * The top of the gateway's WebSocket stack: whole text messages in, text frames out, in one stage.
 *
 * <p>It takes the place of Pekko HTTP's message layer and keep-alive layer (its {@code messageAPI}
 * and {@code periodicKeepAlive}) over the same frame handling. Pekko's message layer gives every
 * incoming message a sub-stream of its own ({@code splitAfter}, then {@code prefixAndTail}: a
 * materialization and two subscription timers per message), renders every outgoing message through
 * a {@code flatMapConcat}, ticks a close timer every 3 s for the socket's whole life, and its
 * keep-alive re-arms a timer on every incoming frame. A player's socket carries small text frames
 * (ARENA-SPEC §4), so this stage collects a text message into a string as its parts arrive (at most
 * {@code maxBytes}: past it the message is {@link Connection.Incoming.TooLarge too large} at once
 * and its rest is skipped), renders each outgoing string as one text frame, checks every half
 * {@code keepAliveIdle} whether the peer was silent that long (then pings it, as Pekko's setting
 * {@code periodic-keep-alive-max-idle} does), and ticks the close handler's timeout only once a
 * close has begun.
 *
 * <p>The close handshake is Pekko's own ({@code FrameOutHandler}, below this stage): this stage
 * passes on the same events Pekko's message layer does (control frames to answer, the peer's
 * close, the handler's completion or failure, ticks) in the same order.
 */
final class TextMessages extends GraphStage<BidiShape<FrameHandler.Output, Connection.Incoming, String, Object>> {

  private static final Object TICK = WebSocket.Tick$.MODULE$;
  // RFC 6455 §5.2 opcodes
  private static final Protocol.Opcode TEXT = Protocol.Opcode$.MODULE$.forCode((byte) 0x1);
  private static final Protocol.Opcode PING = Protocol.Opcode$.MODULE$.forCode((byte) 0x9);
  private static final Protocol.Opcode PONG = Protocol.Opcode$.MODULE$.forCode((byte) 0xA);
  private static final String CLOSE_TICK = "close-tick";
  private static final String KEEP_ALIVE = "keep-alive";
  private static final Duration CLOSE_TICK_INTERVAL = Duration.ofSeconds(1);

  private final Inlet<FrameHandler.Output> fromPeer = Inlet.create("TextMessages.fromPeer");
  private final Outlet<Connection.Incoming> toHandler = Outlet.create("TextMessages.toHandler");
  private final Inlet<String> fromHandler = Inlet.create("TextMessages.fromHandler");
  private final Outlet<Object> toPeer = Outlet.create("TextMessages.toPeer");
  private final BidiShape<FrameHandler.Output, Connection.Incoming, String, Object> shape =
      BidiShape.of(fromPeer, toHandler, fromHandler, toPeer);

  private final int maxBytes;
  /** Silence from the peer after which it is pinged; null for never. */
  private final Duration keepAliveIdle;
  private final boolean keepAlivePing;
  private final scala.Function0<ByteString> keepAliveData;

  /**
   * @param maxBytes the largest text message taken, in UTF-8 bytes
   * @param keepAliveIdle how long the peer may be silent before it is sent a ping (or an
   *     unsolicited pong), or null for never
   */
  TextMessages(int maxBytes, Duration keepAliveIdle, boolean keepAlivePing, scala.Function0<ByteString> keepAliveData) {
    this.maxBytes = maxBytes;
    this.keepAliveIdle = keepAliveIdle;
    this.keepAlivePing = keepAlivePing;
    this.keepAliveData = keepAliveData;
  }

  @Override
  public BidiShape<FrameHandler.Output, Connection.Incoming, String, Object> shape() {
    return shape;
  }

  @Override
  public Attributes initialAttributes() {
    return Attributes.name("arena-text-messages");
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new Logic();
  }

  private final class Logic extends TimerGraphStageLogic {

    /** The text of the message being collected, when it came in more than one part. */
    private StringBuilder partial;
    /** The rest of a message already answered as too large (or not wanted) is dropped. */
    private boolean skipping;
    private boolean closeTicking;
    private long lastHeard = System.nanoTime();

    Logic() {
      super(shape);
      setHandler(fromPeer, new AbstractInHandler() {
        @Override
        public void onPush() {
          fromPeer(grab(fromPeer));
        }

        @Override
        public void onUpstreamFinish() {
          // The frame handler is done (the TCP connection closed): the handler's input ends; the
          // close handler below still hears how the handler ends, then everything completes.
          if (!isClosed(toHandler)) {
            complete(toHandler);
          }
          if (isClosed(fromHandler)) {
            complete(toPeer);
          }
        }
      });
      setHandler(fromHandler, new AbstractInHandler() {
        @Override
        public void onPush() {
          String text = grab(fromHandler);
          emit(toPeer, FrameEvent$.MODULE$.fullFrame(TEXT, scala.Option.empty(),
              ByteString.fromString(text, StandardCharsets.UTF_8), true, false, false, false), Logic.this::pullHandler);
        }

        @Override
        public void onUpstreamFinish() {
          handlerEnded(FrameHandler.UserHandlerCompleted$.MODULE$);
        }

        @Override
        public void onUpstreamFailure(Throwable failure) {
          handlerEnded(new FrameHandler.UserHandlerErredOut(failure));
        }
      });
      setHandler(toHandler, new AbstractOutHandler() {
        @Override
        public void onPull() {
          // what the peer sends is taken as it comes (one message at a time: see fromPeer)
        }

        @Override
        public void onDownstreamFinish(Throwable cause) {
          // The handler stopped reading: its messages are dropped, control frames still pass. A
          // message that was waiting for it is dropped with its emission, so read on from here
          // (else the peer's close would wait unread until the close timeout).
          pullPeer();
        }
      });
      setHandler(toPeer, new AbstractOutHandler() {
        @Override
        public void onPull() {
          // frames go out through emit, which waits for this pull
        }

        @Override
        public void onDownstreamFinish(Throwable cause) {
          // The close handler is done: so is the socket.
          completeStage();
        }
      });
    }

    @Override
    public void preStart() {
      pull(fromPeer);
      pull(fromHandler);
      if (keepAliveIdle != null) {
        scheduleWithFixedDelay(KEEP_ALIVE, keepAliveIdle.dividedBy(2), keepAliveIdle.dividedBy(2));
      }
    }

    @Override
    public void onTimer(Object key) {
      if (CLOSE_TICK.equals(key)) {
        if (isAvailable(toPeer)) {
          push(toPeer, TICK);
        }
      } else if (KEEP_ALIVE.equals(key) && System.nanoTime() - lastHeard >= keepAliveIdle.toNanos()
          && !closeTicking && !isClosed(toPeer)) {
        lastHeard = System.nanoTime();
        emit(toPeer, new FrameHandler.DirectAnswer(FrameEvent$.MODULE$.fullFrame(
            keepAlivePing ? PING : PONG, scala.Option.empty(),
            keepAliveData.apply(), true, false, false, false)));
      }
    }

    private void pullHandler() {
      if (!isClosed(fromHandler) && !hasBeenPulled(fromHandler)) {
        pull(fromHandler);
      }
    }

    private void pullPeer() {
      if (!isClosed(fromPeer) && !hasBeenPulled(fromPeer)) {
        pull(fromPeer);
      }
    }

    private void fromPeer(FrameHandler.Output output) {
      lastHeard = System.nanoTime();
      if (output instanceof FrameHandler.TextMessagePart part) {
        text(part.data(), part.last());
      } else if (output instanceof FrameHandler.BinaryMessagePart part) {
        // Binary messages are not part of the protocol: the handler hears that one came (and answers
        // it), never its bytes.
        if (skipping) {
          skipping = !part.last();
          pullPeer();
        } else if (part.last()) {
          deliver(new Connection.Incoming.Binary());
        } else {
          skipping = true;
          deliver(new Connection.Incoming.Binary());
        }
      } else if (output instanceof FrameHandler.PeerClosed closed) {
        // As Pekko's message layer does: a close with an error code, or in the middle of a message,
        // fails the handler's input; a regular close completes it.
        if (!isClosed(toHandler)) {
          boolean error = closed.code().isDefined() && Protocol.CloseCodes$.MODULE$.isError((Integer) closed.code().get());
          if (error || partial != null || skipping) {
            fail(toHandler, new IllegalStateException("the peer closed the socket "
                + (error ? "with code " + closed.code().get() : "in the middle of a message")));
          } else {
            complete(toHandler);
          }
        }
        emit(toPeer, closed, this::pullPeer);
      } else if (output instanceof FrameHandler.ActivelyCloseWithCode close) {
        // The frame handler found a protocol error and closes with its code: the handler's input fails.
        if (!isClosed(toHandler)) {
          fail(toHandler, new IllegalStateException("WebSocket protocol error, closing with " + close.code()));
        }
        startCloseTicks();
        emit(toPeer, close, this::pullPeer);
      } else if (output instanceof FrameHandler.BypassEvent) {
        // a control frame to answer (a ping's pong)
        emit(toPeer, output, this::pullPeer);
      } else {
        // the end of a message, already delivered with its last part
        pullPeer();
      }
    }

    private void text(String data, boolean last) {
      if (skipping) {
        skipping = !last;
        pullPeer();
        return;
      }
      if (partial == null && last) {
        deliver(checked(data));
        return;
      }
      if (partial == null) {
        partial = new StringBuilder(Math.min(maxBytes, Math.max(64, data.length() * 2)));
      }
      partial.append(data);
      if (partial.length() > maxBytes) {
        // Answered at once; the rest of it is not kept.
        partial = null;
        skipping = !last;
        deliver(new Connection.Incoming.TooLarge());
      } else if (last) {
        String whole = partial.toString();
        partial = null;
        deliver(checked(whole));
      } else {
        pullPeer();
      }
    }

    private Connection.Incoming checked(String text) {
      // A UTF-8 byte takes at least one UTF-16 char, and a char at most three bytes: the encoded
      // length is only needed between maxBytes / 3 and maxBytes chars.
      if (text.length() > maxBytes
          || (text.length() * 3L > maxBytes && text.getBytes(StandardCharsets.UTF_8).length > maxBytes)) {
        return new Connection.Incoming.TooLarge();
      }
      return new Connection.Incoming.Text(text);
    }

    private void deliver(Connection.Incoming incoming) {
      if (isClosed(toHandler)) {
        pullPeer();
      } else {
        emit(toHandler, incoming, this::pullPeer);
      }
    }

    private void handlerEnded(Object how) {
      startCloseTicks();
      emit(toPeer, how, () -> {
        if (isClosed(fromPeer)) {
          complete(toPeer);
        }
      });
    }

    /** Our side closes: the close handler times the peer's answer on these ticks. */
    private void startCloseTicks() {
      if (!closeTicking) {
        closeTicking = true;
        cancelTimer(KEEP_ALIVE);
        scheduleWithFixedDelay(CLOSE_TICK, CLOSE_TICK_INTERVAL, CLOSE_TICK_INTERVAL);
      }
    }
  }
}
