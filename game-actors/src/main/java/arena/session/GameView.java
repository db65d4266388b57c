package arena.session;

import arena.JsonSerializable;
import java.time.Instant;
import java.util.List;

/**
 * A game as players see it (ARENA-SPEC §5): what a session tells the other nodes about its state
 * (in replies, updates to subscribers and the lobby). It is a cluster message, never stored: the
 * journal has its own records ({@link GameEvent}, {@link GameState}).
 */
public record GameView(
    String gameId,
    String game,
    Status status,
    long seq,
    Visibility visibility,
    int turnSeconds,
    List<Seat> players,
    Integer turn,
    Instant turnDeadline,
    Object board,
    Result result,
    Instant createdAt,
    Instant updatedAt)
    implements JsonSerializable {

  /** A taken seat. */
  public record Seat(int seat, String playerId, String name) implements JsonSerializable {}

  /**
   * How a game ended.
   *
   * @param outcome {@code win} or {@code draw}
   * @param winnerSeat the winner, {@code null} for a draw
   * @param reason {@code line}, {@code resign}, {@code timeout}, {@code no_moves},
   *     {@code board_full} or {@code draw_rule}
   */
  public record Result(String outcome, Integer winnerSeat, String reason) implements JsonSerializable {}
}
