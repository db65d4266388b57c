package arena.rules;

import java.util.Map;

/**
 * A game's moves in their JSON form (ARENA-SPEC §5), apart from the rules, which see only typed
 * moves. The JSON is expressed with plain Java values ({@code Map}, {@code List}, numbers,
 * strings) so that this package needs no JSON library.
 *
 * @param <M> the game's move
 */
public interface MoveCodec<M> {

  /**
   * Reads a move.
   *
   * @throws MoveFormatException with {@code bad_request} for a missing field or a field of the
   *     wrong type, with {@code illegal_move} for a well-formed value out of range
   */
  M read(Map<String, ?> json) throws MoveFormatException;

  /** The JSON form of a move, the inverse of {@link #read}. */
  Map<String, Object> write(M move);
}
