package arena.rules.tictactoe;

import arena.rules.GameRules;
import arena.rules.MoveCodec;
import arena.rules.Outcome;
import arena.rules.Rejection;
import arena.rules.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Tic-tac-toe: 9 cells, row-major from the top left; seat 0 moves first; three in a row wins; a
 * full board is a draw.
 */
public final class TicTacToe implements GameRules<TicTacToe.Position, TicTacToe.Move> {

  private static final int FULL = 0b111_111_111;
  private static final int[] LINES = {
    0b000_000_111, 0b000_111_000, 0b111_000_000, // rows
    0b001_001_001, 0b010_010_010, 0b100_100_100, // columns
    0b100_010_001, 0b001_010_100 // diagonals
  };

  /** Bit {@code c} of {@code marks[seat]} is set when that seat holds cell {@code c}. */
  public record Position(int seat0, int seat1) {
    int marks(int seat) {
      return seat == 0 ? seat0 : seat1;
    }

    int occupied() {
      return seat0 | seat1;
    }
  }

  /** A mark on {@code cell} 0-8. */
  public record Move(int cell) {}

  @Override
  public String gameType() {
    return "tictactoe";
  }

  @Override
  public int seats() {
    return 2;
  }

  @Override
  public Position initialPosition() {
    return new Position(0, 0);
  }

  @Override
  public int seatToMove(Position p) {
    return Integer.bitCount(p.seat0()) > Integer.bitCount(p.seat1()) ? 1 : 0;
  }

  @Override
  public List<Move> legalMoves(Position p) {
    List<Move> moves = new ArrayList<>(9);
    for (int cell = 0; cell < 9; cell++) {
      if ((p.occupied() & (1 << cell)) == 0) {
        moves.add(new Move(cell));
      }
    }
    return moves;
  }

  @Override
  public Rejection checkMove(Position p, Move move) {
    if (move.cell() < 0 || move.cell() > 8) {
      return Rejection.illegalMove("cell must be 0-8");
    }
    if ((p.occupied() & (1 << move.cell())) != 0) {
      return Rejection.illegalMove("cell " + move.cell() + " is taken");
    }
    return null;
  }

  @Override
  public Step<Position> apply(Position p, Move move) {
    int seat = seatToMove(p);
    int marks = p.marks(seat) | (1 << move.cell());
    Position next = seat == 0 ? new Position(marks, p.seat1()) : new Position(p.seat0(), marks);
    for (int line : LINES) {
      if ((marks & line) == line) {
        return new Step<>(next, Outcome.win(seat, Outcome.Reason.LINE));
      }
    }
    if (next.occupied() == FULL) {
      return new Step<>(next, Outcome.draw(Outcome.Reason.BOARD_FULL));
    }
    return Step.ongoing(next);
  }

  @Override
  public MoveCodec<Move> moveCodec() {
    return TicTacToeMoves.CODEC;
  }

  @Override
  public Object boardToJson(Position p) {
    Integer[] cells = new Integer[9];
    for (int cell = 0; cell < 9; cell++) {
      int bit = 1 << cell;
      cells[cell] = (p.seat0() & bit) != 0 ? Integer.valueOf(0) : (p.seat1() & bit) != 0 ? Integer.valueOf(1) : null;
    }
    return Arrays.asList(cells);
  }
}
