package arena.rules;

import java.util.List;

/**
 * The rules of one turn-based game, as pure functions over immutable positions.
 *
 * <p>No actor, logger, clock or database is in sight here: the game session persists moves and
 * broadcasts them, the rules only say what a move means. A position {@code P} is an immutable
 * value with value equality; a move {@code M} is an immutable value too, read from and written to
 * JSON by the game's {@link MoveCodec}. The JSON shape of boards is expressed with plain Java
 * values ({@code Map}, {@code List}, {@code Integer}, {@code String}, {@code null}) so that this
 * package needs no JSON library.
 *
 * <p>Adding a game is writing one implementation and listing it in {@link GameCatalog}.
 *
 * @param <P> the position (board plus whatever the rules need: side to move, counters)
 * @param <M> a move
 */
public interface GameRules<P, M> {

  /** The game type's wire name, such as {@code "connect4"}. Recorded in a game's first event. */
  String gameType();

  /** How many players a game seats. */
  int seats();

  /** The position before the first move. */
  P initialPosition();

  /** The seat whose turn it is in a position that is not terminal. */
  int seatToMove(P position);

  /** Every legal move of the seat to move, in a stable order; empty when it has none. */
  List<M> legalMoves(P position);

  /**
   * Checks a move by {@code seat}: {@code null} when it may be applied, otherwise the reason it
   * may not ({@link Rejection#notYourTurn} or {@link Rejection#illegalMove}). The turn check is
   * the same for every game: only {@link #checkMove} is each game's own.
   */
  default Rejection validate(P position, int seat, M move) {
    int toMove = seatToMove(position);
    return seat != toMove ? Rejection.notYourTurn(toMove) : checkMove(position, move);
  }

  /** Checks a move of the seat to move: {@code null} when legal, else {@link Rejection#illegalMove}. */
  Rejection checkMove(P position, M move);

  /** Applies a move that {@link #validate} accepted; the step says whether the game ended. */
  Step<P> apply(P position, M move);

  /** How this game's moves are written in JSON: the codec, apart from the rules. */
  MoveCodec<M> moveCodec();

  /** The JSON form of the board, as ARENA-SPEC §5 shows it for this game. */
  Object boardToJson(P position);
}
