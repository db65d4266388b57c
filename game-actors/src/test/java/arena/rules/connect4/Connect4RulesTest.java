package arena.rules.connect4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import arena.ErrorCode;
import arena.rules.MoveFormatException;
import arena.rules.Outcome;
import arena.rules.Rejection;
import arena.rules.Step;
import arena.rules.connect4.Connect4.Move;
import arena.rules.connect4.Connect4.Position;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ARENA-SPEC §5, connect4: one test per rule. */
class Connect4RulesTest {

  private final Connect4 rules = new Connect4();

  @Test
  void isATwoSeatGameCalledConnect4() {
    assertThat(rules.gameType()).isEqualTo("connect4");
    assertThat(rules.seats()).isEqualTo(2);
  }

  @Test
  void seatZeroMovesFirstAndMayDropIntoAnyColumn() {
    Position start = rules.initialPosition();

    assertThat(rules.seatToMove(start)).isZero();
    assertThat(rules.legalMoves(start)).extracting(Move::column).containsExactly(0, 1, 2, 3, 4, 5, 6);
    assertThat(rules.validate(start, 0, new Move(3))).isNull();
  }

  @Test
  void seatsTakeTurns() {
    Position afterOne = play(3).position();

    assertThat(rules.seatToMove(afterOne)).isEqualTo(1);
    assertThat(rules.seatToMove(play(3, 3).position())).isZero();
  }

  @Test
  void moveOutOfTurnIsRejectedAsNotYourTurn() {
    Position start = rules.initialPosition();
    Position afterOne = play(3).position();

    assertThat(rules.validate(start, 1, new Move(0)).code()).isEqualTo(ErrorCode.NOT_YOUR_TURN);
    assertThat(rules.validate(afterOne, 0, new Move(0)).code()).isEqualTo(ErrorCode.NOT_YOUR_TURN);
  }

  @Test
  void discFallsToTheLowestFreeRowOfItsColumn() {
    List<?> board = board(play(3, 3, 3).position());

    assertThat(row(board, 0).get(3)).isEqualTo(0);
    assertThat(row(board, 1).get(3)).isEqualTo(1);
    assertThat(row(board, 2).get(3)).isEqualTo(0);
    assertThat(row(board, 3).get(3)).isNull();
  }

  @Test
  void fullColumnIsAnIllegalMove() {
    Position columnFull = play(0, 0, 0, 0, 0, 0).position();

    assertThat(rules.validate(columnFull, 0, new Move(0)).code()).isEqualTo(ErrorCode.ILLEGAL_MOVE);
    assertThat(rules.legalMoves(columnFull)).extracting(Move::column).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(rules.validate(columnFull, 0, new Move(1))).isNull();
  }

