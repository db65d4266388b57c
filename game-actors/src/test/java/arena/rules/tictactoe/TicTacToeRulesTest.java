package arena.rules.tictactoe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import arena.ErrorCode;
import arena.rules.MoveFormatException;
import arena.rules.Outcome;
import arena.rules.Rejection;
import arena.rules.Step;
import arena.rules.tictactoe.TicTacToe.Move;
import arena.rules.tictactoe.TicTacToe.Position;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ARENA-SPEC §5, tictactoe: one test per rule. */
class TicTacToeRulesTest {

  private final TicTacToe rules = new TicTacToe();

  @Test
  void isATwoSeatGameCalledTictactoe() {
    assertThat(rules.gameType()).isEqualTo("tictactoe");
    assertThat(rules.seats()).isEqualTo(2);
  }

  @Test
  void seatZeroMovesFirstOnAnEmptyBoard() {
    Position start = rules.initialPosition();

    assertThat(rules.seatToMove(start)).isZero();
    assertThat(rules.legalMoves(start)).extracting(Move::cell).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
    assertThat(rules.validate(start, 0, new Move(4))).isNull();
  }

  @Test
  void seatsTakeTurns() {
    Position afterOne = rules.apply(rules.initialPosition(), new Move(4)).position();
    Position afterTwo = rules.apply(afterOne, new Move(0)).position();

    assertThat(rules.seatToMove(afterOne)).isEqualTo(1);
    assertThat(rules.seatToMove(afterTwo)).isZero();
  }

  @Test
  void moveOutOfTurnIsRejectedAsNotYourTurn() {
    Position start = rules.initialPosition();
    Position afterOne = rules.apply(start, new Move(4)).position();

    assertThat(rules.validate(start, 1, new Move(0)).code()).isEqualTo(ErrorCode.NOT_YOUR_TURN);
    assertThat(rules.validate(afterOne, 0, new Move(0)).code()).isEqualTo(ErrorCode.NOT_YOUR_TURN);
    // Whose turn it is comes first, even for a move that would be illegal anyway.
    assertThat(rules.validate(afterOne, 0, new Move(4)).code()).isEqualTo(ErrorCode.NOT_YOUR_TURN);
  }

  @Test
  void occupiedCellIsAnIllegalMove() {
    Position afterOne = rules.apply(rules.initialPosition(), new Move(4)).position();

    assertThat(rules.validate(afterOne, 1, new Move(4)).code()).isEqualTo(ErrorCode.ILLEGAL_MOVE);
    assertThat(rules.legalMoves(afterOne)).extracting(Move::cell).doesNotContain(4).hasSize(8);
  }

