package arena.rules.connect4;

import arena.rules.GameRules;
import arena.rules.MoveCodec;
import arena.rules.Outcome;
import arena.rules.Rejection;
import arena.rules.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Connect Four on 7 columns of 6 rows: a disc drops to the lowest free row of its column; seat 0
 * moves first; four in a row in any direction wins; a full board is a draw.
 *
 * <p>Positions are two bitboards with 7 bits per column (bit {@code column * 7 + row}, row 0 at
 * the bottom, the seventh bit always clear), so that a line is found with four shifts.
 */
public final class Connect4 implements GameRules<Connect4.Position, Connect4.Move> {

  public static final int COLUMNS = 7;
  public static final int ROWS = 6;
  private static final int STRIDE = ROWS + 1;
  private static final long COLUMN_MASK = (1L << ROWS) - 1;
  /** Bit shifts between neighbours: vertical, horizontal, and the two diagonals. */
  private static final int[] DIRECTIONS = {1, STRIDE, STRIDE - 1, STRIDE + 1};

  /** Discs of each seat; {@code plies} is how many discs are on the board. */
  public record Position(long seat0, long seat1, int plies) {
    long occupied() {
      return seat0 | seat1;
    }

    int height(int column) {
      return Long.bitCount((occupied() >>> (column * STRIDE)) & COLUMN_MASK);
    }
  }

  /** A disc dropped into {@code column} 0-6. */
  public record Move(int column) {}

  @Override
  public String gameType() {
    return "connect4";
  }

  @Override
  public int seats() {
    return 2;
  }

  @Override
  public Position initialPosition() {
    return new Position(0L, 0L, 0);
  }

  @Override
  public int seatToMove(Position p) {
    return p.plies() % 2;
  }

  @Override
  public List<Move> legalMoves(Position p) {
    List<Move> moves = new ArrayList<>(COLUMNS);
    for (int column = 0; column < COLUMNS; column++) {
      if (p.height(column) < ROWS) {
        moves.add(new Move(column));
      }
    }
    return moves;
  }

  @Override
  public Rejection checkMove(Position p, Move move) {
    if (move.column() < 0 || move.column() >= COLUMNS) {
      return Rejection.illegalMove("column must be 0-6");
    }
    if (p.height(move.column()) == ROWS) {
      return Rejection.illegalMove("column " + move.column() + " is full");
    }
    return null;
  }

  @Override
  public Step<Position> apply(Position p, Move move) {
    int seat = seatToMove(p);
    long disc = 1L << (move.column() * STRIDE + p.height(move.column()));
    Position next = seat == 0
        ? new Position(p.seat0() | disc, p.seat1(), p.plies() + 1)
        : new Position(p.seat0(), p.seat1() | disc, p.plies() + 1);
    if (hasFour(seat == 0 ? next.seat0() : next.seat1())) {
      return new Step<>(next, Outcome.win(seat, Outcome.Reason.LINE));
    }
    if (next.plies() == COLUMNS * ROWS) {
      return new Step<>(next, Outcome.draw(Outcome.Reason.BOARD_FULL));
    }
    return Step.ongoing(next);
  }

  private static boolean hasFour(long discs) {
    for (int shift : DIRECTIONS) {
      long pairs = discs & (discs >>> shift);
      if ((pairs & (pairs >>> (2 * shift))) != 0) {
        return true;
      }
    }
    return false;
  }

  @Override
  public MoveCodec<Move> moveCodec() {
    return Connect4Moves.CODEC;
  }

  /** Six rows of seven, {@code board[0]} the bottom row. */
  @Override
  public Object boardToJson(Position p) {
    List<List<Integer>> rows = new ArrayList<>(ROWS);
    for (int row = 0; row < ROWS; row++) {
      Integer[] cells = new Integer[COLUMNS];
      for (int column = 0; column < COLUMNS; column++) {
        long bit = 1L << (column * STRIDE + row);
        cells[column] = (p.seat0() & bit) != 0 ? Integer.valueOf(0) : (p.seat1() & bit) != 0 ? Integer.valueOf(1) : null;
      }
      rows.add(Arrays.asList(cells));
    }
    return rows;
  }
}