  @Test
  void columnOutsideTheBoardIsAnIllegalMove() {
    Position start = rules.initialPosition();

    assertThat(rules.validate(start, 0, new Move(7)).code()).isEqualTo(ErrorCode.ILLEGAL_MOVE);
    assertThat(rules.validate(start, 0, new Move(-1)).code()).isEqualTo(ErrorCode.ILLEGAL_MOVE);
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, 7, 42, Integer.MAX_VALUE + 1L, Long.MAX_VALUE})
  void outOfRangeColumnFailsToParseAsIllegalMove(long column) {
    assertThat(formatError(Map.of("column", column))).isEqualTo(ErrorCode.ILLEGAL_MOVE);
    if (column == (int) column) {
      assertThat(formatError(Map.of("column", (int) column))).isEqualTo(ErrorCode.ILLEGAL_MOVE);
    }
  }

  @Test
  void missingOrMistypedColumnFailsToParseAsBadRequest() {
    Map<String, Object> nullColumn = new HashMap<>();
    nullColumn.put("column", null);

    assertThat(formatError(Map.of())).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(formatError(null)).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(formatError(nullColumn)).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(formatError(Map.of("cell", 3))).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(formatError(Map.of("column", "3"))).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(formatError(Map.of("column", 3.0))).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(formatError(Map.of("column", false))).isEqualTo(ErrorCode.BAD_REQUEST);
  }

  @Test
  void moveJsonRoundTrips() throws MoveFormatException {
    for (int column = 0; column < 7; column++) {
      Move move = new Move(column);
      assertThat(rules.moveCodec().write(move)).isEqualTo(Map.of("column", column));
      assertThat(rules.moveCodec().read(rules.moveCodec().write(move))).isEqualTo(move);
    }
    assertThat(rules.moveCodec().read(Map.of("column", 6L))).isEqualTo(new Move(6));
  }

  @Test
  void fourInARowHorizontallyWins() {
    // Seat 0 fills the bottom row 0-3; seat 1 stacks three on top of it.
    assertThat(play(0, 0, 1, 1, 2, 2, 3).outcome()).isEqualTo(Outcome.win(0, Outcome.Reason.LINE));
    // The same line further right, ending in the last column.
    assertThat(play(6, 6, 5, 5, 4, 4, 3).outcome()).isEqualTo(Outcome.win(0, Outcome.Reason.LINE));
  }

  @Test
  void fourInAColumnWins() {
    assertThat(play(0, 1, 0, 1, 0, 1, 0).outcome()).isEqualTo(Outcome.win(0, Outcome.Reason.LINE));
    // Seat 1 can win too: seat 0's three in column 0 are capped before seat 1's fourth lands.
    assertThat(play(0, 1, 0, 1, 2, 1, 0, 1).outcome()).isEqualTo(Outcome.win(1, Outcome.Reason.LINE));
  }

  @Test
  void fourOnARisingDiagonalWins() {
    // Seat 0 ends on (column, row) (0,0) (1,1) (2,2) (3,3).
    Step<Position> last = play(0, 1, 1, 2, 3, 2, 2, 3, 6, 3, 3);

    assertThat(last.outcome()).isEqualTo(Outcome.win(0, Outcome.Reason.LINE));
    List<?> board = board(last.position());
    for (int i = 0; i < 4; i++) {
      assertThat(row(board, i).get(i)).isEqualTo(0);
    }
  }

  @Test
  void fourOnAFallingDiagonalWins() {
    // The mirror image: seat 0 ends on (6,0) (5,1) (4,2) (3,3).
    Step<Position> last = play(6, 5, 5, 4, 3, 4, 4, 3, 0, 3, 3);

    assertThat(last.outcome()).isEqualTo(Outcome.win(0, Outcome.Reason.LINE));
    List<?> board = board(last.position());
    for (int i = 0; i < 4; i++) {
      assertThat(row(board, i).get(6 - i)).isEqualTo(0);
    }
  }

  @Test
  void threeInARowDoesNotWin() {
    assertThat(play(0, 6, 1, 6, 2).isTerminal()).isFalse();
  }

  @Test
  void fullBoardWithoutFourInARowIsADraw() {
    Step<Position> last = play(drawnGame());

    assertThat(last.outcome()).isEqualTo(Outcome.draw(Outcome.Reason.BOARD_FULL));
    assertThat(rules.legalMoves(last.position())).isEmpty();
  }

  @Test
  void boardIsSixRowsOfSevenWithTheBottomRowFirst() {
    List<Integer> emptyRow = Collections.nCopies(7, null);
    assertThat(rules.boardToJson(rules.initialPosition())).isEqualTo(Collections.nCopies(6, emptyRow));

    // Seat 0 in column 0, seat 1 on top of it, seat 0 in column 6.
    List<?> board = board(play(0, 0, 6).position());
    assertThat(board).hasSize(6);
    assertThat(board.get(0)).isEqualTo(Arrays.asList(0, null, null, null, null, null, 0));
    assertThat(board.get(1)).isEqualTo(Arrays.asList(1, null, null, null, null, null, null));
    for (int row = 2; row < 6; row++) {
      assertThat(board.get(row)).isEqualTo(emptyRow);
    }
  }

  /**
   * 42 plies that end in a full board with no line. Every column alternates colours upwards and
   * the columns start X X O O X X O, so no row, column or diagonal has more than two alike. Column
   * pairs (X-start, O-start) are filled together so that turns alternate, then column 5 alone.
   */
  static int[] drawnGame() {
    List<Integer> columns = new ArrayList<>();
    int[][] pairs = {{0, 2}, {1, 3}, {4, 6}};
    for (int[] pair : pairs) {
      int a = pair[0];
      int b = pair[1];
      for (int column : new int[] {a, b, b, a, a, b, b, a, a, b, b, a}) {
        columns.add(column);
      }
    }
    for (int i = 0; i < 6; i++) {
      columns.add(5);
    }
    return columns.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Plays columns in turn from the start, checking each move is valid and the game goes on until the last. */
  private Step<Position> play(int... columns) {
    Position position = rules.initialPosition();
    Step<Position> step = null;
    for (int i = 0; i < columns.length; i++) {
      Move move = new Move(columns[i]);
      assertThat(rules.validate(position, i % 2, move)).as("ply %d", i + 1).isNull();
      step = rules.apply(position, move);
      if (i < columns.length - 1) {
        assertThat(step.isTerminal()).as("terminal at ply %d", i + 1).isFalse();
      }
      position = step.position();
    }
    return step;
  }

  private List<?> board(Position position) {
    return (List<?>) rules.boardToJson(position);
  }

  private static List<?> row(List<?> board, int row) {
    return (List<?>) board.get(row);
  }

  private ErrorCode formatError(Map<String, ?> json) {
    MoveFormatException e = catchThrowableOfType(MoveFormatException.class, () -> rules.moveCodec().read(json));
    assertThat(e).as("parseMove(%s) should fail", json).isNotNull();
    return e.code();
  }
}
