package arena.gateway;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import arena.ErrorCode;
import arena.gateway.auth.Player;
import arena.gateway.auth.TicketLedger;
import arena.gateway.auth.Tokens;
import arena.gateway.limits.HttpLimits;
import arena.gateway.ops.NodeState;
import arena.gateway.protocol.Bodies;
import arena.gateway.protocol.ErrorStatus;
import arena.gateway.protocol.Json;
import arena.gateway.protocol.ProtocolException;
import arena.gateway.protocol.RequestBodies;
import arena.gateway.protocol.Wire;
import arena.gateway.reads.Queries;
import arena.gateway.ws.PlayerSockets;
import arena.lobby.Lobby;
import arena.persistence.history.GameHistory;
import arena.persistence.leaderboard.Leaderboard;
import arena.rules.GameCatalog;
import arena.session.GameIds;
import arena.session.GameSession;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The players' HTTP API (ARENA-SPEC §3), the WebSocket endpoint and the web client. Every error
 * is the spec's JSON error with a fitting status; every query parameter and body field is checked
 * and refused when out of range, never clamped.
 */
public final class HttpApi extends AllDirectives {

  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
  private static final long MAX_BODY_BYTES = 64 * 1024;

  private final ActorSystem<?> system;
  private final Tokens tokens;
  private final Sessions sessions;
  private final PlayerSockets sockets;
  private final HttpLimits limits;
  private final Queries queries;
  private final TicketLedger tickets;
  private final GameLists lists;

  public HttpApi(ActorSystem<?> system, Tokens tokens, Sessions sessions, ActorRef<Lobby.Command> lobby,
      DataSource readPool, PlayerSockets sockets, Duration timeout) {
    this(system, tokens, sessions, lobby, readPool, sockets, timeout, new GameLists(null));
  }

  /**
   * As above, the game lists read from {@code lists}. ({@code lobby} and {@code timeout} are no
   * longer read: the lists come from the game directory. They stay in the signature for callers.)
   */
  public HttpApi(ActorSystem<?> system, Tokens tokens, Sessions sessions, ActorRef<Lobby.Command> lobby,
      DataSource readPool, PlayerSockets sockets, Duration timeout, GameLists lists) {
    this.lists = lists;
    this.system = system;
    this.tokens = tokens;
    this.sessions = sessions;
    this.sockets = sockets;
    var metrics = NodeState.get(system).metrics();
    this.limits = new HttpLimits(HttpLimits.Settings.fromConfig(system.settings().config()),
        metrics == null ? new io.micrometer.core.instrument.simple.SimpleMeterRegistry() : metrics.registry(),
        System::nanoTime);
    this.queries = new Queries(readPool, Queries.Settings.fromConfig(system.settings().config()));
    this.tickets = TicketLedger.get(system);
  }

  public Route route() {
    return handleExceptions(exceptions(), () -> handleRejections(rejections(), () -> concat(
        path("health", () -> get(() -> complete(StatusCodes.OK, "ok"))),
        limits.perAddress(() -> concat(
        pathPrefix(segment("api").slash("v1"), this::api),
        path("ws", this::webSocket),
        pathSingleSlash(() -> get(() -> getFromResource("web/index.html", ContentTypes.TEXT_HTML_UTF8))),
        get(() -> getFromResourceDirectory("web")))))));
  }

  private Route api() {
    return concat(
        path("players", () -> post(() -> limits.registration(() -> body(RequestBodies::newPlayer, this::createPlayer)))),
        path(segment("players").slash("me").slash("token"), () -> post(() -> authenticated(this::refreshToken))),
        path("ws-ticket", () -> post(() -> authenticated(this::wsTicket))),
        path(segment("players").slash("me").slash("games"), () -> authenticated(player ->
            get(() -> parameterMap(query -> gameList(() -> lists.playerGames(player.playerId(), query)))))),
        path(segment("games").slash("catalog"), () -> get(() -> json(StatusCodes.OK, catalog()))),
        pathPrefix("games", () -> authenticated(player -> concat(
            pathEnd(() -> concat(
                post(() -> body(RequestBodies::newGame, body -> createGame(player, body))),
                get(() -> parameterMap(query -> gameList(() -> lists.publicGames(query)))))),
            path(segment(), gameId -> get(() -> gameState(gameId))),
            path(segment().slash("events"), gameId -> get(() -> parameterMap(query -> events(gameId, query))))))),
        path("leaderboard", () -> authenticated(player -> get(() -> parameterMap(this::leaderboard)))));
  }

