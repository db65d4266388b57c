package arena.rules.checkers;

/** Test positions in standard numbering: bit {@code i} of a mask is square {@code i + 1}. */
final class Squares {

  static final int BLACK = 0;
  static final int WHITE = 1;

  private Squares() {}

  /** The bitmask holding the given squares (1-32). */
  static int mask(int... squares) {
    int mask = 0;
    for (int square : squares) {
      if (square < 1 || square > 32) {
        throw new IllegalArgumentException("no square " + square);
      }
      mask |= 1 << (square - 1);
    }
    return mask;
  }

  /** Builds a position: {@code position().blackMen(9).whiteKings(18).blackToMove()}. */
  static Builder position() {
    return new Builder();
  }

  static final class Builder {
    private int black;
    private int white;
    private int kings;
    private int quietPlies;

    Builder blackMen(int... squares) {
      black |= mask(squares);
      return this;
    }

    Builder blackKings(int... squares) {
      black |= mask(squares);
      kings |= mask(squares);
      return this;
    }

    Builder whiteMen(int... squares) {
      white |= mask(squares);
      return this;
    }

    Builder whiteKings(int... squares) {
      white |= mask(squares);
      kings |= mask(squares);
      return this;
    }

    Builder quietPlies(int plies) {
      quietPlies = plies;
      return this;
    }

    Position blackToMove() {
      return build(BLACK);
    }

    Position whiteToMove() {
      return build(WHITE);
    }

    private Position build(int seat) {
      if ((black & white) != 0) {
        throw new IllegalArgumentException("a square holds two pieces");
      }
      return new Position(black, white, kings, seat, quietPlies);
    }
  }
}
