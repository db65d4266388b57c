package arena.rules.checkers;

/**
 * A checkers position as bitboards over the 32 dark squares (bit {@code i} is square
 * {@code i + 1}).
 *
 * @param black black pieces (seat 0), men and kings
 * @param white white pieces (seat 1), men and kings
 * @param kings which of those pieces are kings
 * @param seatToMove 0 for black, 1 for white
 * @param quietPlies consecutive plies with no capture and no man moved (the draw rule counts to 80)
 */
public record Position(int black, int white, int kings, int seatToMove, int quietPlies) {

  /** Black men on 1-12, white men on 21-32, black to move. */
  public static Position initial() {
    return new Position(0x0000_0FFF, 0xFFF0_0000, 0, 0, 0);
  }

  int own() {
    return seatToMove == 0 ? black : white;
  }

  int opponent() {
    return seatToMove == 0 ? white : black;
  }

  int empty() {
    return ~(black | white);
  }

  boolean isKing(int index) {
    return (kings & Board.bit(index)) != 0;
  }

  int[] directions(int index) {
    if (isKing(index)) {
      return Board.KING_DIRECTIONS;
    }
    return seatToMove == 0 ? Board.BLACK_MAN_DIRECTIONS : Board.WHITE_MAN_DIRECTIONS;
  }

  int crownRow() {
    return seatToMove == 0 ? Board.BLACK_CROWN_ROW : Board.WHITE_CROWN_ROW;
  }
}