  // ---- players and games ----

  private Route createPlayer(RequestBodies.NewPlayer body) {
    Player player = new Player(UUID.randomUUID().toString(), body.name());
    return json(StatusCodes.CREATED, new Bodies.PlayerToken(player.playerId(), player.name(), tokens.issue(player)));
  }

  /** A fresh token for the same player: same id, same name, a new expiry, signed with the current key. */
  private Route refreshToken(Player player) {
    return json(StatusCodes.OK, new Bodies.PlayerToken(player.playerId(), player.name(), tokens.issue(player)));
  }

  /** A single-use ticket for one WebSocket upgrade on any node, so that no token sits in a URL. */
  private Route wsTicket(Player player) {
    Tokens.IssuedTicket issued = tokens.issueTicket(player);
    return json(StatusCodes.OK, new Bodies.WsTicket(issued.ticket(), issued.expiresInMs()));
  }

  private static List<Bodies.CatalogEntry> catalog() {
    return GameCatalog.all().stream().map(rules -> new Bodies.CatalogEntry(rules.gameType(), rules.seats())).toList();
  }

  private Route createGame(Player player, RequestBodies.NewGame body) {
    String gameId = UUID.randomUUID().toString();
    return onReply(sessions.askWithinLimit(player.playerId(), gameId, r -> new GameSession.Create(body.game(),
        arena.session.Visibility.fromJson(body.visibility()), body.turnSeconds(), player.playerId(), player.name(), r)),
        StatusCodes.CREATED);
  }

  private Route gameState(String gameId) {
    if (!GameIds.couldBeIssued(gameId)) {
      return error(ErrorCode.NOT_FOUND, "no game " + gameId);
    }
    return onReply(sessions.ask(gameId, GameSession.GetState::new), StatusCodes.OK);
  }

  private Route onReply(CompletionStage<GameSession.Reply> reply, org.apache.pekko.http.javadsl.model.StatusCode ok) {
    return onSuccess(reply, answer -> answer instanceof GameSession.Accepted accepted
        ? json(ok, Wire.state(accepted.state()))
        : answer instanceof GameSession.Rejected limited && Wire.code(limited) == ErrorCode.RATE_LIMITED
        ? complete(errorResponse(Wire.code(limited), limited.message()).addHeader(
            org.apache.pekko.http.javadsl.model.HttpHeader.parse("Retry-After",
                String.valueOf(sessions.limit().retryAfterSeconds()))))
        : error(Wire.code((GameSession.Rejected) answer), ((GameSession.Rejected) answer).message()));
  }

  private interface CheckedList {
    CompletionStage<? extends List<?>> get() throws ProtocolException;
  }

  /** One of the game lists, or 503 when the directory cannot answer (busy, database down). */
  private Route gameList(CheckedList list) {
    return checked(() -> onComplete(list.get(), result -> {
      if (result.isFailure()) {
        log.warn("cannot read a game list: {}", result.failed().get().toString());
        return error(ErrorCode.UNAVAILABLE, "the game lists cannot be read right now; retry");
      }
      return json(StatusCodes.OK, result.get());
    }));
  }

  private Route events(String gameId, Map<String, String> query) {
    return checked(() -> {
      long afterSeq = longParameter(query, "afterSeq", 0, 0, Long.MAX_VALUE);
      int limit = intParameter(query, "limit", 1000, 1, 1000);
      if (!GameIds.couldBeIssued(gameId)) {
        return error(ErrorCode.NOT_FOUND, "no game " + gameId);
      }
      return events(gameId, afterSeq, limit);
    });
  }

