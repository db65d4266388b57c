package arena.gateway.ws;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.impl.engine.ws.FrameEvent;
import org.apache.pekko.http.impl.engine.ws.FrameEvent$;
import org.apache.pekko.http.impl.engine.ws.FrameStart;
import org.apache.pekko.stream.javadsl.Flow;

/**
 * Gives the close frame the code the connection chose.
 *
 * <p>Pekko HTTP's message-level WebSocket API closes with 1000 when the handler completes and
 * 1011 when it fails, with no way to choose: but ARENA-SPEC §4 asks for 1009 (too large), 1008
 * (abuse) and 1012 (node leaving). So the gateway assembles Pekko's own WebSocket stack itself
 * ({@link WebSocketUpgrade}) and puts this stage under it, where it rewrites the close frame
 * Pekko emits after the handler completed. This leans on Pekko HTTP internals (pinned by the
 * build, covered by the gateway's end-to-end tests).
 */
final class CloseCodes {

  static final int NORMAL = 1000;
  static final int POLICY_VIOLATION = 1008;
  static final int TOO_BIG = 1009;
  /** A client too slow to read its frames (docs/protocol.md): what Pekko sends when a handler fails. */
  static final int SLOW_READER = 1011;
  static final int SERVICE_RESTART = 1012;
  private static final int CLOSE_OPCODE = 0x8;

  private CloseCodes() {}

  /** Replaces the code of an outgoing close frame with {@code chosen}, once one is chosen. */
  static Flow<FrameEvent, FrameEvent, NotUsed> rewrite(AtomicInteger chosen) {
    return Flow.<FrameEvent>create().map(frame -> {
      int code = chosen.get();
      if (code != 0 && frame instanceof FrameStart start && start.header().opcode().code() == CLOSE_OPCODE) {
        return FrameEvent$.MODULE$.closeFrame(code, "", scala.Option.empty());
      }
      return frame;
    });
  }
}
