package arena.rules.checkers;

import java.util.ArrayList;
import java.util.List;

/**
 * Legal moves of English draughts: captures are compulsory, any capture sequence may be chosen but
 * it is completed, and a man that reaches the far row is crowned and stops.
 *
 * <p>Captured pieces stay on the board until the move ends, so no piece is jumped twice and no
 * piece lands where a captured one still stands; the moving piece's own starting square counts as
 * empty, so a king may jump back through it.
 */
final class MoveGenerator {

  private MoveGenerator() {}

  static List<Move> legalMoves(Position p) {
    List<Move> captures = captures(p);
    return captures.isEmpty() ? simpleMoves(p) : captures;
  }

  /** Whether the side to move has any legal move, without listing them. */
  static boolean hasAnyMove(Position p) {
    int empty = p.empty();
    int opponent = p.opponent();
    for (int pieces = p.own(); pieces != 0; pieces &= pieces - 1) {
      int from = Integer.numberOfTrailingZeros(pieces);
      for (int d : p.directions(from)) {
        int step = Board.NEIGHBOUR[from][d];
        if (step < 0) {
          continue;
        }
        if ((empty & Board.bit(step)) != 0) {
          return true;
        }
        int land = Board.JUMP[from][d];
        if (land >= 0 && (opponent & Board.bit(step)) != 0 && (empty & Board.bit(land)) != 0) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<Move> simpleMoves(Position p) {
    List<Move> moves = new ArrayList<>();
    int empty = p.empty();
    for (int pieces = p.own(); pieces != 0; pieces &= pieces - 1) {
      int from = Integer.numberOfTrailingZeros(pieces);
      for (int d : p.directions(from)) {
        int to = Board.NEIGHBOUR[from][d];
        if (to >= 0 && (empty & Board.bit(to)) != 0) {
          moves.add(Move.of(from + 1, to + 1));
        }
      }
    }
    return moves;
  }

  private static List<Move> captures(Position p) {
    List<Move> moves = new ArrayList<>();
    for (int pieces = p.own(); pieces != 0; pieces &= pieces - 1) {
      int from = Integer.numberOfTrailingZeros(pieces);
      int[] path = new int[16];
      path[0] = from + 1;
      // The mover leaves its square, so that square is free for the rest of the sequence.
      int empty = p.empty() | Board.bit(from);
      extend(p, from, p.directions(from), empty, 0, path, 1, moves);
    }
    return moves;
  }

  private static void extend(Position p, int at, int[] directions, int empty, int captured,
      int[] path, int length, List<Move> out) {
    boolean extended = false;
    for (int d : directions) {
      int over = Board.NEIGHBOUR[at][d];
      int land = Board.JUMP[at][d];
      if (land < 0
          || (p.opponent() & ~captured & Board.bit(over)) == 0
          || (empty & Board.bit(land)) == 0) {
        continue;
      }
      extended = true;
      path[length] = land + 1;
      boolean crowned = directions != Board.KING_DIRECTIONS && (p.crownRow() & Board.bit(land)) != 0;
      if (crowned) {
        out.add(toMove(path, length + 1));
      } else {
        extend(p, land, directions, empty, captured | Board.bit(over), path, length + 1, out);
      }
    }
    if (!extended && length > 1) {
      out.add(toMove(path, length));
    }
  }

  private static Move toMove(int[] path, int length) {
    Integer[] squares = new Integer[length];
    for (int i = 0; i < length; i++) {
      squares[i] = path[i];
    }
    return Move.of(squares);
  }
}
