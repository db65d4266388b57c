package arena.rules.checkers;

/**
 * The geometry of the 32 dark squares in standard numbering.
 *
 * <p>Index {@code i} is square {@code i + 1}. Row 0 is black's home row (squares 1-4) and row 7
 * white's (29-32). Even rows have their dark squares in columns 1, 3, 5, 7, odd rows in columns
 * 0, 2, 4, 6, so square 9 steps to 13 and 14 and square 12 only to 16, as in every checkers book.
 */
final class Board {

  static final int SQUARES = 32;
  /** Directions: towards row 0 (white's way) then towards row 7 (black's way). */
  static final int UP_LEFT = 0;
  static final int UP_RIGHT = 1;
  static final int DOWN_LEFT = 2;
  static final int DOWN_RIGHT = 3;

  static final int[] BLACK_MAN_DIRECTIONS = {DOWN_LEFT, DOWN_RIGHT};
  static final int[] WHITE_MAN_DIRECTIONS = {UP_LEFT, UP_RIGHT};
  static final int[] KING_DIRECTIONS = {UP_LEFT, UP_RIGHT, DOWN_LEFT, DOWN_RIGHT};

  /** Row 7 crowns black men, row 0 crowns white men. */
  static final int BLACK_CROWN_ROW = 0xF000_0000;
  static final int WHITE_CROWN_ROW = 0x0000_000F;

  /** {@code NEIGHBOUR[i][d]}: the square one step from {@code i} in direction {@code d}, or -1. */
  static final int[][] NEIGHBOUR = new int[SQUARES][4];
  /** {@code JUMP[i][d]}: the square two steps from {@code i} in direction {@code d}, or -1. */
  static final int[][] JUMP = new int[SQUARES][4];

  static {
    for (int i = 0; i < SQUARES; i++) {
      for (int d = 0; d < 4; d++) {
        int rowStep = d < 2 ? -1 : 1;
        int columnStep = d % 2 == 0 ? -1 : 1;
        NEIGHBOUR[i][d] = at(row(i) + rowStep, column(i) + columnStep);
        JUMP[i][d] = at(row(i) + 2 * rowStep, column(i) + 2 * columnStep);
      }
    }
  }

  private Board() {}

  static int row(int index) {
    return index / 4;
  }

  static int column(int index) {
    return 2 * (index % 4) + (row(index) % 2 == 0 ? 1 : 0);
  }

  /** The index of the dark square at {@code (row, column)}, or -1 off the board or on a light one. */
  static int at(int row, int column) {
    if (row < 0 || row > 7 || column < 0 || column > 7 || (row + column) % 2 == 0) {
      return -1;
    }
    return row * 4 + column / 2;
  }

  static int bit(int index) {
    return 1 << index;
  }
}
