package arena.gateway.ws;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Limits of one player connection, from {@code arena.gateway.ws} (see the gateway's
 * {@code reference.conf} for what each one protects).
 */
public record WsSettings(int maxFrameBytes, double framesPerSecond, int burst, int abuseFrames,
    Duration abuseWindow, int outgoingBuffer, long reconnectAfterMs) {

  public WsSettings {
    if (maxFrameBytes < 256 || framesPerSecond <= 0 || burst < 1 || abuseFrames < 1 || outgoingBuffer < 16) {
      throw new IllegalArgumentException("arena.gateway.ws: a limit is out of range");
    }
  }

  public static WsSettings fromConfig(Config root) {
    Config c = root.getConfig("arena.gateway.ws");
    return new WsSettings(c.getInt("max-frame-bytes"), c.getDouble("frames-per-second"),
        c.getInt("burst"), c.getInt("abuse-frames"), c.getDuration("abuse-window"),
        c.getInt("outgoing-buffer"), c.getDuration("reconnect-after").toMillis());
  }
}
