package arena.gateway.protocol;

import arena.ErrorCode;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.List;

/**
 * The JSON the server writes, in frames and HTTP answers (ARENA-SPEC §3-§5): one record per shape,
 * fields in the spec's order, {@code null} written as {@code null}. These are the wire's own types:
 * {@link Wire} maps the domain into them, so that a change inside (a stored event, a cluster
 * message) never changes what clients read, and a change here never touches stored games.
 */
public final class Bodies {

  private Bodies() {}

  /** A game as players see it (§5); {@code turn} and {@code turnDeadline} are null unless active. */
  public record GameState(
      String gameId,
      String game,
      String status,
      long seq,
      String visibility,
      int turnSeconds,
      List<Seat> players,
      Integer turn,
      Instant turnDeadline,
      Object board,
      Result result,
      Instant createdAt,
      Instant updatedAt) {}

  /** A taken seat. */
  public record Seat(int seat, String playerId, String name) {}

  /** How a game ended: {@code outcome} win or draw, {@code winnerSeat} null for a draw. */
  public record Result(String outcome, Integer winnerSeat, String reason) {}

  /** An item of {@code GET /api/v1/games} (open or active public games). */
  public record PublicGame(String gameId, String game, List<Seat> players, int turnSeconds, Instant createdAt) {}

  /** An item of {@code GET /api/v1/players/me/games}; {@code result} only when finished. */
  public record MyGame(String gameId, String game, String status, List<Seat> players, int turnSeconds,
      Instant createdAt, Result result) {}

  /** A row of {@code GET /api/v1/leaderboard}. */
  public record LeaderboardEntry(String playerId, String name, double rating, int wins, int losses, int draws) {}

  /** An item of {@code GET /api/v1/games/{gameId}/events}: {@code timestamp} is when it was stored. */
  public record StoredEvent(long seq, Event event, Instant timestamp) {}

  /** {@code POST /api/v1/players} and {@code POST /api/v1/players/me/token}. */
  public record PlayerToken(String playerId, String name, String token) {}

  /** {@code POST /api/v1/ws-ticket}. */
  public record WsTicket(String ticket, long expiresInMs) {}

  /** An entry of {@code GET /api/v1/games/catalog}. */
  public record CatalogEntry(String game, int seats) {}

  /** The spec's error body, {@code code} first (the code is written by its wire name). */
  public record ErrorBody(ErrorCode code, String message) {}

  /**
   * A game event as players see it (§4): its {@code kind} first, then the fields players need and
   * nothing internal (request ids, instants, expiry).
   */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = GameCreated.class, name = "game_created"),
    @JsonSubTypes.Type(value = PlayerJoined.class, name = "player_joined"),
    @JsonSubTypes.Type(value = PlayerLeft.class, name = "player_left"),
    @JsonSubTypes.Type(value = GameStarted.class, name = "game_started"),
    @JsonSubTypes.Type(value = Moved.class, name = "moved"),
    @JsonSubTypes.Type(value = GameOver.class, name = "game_over"),
    @JsonSubTypes.Type(value = GameAborted.class, name = "game_aborted")
  })
  public sealed interface Event {}

  public record GameCreated(String game, String visibility, int turnSeconds, int seat, String playerId, String name)
      implements Event {}

  public record PlayerJoined(int seat, String playerId, String name) implements Event {}

  public record PlayerLeft(int seat) implements Event {}

  public record GameStarted() implements Event {}

  /** {@code move} as the player sent it, e.g. {@code {"column": 3}}. */
  public record Moved(int seat, Object move) implements Event {}

  public record GameOver(Result result) implements Event {}

  /** {@code abandoned} or {@code expired}. */
  public record GameAborted(String reason) implements Event {}
}