  private Route events(String gameId, long afterSeq, int limit) {
    return onComplete(queries.run(pool -> GameHistory.page(system, pool, gameId, afterSeq, limit)), result -> {
      if (result.isFailure()) {
        return unavailable(result.failed().get(), "the game history of " + gameId);
      }
      if (result.get().isEmpty()) {
        return error(ErrorCode.NOT_FOUND, "no game " + gameId);
      }
      return json(StatusCodes.OK, result.get().get().stream().map(Wire::storedEvent).toList());
    });
  }

  private Route leaderboard(Map<String, String> query) {
    return checked(() -> {
      String game = query.get("game");
      if (game == null) {
        throw ProtocolException.badRequest("game is required");
      }
      if (GameCatalog.find(game).isEmpty()) {
        throw new ProtocolException(ErrorCode.UNKNOWN_GAME_TYPE, "no game type '" + game + "'");
      }
      int limit = intParameter(query, "limit", 50, 1, 1000);
      CompletionStage<List<Leaderboard.Entry>> top = queries.run(pool -> Leaderboard.top(pool, game, limit));
      return onComplete(top, result -> {
        if (result.isFailure()) {
          return unavailable(result.failed().get(), "the leaderboard of " + game);
        }
        return json(StatusCodes.OK, result.get().stream().map(Wire::leaderboardEntry).toList());
      });
    });
  }

  /** 503 for a query that failed or found the query queue full (then not logged: a flood would flood the log). */
  private Route unavailable(Throwable failure, String what) {
    if (Queries.isBusy(failure)) {
      limits.queriesFull();
      return error(ErrorCode.UNAVAILABLE, "too many requests are being served right now; retry");
    }
    log.warn("cannot read {}", what, failure);
    return error(ErrorCode.UNAVAILABLE, what + " cannot be read right now; retry");
  }

  // ---- WebSocket ----

  private Route webSocket() {
    return get(() -> parameterOptional("ticket", ticket -> ticket.isPresent()
        ? ticketSocket(ticket.get())
        : parameterOptional("token", token -> {
      Optional<Player> player = token.flatMap(tokens::verify);
      if (player.isEmpty()) {
        return error(ErrorCode.UNAUTHORIZED, "a valid token is required: /ws?token=<token>");
      }
      return openSocket(player.get());
    })));
  }

  /** A ticket opens one socket: checked here, then claimed cluster-wide (see TicketLedger). */
  private Route ticketSocket(String ticket) {
    Optional<arena.gateway.auth.Ticket> verified = tokens.verifyTicket(ticket);
    if (verified.isEmpty()) {
      return error(ErrorCode.UNAUTHORIZED, "the ticket is not valid or has expired: POST /api/v1/ws-ticket for a new one");
    }
    return extractRequest(request -> request.getAttribute(
        org.apache.pekko.http.javadsl.model.AttributeKeys.webSocketUpgrade).isEmpty()
        ? error(ErrorCode.BAD_REQUEST, "expected a WebSocket upgrade") // checked first: it must not use the ticket up
        : onSuccess(tickets.claim(verified.get()), claim -> switch (claim) {
      case FIRST_USE -> openSocket(verified.get().player());
      case ALREADY_USED -> error(ErrorCode.UNAUTHORIZED, "the ticket was used before: POST /api/v1/ws-ticket for a new one");
      case UNDECIDED -> error(ErrorCode.UNAVAILABLE, "the ticket cannot be checked right now; retry with a new one");
    }));
  }

  /** The socket of a player authenticated by a claimed ticket or a token. */
  private Route openSocket(Player player) {
    return extractRequest(request -> sockets.open(request, player, limits.clientAddress(request))
        .map(this::complete)
        .orElseGet(() -> error(ErrorCode.BAD_REQUEST, "expected a WebSocket upgrade")));
  }

