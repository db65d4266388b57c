package arena.gateway.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Players' HTTP requests, counted and timed by method, route template and status
 * ({@code arena_http_requests_seconds_*}). Labels never hold an id: a path is reduced to the
 * template of the spec's route it matches ({@code /api/v1/games/{gameId}}), everything else to
 * {@code static} (the web client's files) or {@code other}, so that the number of series stays
 * fixed whatever clients send.
 */
public final class HttpMetrics extends AllDirectives {

  private static final Pattern SEGMENT = Pattern.compile("[^/]+");
  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH");
  private static final Set<String> STATIC = Set.of(".html", ".js", ".css", ".png", ".svg", ".ico", ".json", ".map");

  private final MeterRegistry registry;
  private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();

  public HttpMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * {@code inner}, measured from the moment its route sees the request to its response. A
   * request that runs into Pekko HTTP's request timeout is answered 503 {@code unavailable}
   * here (Pekko's own answer would log the request line, which may hold a token).
   */
  public Route measure(Supplier<Route> inner) {
    return extractRequest(request -> {
      long started = System.nanoTime();
      String method = METHODS.contains(request.method().value()) ? request.method().value() : "other";
      String route = template(request.getUri().path());
      return withRequestTimeoutResponse(HttpMetrics::timedOut, () -> mapResponse(response -> {
        record(method, route, response.status().intValue(), System.nanoTime() - started);
        return response;
      }, inner));
    });
  }

  private static HttpResponse timedOut(HttpRequest request) {
    return HttpResponse.create().withStatus(503).withEntity(ContentTypes.APPLICATION_JSON,
        "{\"code\":\"unavailable\",\"message\":\"the request took too long; retry\"}");
  }

  private void record(String method, String route, int status, long nanos) {
    timers.computeIfAbsent(method + ' ' + route + ' ' + status, key -> Timer.builder("arena.http.requests")
            .description("Players' HTTP requests (API, WebSocket upgrades, web client) by method, route template and status")
            .tag("method", method).tag("route", route).tag("status", String.valueOf(status))
            .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
                Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
                Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5))
            .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** The spec's route template a path matches (ARENA-SPEC §3 and §4), {@code static} or {@code other}. */
  public static String template(String path) {
    String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    switch (p) {
      case "/", "/health", "/ws", "/api/v1/players", "/api/v1/games", "/api/v1/games/catalog",
          "/api/v1/players/me/games", "/api/v1/players/me/token", "/api/v1/ws-ticket", "/api/v1/leaderboard" -> {
        return p;
      }
      default -> { }
    }
    if (p.startsWith("/api/v1/games/")) {
      String rest = p.substring("/api/v1/games/".length());
      int slash = rest.indexOf('/');
      if (slash < 0 && SEGMENT.matcher(rest).matches()) {
        return "/api/v1/games/{gameId}";
      }
      if (slash > 0 && rest.substring(slash).equals("/events")) {
        return "/api/v1/games/{gameId}/events";
      }
      return "other";
    }
    if (!p.startsWith("/api/")) {
      int dot = p.lastIndexOf('.');
      if (dot > p.lastIndexOf('/') && STATIC.contains(p.substring(dot))) {
        return "static";
      }
    }
    return "other";
  }
}
