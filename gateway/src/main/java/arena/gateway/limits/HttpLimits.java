package arena.gateway.limits;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;

import arena.ErrorCode;
import arena.gateway.protocol.Bodies;
import arena.gateway.protocol.ErrorStatus;
import arena.gateway.protocol.Json;
import com.typesafe.config.Config;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The HTTP API's abuse limits ({@code arena.gateway.http-limits}): requests per player, requests
 * per client address, registrations per client address. A request over a limit is answered 429
 * {@code rate_limited} with {@code Retry-After} (whole seconds) and counted in
 * {@code arena_http_rate_limited_total{limit=...}}. The per-address limits can be switched off
 * ({@code ARENA_PER_ADDRESS_LIMITS=off}) for load tests that drive many players from one machine.
 */
public final class HttpLimits {

  /** The limits as configured. */
  public record Settings(Rate perPlayer, Rate perAddress, Rate registrationsPerAddress, boolean perAddressEnabled,
      List<String> trustedProxies, int maxTracked, Duration idleExpiry) {

    public static Settings fromConfig(Config root) {
      Config c = root.getConfig("arena.gateway.http-limits");
      Settings settings = new Settings(Rate.fromConfig(c, "per-player"), Rate.fromConfig(c, "per-address"),
          Rate.fromConfig(c, "registrations-per-address"), c.getBoolean("per-address-enabled"),
          c.getStringList("trusted-proxies"), c.getInt("max-tracked"), c.getDuration("idle-expiry"));
      if (settings.maxTracked < 1) {
        throw new IllegalArgumentException("arena.gateway.http-limits.max-tracked must be at least 1");
      }
      return settings;
    }
  }

  private final Settings settings;
  private final ClientAddresses addresses;
  private final Buckets players;
  private final Buckets requestsByAddress;
  private final Buckets registrationsByAddress;
  private final Counter playerLimited;
  private final Counter addressLimited;
  private final Counter registrationLimited;
  private final Counter queriesFull;
  private final LongSupplier clock;

  public HttpLimits(Settings settings, MeterRegistry registry, LongSupplier nanoClock) {
    this.settings = settings;
    this.addresses = ClientAddresses.trusting(settings.trustedProxies(), "arena.gateway.http-limits.trusted-proxies");
    this.players = new Buckets(settings.perPlayer(), settings.maxTracked(), settings.idleExpiry());
    this.requestsByAddress = new Buckets(settings.perAddress(), settings.maxTracked(), settings.idleExpiry());
    this.registrationsByAddress =
        new Buckets(settings.registrationsPerAddress(), settings.maxTracked(), settings.idleExpiry());
    this.playerLimited = limited(registry, "player");
    this.addressLimited = limited(registry, "address");
    this.registrationLimited = limited(registry, "registration");
    this.queriesFull = Counter.builder("arena.http.unavailable").tag("reason", "queries-full")
        .description("HTTP requests answered 503 because too many database queries were waiting")
        .register(registry);
    this.clock = nanoClock;
  }

  private static Counter limited(MeterRegistry registry, String limit) {
    return Counter.builder("arena.http.rate.limited").tag("limit", limit)
        .description("HTTP requests answered 429 rate_limited, by the limit they exceeded").register(registry);
  }

  /** Every request from one client address (when per-address limits are on). */
  public Route perAddress(Supplier<Route> inner) {
    if (!settings.perAddressEnabled()) {
      return inner.get();
    }
    return extractRequest(request -> check(requestsByAddress, clientAddress(request), addressLimited,
        "too many requests from your address", inner));
  }

  /** Registrations ({@code POST /players}) from one client address (when per-address limits are on). */
  public Route registration(Supplier<Route> inner) {
    if (!settings.perAddressEnabled()) {
      return inner.get();
    }
    return extractRequest(request -> check(registrationsByAddress, clientAddress(request), registrationLimited,
        "too many new players from your address", inner));
  }

  /** Every authenticated request of one player. */
  public Route perPlayer(String playerId, Supplier<Route> inner) {
    return check(players, playerId, playerLimited, "too many requests", inner);
  }

  /** Counts a request refused because the query queue was full. */
  public void queriesFull() {
    queriesFull.increment();
  }

  /** The client address of {@code request}, trusting X-Forwarded-For only from trusted proxies. */
  public String clientAddress(HttpRequest request) {
    Optional<InetAddress> peer = request.getAttribute(AttributeKeys.remoteAddress).flatMap(RemoteAddress::getAddress);
    List<String> forwarded = new ArrayList<>();
    for (HttpHeader header : request.getHeaders()) {
      if (header.is("x-forwarded-for")) {
        forwarded.add(header.value());
      }
    }
    return addresses.resolve(peer, forwarded);
  }

  private Route check(Buckets buckets, String key, Counter counter, String message, Supplier<Route> inner) {
    long waitNanos = buckets.tryTake(key, clock.getAsLong());
    if (waitNanos == 0) {
      return inner.get();
    }
    counter.increment();
    long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
    Bodies.ErrorBody body = new Bodies.ErrorBody(ErrorCode.RATE_LIMITED, message + "; retry after " + seconds + " s");
    return complete(HttpResponse.create().withStatus(ErrorStatus.httpStatus(body.code()))
        .addHeader(RawHeader.create("Retry-After", Long.toString(seconds)))
        .withEntity(ContentTypes.APPLICATION_JSON, Json.write(body)));
  }
}