  // ---- building blocks ----

  private Route authenticated(Function<Player, Route> inner) {
    return optionalHeaderValueByName("Authorization", header -> header
        .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
        .flatMap(value -> tokens.verify(value.substring(7).trim()))
        .map(player -> limits.perPlayer(player.playerId(), () -> inner.apply(player)))
        .orElseGet(() -> error(ErrorCode.UNAUTHORIZED, "a valid token is required: Authorization: Bearer <token>")));
  }

  /** The request body, at most 64 KiB (else {@code too_large}), read by {@code reader}. */
  private <T> Route body(RequestBodies.Reader<T> reader, Function<T, Route> inner) {
    return withSizeLimit(MAX_BODY_BYTES, () -> entity(Unmarshaller.entityToString(),
        text -> checked(() -> inner.apply(reader.read(text)))));
  }

  private interface CheckedRoute {
    Route get() throws ProtocolException;
  }

  private Route checked(CheckedRoute route) {
    try {
      return route.get();
    } catch (ProtocolException e) {
      return error(e.code(), e.getMessage());
    }
  }

  private static int intParameter(Map<String, String> query, String name, int fallback, int min, int max)
      throws ProtocolException {
    String text = query.get(name);
    if (text == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw ProtocolException.badRequest(name + " must be a whole number " + min + "-" + max);
  }

  private static long longParameter(Map<String, String> query, String name, long fallback, long min, long max)
      throws ProtocolException {
    String text = query.get(name);
    if (text == null) {
      return fallback;
    }
    try {
      long value = Long.parseLong(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw ProtocolException.badRequest(name + " must be a whole number " + min + "-" + max);
  }

  private Route json(org.apache.pekko.http.javadsl.model.StatusCode status, Object body) {
    return complete(jsonResponse(status.intValue(), body));
  }

  private Route error(ErrorCode code, String message) {
    return complete(errorResponse(code, message));
  }

  private static HttpResponse jsonResponse(int status, Object body) {
    return HttpResponse.create().withStatus(status).withEntity(ContentTypes.APPLICATION_JSON, Json.write(body));
  }

  private static HttpResponse errorResponse(ErrorCode code, String message) {
    return jsonResponse(ErrorStatus.httpStatus(code), new Bodies.ErrorBody(code, message));
  }

  private static ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder()
        .match(EntityStreamSizeException.class, e -> completeWith(errorResponse(ErrorCode.TOO_LARGE,
            "a request body may have at most " + MAX_BODY_BYTES + " bytes")))
        .matchAny(e -> {
          log.error("request failed", e);
          return completeWith(errorResponse(ErrorCode.INTERNAL, "internal error"));
        })
        .build();
  }

  private static Route completeWith(HttpResponse response) {
    return org.apache.pekko.http.javadsl.server.Directives.complete(response);
  }

  /** Pekko's own rejection answers, turned into the spec's JSON errors. */
  private static RejectionHandler rejections() {
    return RejectionHandler.defaultHandler().mapRejectionResponse(response -> {
      int status = response.status().intValue();
      ErrorCode code = switch (status) {
        case 401 -> ErrorCode.UNAUTHORIZED;
        case 403 -> ErrorCode.FORBIDDEN;
        case 404 -> ErrorCode.NOT_FOUND;
        case 413 -> ErrorCode.TOO_LARGE;
        case 429 -> ErrorCode.RATE_LIMITED;
        case 503 -> ErrorCode.UNAVAILABLE;
        default -> status >= 500 ? ErrorCode.INTERNAL : ErrorCode.BAD_REQUEST;
      };
      String message = response.entity() instanceof org.apache.pekko.http.scaladsl.model.HttpEntity.Strict strict
          ? strict.data().utf8String() : "request refused";
      return HttpResponse.create().withStatus(status)
          .withEntity(ContentTypes.APPLICATION_JSON, Json.write(new Bodies.ErrorBody(code, message)));
    });
  }
}
