package arena.session;

import arena.JsonSerializable;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import arena.rules.Outcome;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What happened in a game, as stored in the journal. Each event carries the instant it happened,
 * so that replaying them rebuilds clocks exactly. The type names are the spec's event kinds.
 *
 * <p>The journal's format: these records, and {@link Seat} and {@link Result} inside them, are
 * stored as they are and read back by every later release, so their class names and field names
 * never change (a changed shape gets a {@code JacksonMigration}, like {@link MovedMigration}).
 * They are not the wire's types: the gateway maps them to frames, so that the wire can change
 * without touching stored games.
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
  record GameOver(Result result, String game, List<Seat> players,
      String requestId, Integer requestSeat, Instant at) implements GameEvent {}

  /** {@code abandoned} (the last seated player left) or {@code expired} (never filled). */
  record GameAborted(String reason, Instant at) implements GameEvent {}

  /** A taken seat, as events and snapshots store it. */
  record Seat(int seat, String playerId, String name) implements JsonSerializable {

    GameView.Seat view() {
      return new GameView.Seat(seat, playerId, name);
    }
  }

  /**
   * How a game ended, as events and snapshots store it.
   *
   * @param outcome {@code win} or {@code draw}
   * @param winnerSeat the winner, {@code null} for a draw
   * @param reason {@code line}, {@code resign}, {@code timeout}, {@code no_moves},
   *     {@code board_full} or {@code draw_rule}
   */
  record Result(String outcome, Integer winnerSeat, String reason) implements JsonSerializable {

    static Result of(Outcome outcome) {
      return new Result(outcome.outcome().wireName(), outcome.winnerSeat(), outcome.reason().wireName());
    }

    static Result winBy(int seat, Outcome.Reason reason) {
      return of(Outcome.win(seat, reason));
    }

    GameView.Result view() {
      return new GameView.Result(outcome, winnerSeat, reason);
    }
  }
}