  @Test
  void cellOutsideTheBoardIsAnIllegalMove() {
    Position start = rules.initialPosition();

    assertThat(rules.validate(start, 0, new Move(9)).code()).isEqualTo(ErrorCode.ILLEGAL_MOVE);
    assertThat(rules.validate(start, 0, new Move(-1)).code()).isEqualTo(ErrorCode.ILLEGAL_MOVE);
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, 9, 100, Integer.MAX_VALUE + 1L, Long.MIN_VALUE})
  void outOfRangeCellFailsToParseAsIllegalMove(long cell) {
    assertThat(formatError(Map.of("cell", cell))).isEqualTo(ErrorCode.ILLEGAL_MOVE);
    if (cell == (int) cell) {
      assertThat(formatError(Map.of("cell", (int) cell))).isEqualTo(ErrorCode.ILLEGAL_MOVE);
    }
  }

  @Test
  void missingOrMistypedCellFailsToParseAsBadRequest() {
    Map<String, Object> nullCell = new HashMap<>();
    nullCell.put("cell", null);

    assertThat(formatError(Map.of())).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(formatError(null)).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(formatError(nullCell)).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(formatError(Map.of("column", 4))).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(formatError(Map.of("cell", "4"))).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(formatError(Map.of("cell", 4.5))).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(formatError(Map.of("cell", true))).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(formatError(Map.of("cell", List.of(4)))).isEqualTo(ErrorCode.BAD_REQUEST);
  }

  @Test
  void moveJsonRoundTrips() throws MoveFormatException {
    for (int cell = 0; cell < 9; cell++) {
      Move move = new Move(cell);
      assertThat(rules.moveCodec().write(move)).isEqualTo(Map.of("cell", cell));
      assertThat(rules.moveCodec().read(rules.moveCodec().write(move))).isEqualTo(move);
    }
    assertThat(rules.moveCodec().read(Map.of("cell", 8L))).isEqualTo(new Move(8));
  }

  @Test
  void threeInARowWins() {
    for (int[] row : new int[][] {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}}) {
      assertThat(seatZeroCompletes(row)).as("row %s", Arrays.toString(row))
          .isEqualTo(Outcome.win(0, Outcome.Reason.LINE));
    }
  }

  @Test
  void threeInAColumnWins() {
    for (int[] column : new int[][] {{0, 3, 6}, {1, 4, 7}, {2, 5, 8}}) {
      assertThat(seatZeroCompletes(column)).as("column %s", Arrays.toString(column))
          .isEqualTo(Outcome.win(0, Outcome.Reason.LINE));
    }
  }

  @Test
  void threeOnEitherDiagonalWins() {
    for (int[] diagonal : new int[][] {{0, 4, 8}, {2, 4, 6}}) {
      assertThat(seatZeroCompletes(diagonal)).as("diagonal %s", Arrays.toString(diagonal))
          .isEqualTo(Outcome.win(0, Outcome.Reason.LINE));
    }
  }

  @Test
  void secondSeatWinsWithItsOwnLine() {
    // X 0, O 3, X 1, O 4, X 8, O 5: O completes the middle row.
    assertThat(play(0, 3, 1, 4, 8, 5).outcome()).isEqualTo(Outcome.win(1, Outcome.Reason.LINE));
  }

  @Test
  void fullBoardWithoutALineIsADraw() {
    // X O X
    // X O O
    // O X X
    Step<Position> last = play(0, 1, 2, 4, 3, 5, 7, 6, 8);

    assertThat(last.outcome()).isEqualTo(Outcome.draw(Outcome.Reason.BOARD_FULL));
    assertThat(last.outcome().winnerSeat()).isNull();
  }

  @Test
  void lineCompletedOnTheLastCellIsAWinNotADraw() {
    // X O X / O X O / O X X: X's ninth-ply mark on 8 completes the 0-4-8 diagonal.
    assertThat(play(0, 1, 2, 3, 4, 5, 7, 6, 8).outcome()).isEqualTo(Outcome.win(0, Outcome.Reason.LINE));
  }

  @Test
  void boardIsNineCellsRowMajorFromTheTopLeftHoldingSeats() {
    assertThat(rules.boardToJson(rules.initialPosition()))
        .isEqualTo(Arrays.asList(null, null, null, null, null, null, null, null, null));

    // Seat 0 in the centre, seat 1 top left, seat 0 bottom right.
    Position position = play(4, 0, 8).position();
    assertThat(rules.boardToJson(position))
        .isEqualTo(Arrays.asList(1, null, null, null, 0, null, null, null, 0));
  }

  /** Seat 0 fills {@code line} while seat 1 takes the first two cells off it; returns the outcome. */
  private Outcome seatZeroCompletes(int[] line) {
    List<Integer> lineCells = Arrays.stream(line).boxed().toList();
    int[] elsewhere = IntStream.range(0, 9).filter(c -> !lineCells.contains(c)).limit(2).toArray();
    return play(line[0], elsewhere[0], line[1], elsewhere[1], line[2]).outcome();
  }

  /** Plays cells in turn from the start, checking each move is valid and the game goes on until the last. */
  private Step<Position> play(int... cells) {
    Position position = rules.initialPosition();
    Step<Position> step = null;
    List<Integer> played = new ArrayList<>();
    for (int i = 0; i < cells.length; i++) {
      Move move = new Move(cells[i]);
      assertThat(rules.validate(position, i % 2, move)).as("after %s", played).isNull();
      step = rules.apply(position, move);
      played.add(cells[i]);
      if (i < cells.length - 1) {
        assertThat(step.isTerminal()).as("terminal after %s", played).isFalse();
      }
      position = step.position();
    }
    return step;
  }

  private ErrorCode formatError(Map<String, ?> json) {
    MoveFormatException e = catchThrowableOfType(MoveFormatException.class, () -> rules.moveCodec().read(json));
    assertThat(e).as("parseMove(%s) should fail", json).isNotNull();
    return e.code();
  }
}
