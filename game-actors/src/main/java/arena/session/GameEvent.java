package arena.session;

import arena.JsonSerializable;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.Map;

/**
 * What happened in a game, as stored in the journal. Each event carries the instant it happened,
 * so that replaying them rebuilds clocks exactly. The type names are the spec's event kinds.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = GameEvent.GameCreated.class, name = "game_created"),
  @JsonSubTypes.Type(value = GameEvent.PlayerJoined.class, name = "player_joined"),
  @JsonSubTypes.Type(value = GameEvent.PlayerLeft.class, name = "player_left"),
  @JsonSubTypes.Type(value = GameEvent.GameStarted.class, name = "game_started"),
  @JsonSubTypes.Type(value = GameEvent.Moved.class, name = "moved"),
  @JsonSubTypes.Type(value = GameEvent.GameOver.class, name = "game_over"),
  @JsonSubTypes.Type(value = GameEvent.GameAborted.class, name = "game_aborted")
})
public sealed interface GameEvent extends JsonSerializable {

  Instant at();

  /** Always the first event: its {@code game} fixes the rules used for every replay. */
  record GameCreated(String game, Visibility visibility, int turnSeconds, int seat, String playerId,
      String name, Instant expiresAt, Instant at) implements GameEvent {}

  record PlayerJoined(int seat, String playerId, String name, Instant at) implements GameEvent {}

  record PlayerLeft(int seat, Instant at) implements GameEvent {}

  /** Every seat is taken; the first turn's clock starts at {@code at}. */
  record GameStarted(Instant at) implements GameEvent {}

  /** A legal move; {@code requestId} makes its resend idempotent. */
  record Moved(int seat, Map<String, Object> move, String requestId, Instant at) implements GameEvent {}

  /**
   * The end. {@code requestId} and {@code requestSeat} are set when a player's resign caused it;
   * {@code game} and {@code players} make the event enough on its own for the leaderboard.
   */
  record GameOver(GameView.Result result, String game, java.util.List<GameView.Seat> players,
      String requestId, Integer requestSeat, Instant at) implements GameEvent {}

  /** {@code abandoned} (the last seated player left) or {@code expired} (never filled). */
  record GameAborted(String reason, Instant at) implements GameEvent {}
}
