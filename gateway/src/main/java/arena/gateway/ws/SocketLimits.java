package arena.gateway.ws;

import arena.ErrorCode;
import arena.gateway.protocol.Bodies;
import arena.gateway.protocol.ErrorStatus;
import arena.gateway.protocol.Json;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;

/**
 * The node's WebSocket limits beyond the frame rate (issue 13): open sockets per player and per
 * client address, games one socket watches, and bytes queued for one socket. Counted per node:
 * behind a load balancer a player may hold this many sockets on each node.
 *
 * <p>Thread-safe: upgrades arrive on many threads, sockets close on others.
 */
public final class SocketLimits {

  /** Limit names, as counted in {@code arena_ws_limit_refusals_total{limit}}. */
  public static final String SOCKETS_PER_PLAYER = "sockets_per_player";
  public static final String SOCKETS_PER_ADDRESS = "sockets_per_address";
  public static final String WATCHED_GAMES = "watched_games_per_socket";
  public static final String OUTGOING_BYTES = "outgoing_bytes_per_socket";

  /**
   * From {@code arena.gateway.ws} (see the gateway's {@code reference.conf}).
   *
   * @param perAddress whether per-address limits apply ({@code ARENA_PER_ADDRESS_LIMITS})
   */
  public record Settings(int maxSocketsPerPlayer, int maxSocketsPerAddress, boolean perAddress,
      Duration retryAfter, int maxWatchedGames, long outgoingBufferBytes) {

    public Settings {
      require(maxSocketsPerPlayer >= 1, "max-sockets-per-player must be at least 1");
      require(maxSocketsPerAddress >= 1, "max-sockets-per-address must be at least 1");
      require(!retryAfter.isNegative() && retryAfter.toSeconds() >= 1, "socket-retry-after must be at least 1s");
      require(maxWatchedGames >= 1, "max-watched-games must be at least 1");
      require(outgoingBufferBytes >= 16 * 1024, "outgoing-buffer-bytes must be at least 16384");
    }

    public static Settings fromConfig(Config root) {
      Config c = root.getConfig("arena.gateway.ws");
      return new Settings(c.getInt("max-sockets-per-player"), c.getInt("max-sockets-per-address"),
          c.getBoolean("per-address-limits"), c.getDuration("socket-retry-after"),
          c.getInt("max-watched-games"), c.getBytes("outgoing-buffer-bytes"));
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException("arena.gateway.ws." + message);
      }
    }
  }

  private final Settings settings;
  private final Consumer<String> refused;
  private final Map<String, Integer> byPlayer = new ConcurrentHashMap<>();
  private final Map<String, Integer> byAddress = new ConcurrentHashMap<>();
  private final AtomicLong queuedBytes = new AtomicLong();

  /** {@code refused} is told the name of each limit that refused something (for the metric). */
  public SocketLimits(Settings settings, Consumer<String> refused) {
    this.settings = settings;
    this.refused = refused;
  }

  public Settings settings() {
    return settings;
  }

  /** A place for a new socket ({@code slot}), or the answer that refuses it ({@code refusal}). */
  public record Admission(Slot slot, HttpResponse refusal) {}

  /** A place for one more socket of {@code playerId} from {@code address}, or a 429 at a limit. */
  public Admission admit(String playerId, String address) {
    if (!take(byPlayer, playerId, settings.maxSocketsPerPlayer())) {
      refused.accept(SOCKETS_PER_PLAYER);
      return new Admission(null, refusal("a player may have at most " + settings.maxSocketsPerPlayer()
          + " open sockets on this node; close one first"));
    }
    String counted = settings.perAddress() ? address : null;
    if (counted != null && !take(byAddress, counted, settings.maxSocketsPerAddress())) {
      give(byPlayer, playerId);
      refused.accept(SOCKETS_PER_ADDRESS);
      return new Admission(null, refusal("an address may have at most " + settings.maxSocketsPerAddress()
          + " open sockets on this node; close one first"));
    }
    return new Admission(new Slot(playerId, counted), null);
  }

  /** The answer to an upgrade beyond a limit: 429 {@code rate_limited} with Retry-After. */
  private HttpResponse refusal(String message) {
    return HttpResponse.create().withStatus(ErrorStatus.httpStatus(ErrorCode.RATE_LIMITED))
        .addHeader(RetryAfter.create(settings.retryAfter().toSeconds()))
        .withEntity(ContentTypes.APPLICATION_JSON,
            Json.write(new Bodies.ErrorBody(ErrorCode.RATE_LIMITED, message)));
  }

  /** Sockets open for {@code playerId} on this node. */
  public int socketsOf(String playerId) {
    return byPlayer.getOrDefault(playerId, 0);
  }

  /** Bytes queued for every socket on this node, not yet handed to the network. */
  public long queuedBytes() {
    return queuedBytes.get();
  }

  /** The limits of one new socket. */
  SocketGuard guard(Slot slot) {
    return new SocketGuard(slot, settings.maxWatchedGames(), settings.outgoingBufferBytes(), queuedBytes, refused);
  }

  private static boolean take(Map<String, Integer> counts, String key, int max) {
    boolean[] taken = {false};
    counts.compute(key, (k, n) -> {
      int now = n == null ? 0 : n;
      if (now >= max) {
        return n;
      }
      taken[0] = true;
      return now + 1;
    });
    return taken[0];
  }

  private static void give(Map<String, Integer> counts, String key) {
    counts.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
  }

  /** One open socket's place in the counts; released once, when the socket's actor stops. */
  public final class Slot {
    private final String playerId;
    private final String address;
    private final AtomicBoolean released = new AtomicBoolean();

    private Slot(String playerId, String address) {
      this.playerId = playerId;
      this.address = address;
    }

    public void release() {
      if (released.compareAndSet(false, true)) {
        give(byPlayer, playerId);
        if (address != null) {
          give(byAddress, address);
        }
      }
    }
  }
}
