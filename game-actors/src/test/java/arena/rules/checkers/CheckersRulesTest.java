package arena.rules.checkers;

import static arena.rules.checkers.Squares.BLACK;
import static arena.rules.checkers.Squares.WHITE;
import static arena.rules.checkers.Squares.mask;
import static arena.rules.checkers.Squares.position;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import arena.ErrorCode;
import arena.rules.MoveFormatException;
import arena.rules.Outcome;
import arena.rules.Rejection;
import arena.rules.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ARENA-SPEC §5, checkers (English draughts): one test per rule. Squares are in standard
 * numbering; black (seat 0) starts on 1-12 and moves towards 29-32.
 *
 * <pre>
 *  row 0:    1   2   3   4      black's home row, white men crown here
 *  row 1:  5   6   7   8
 *  row 2:    9  10  11  12
 *  row 3: 13  14  15  16
 *  row 4:   17  18  19  20
 *  row 5: 21  22  23  24
 *  row 6:   25  26  27  28
 *  row 7: 29  30  31  32        white's home row, black men crown here
 * </pre>
 */
class CheckersRulesTest {

  private final Checkers rules = new Checkers();

  @Test
  void isATwoSeatGameCalledCheckers() {
    assertThat(rules.gameType()).isEqualTo("checkers");
    assertThat(rules.seats()).isEqualTo(2);
  }

  @Test
  void blackMovesFirstWithTheSevenStandardOpenings() {
    Position start = rules.initialPosition();

    assertThat(rules.seatToMove(start)).isEqualTo(BLACK);
    assertThat(rules.legalMoves(start)).containsExactlyInAnyOrder(
        Move.of(9, 13), Move.of(9, 14), Move.of(10, 14), Move.of(10, 15),
        Move.of(11, 15), Move.of(11, 16), Move.of(12, 16));
  }

  @Test
  void whiteAnswersWithTheSevenMirroredMoves() {
    Position afterOne = rules.apply(rules.initialPosition(), Move.of(11, 15)).position();

    assertThat(rules.seatToMove(afterOne)).isEqualTo(WHITE);
    assertThat(rules.legalMoves(afterOne)).containsExactlyInAnyOrder(
        Move.of(21, 17), Move.of(22, 17), Move.of(22, 18), Move.of(23, 18),
        Move.of(23, 19), Move.of(24, 19), Move.of(24, 20));
  }

  @Test
  void initialBoardHasBlackMenOn1To12AndWhiteMenOn21To32() {
    List<String> expected = new ArrayList<>(Collections.nCopies(32, null));
    for (int square = 1; square <= 12; square++) {
      expected.set(square - 1, "b");
      expected.set(square + 19, "w");
    }

    assertThat(rules.initialPosition()).isEqualTo(new Position(mask(range(1, 12)), mask(range(21, 32)), 0, BLACK, 0));
    assertThat(rules.boardToJson(rules.initialPosition())).isEqualTo(expected);
  }

  @Test
  void boardShowsKingsInCapitals() {
    Position position = position().blackMen(1).blackKings(14).whiteMen(32).whiteKings(19).blackToMove();

    List<String> expected = new ArrayList<>(Collections.nCopies(32, null));
    expected.set(0, "b");
    expected.set(13, "B");
    expected.set(31, "w");
    expected.set(18, "W");
    assertThat(rules.boardToJson(position)).isEqualTo(expected);
  }

  @Test
  void moveOutOfTurnIsRejectedAsNotYourTurn() {
    Position start = rules.initialPosition();
    Position afterOne = rules.apply(start, Move.of(11, 15)).position();

    assertThat(rules.validate(start, WHITE, Move.of(22, 18)).code()).isEqualTo(ErrorCode.NOT_YOUR_TURN);
    assertThat(rules.validate(afterOne, BLACK, Move.of(15, 19)).code()).isEqualTo(ErrorCode.NOT_YOUR_TURN);
  }

  @Test
  void movingFromASquareWithoutYourPieceIsIllegal() {
    Position start = rules.initialPosition();

    assertThat(rules.validate(start, BLACK, Move.of(22, 18)).code()).isEqualTo(ErrorCode.ILLEGAL_MOVE);
    assertThat(rules.validate(start, BLACK, Move.of(13, 17)).code()).isEqualTo(ErrorCode.ILLEGAL_MOVE);
  }

  @Test
  void pieceMovesOneStepDiagonallyOntoAnEmptySquareOnly() {
    Position start = rules.initialPosition();

    assertThat(rules.validate(start, BLACK, Move.of(5, 9)).code()).as("own piece there").isEqualTo(ErrorCode.ILLEGAL_MOVE);
    assertThat(rules.validate(start, BLACK, Move.of(9, 17)).code()).as("two rows").isEqualTo(ErrorCode.ILLEGAL_MOVE);
    assertThat(rules.validate(start, BLACK, Move.of(12, 15)).code()).as("not diagonal").isEqualTo(ErrorCode.ILLEGAL_MOVE);
    assertThat(rules.validate(start, BLACK, Move.of(9, 13, 17)).code()).as("two steps").isEqualTo(ErrorCode.ILLEGAL_MOVE);
    assertThat(rules.validate(start, BLACK, Move.of(9, 14))).isNull();
  }

  @Test
  void captureIsCompulsory() {
    Position position = position().blackMen(1, 14).whiteMen(18, 32).blackToMove();

    assertThat(rules.legalMoves(position)).containsExactly(Move.of(14, 23));
    assertThat(rules.validate(position, BLACK, Move.of(1, 6)).code()).isEqualTo(ErrorCode.ILLEGAL_MOVE);
    assertThat(rules.validate(position, BLACK, Move.of(14, 17)).code()).isEqualTo(ErrorCode.ILLEGAL_MOVE);
    assertThat(rules.validate(position, BLACK, Move.of(14, 23))).isNull();
  }

  @Test
  void capturedPieceLeavesTheBoard() {
    Position position = position().blackMen(1, 14).whiteMen(18, 32).blackToMove();

    Step<Position> step = rules.apply(position, Move.of(14, 23));

    assertThat(step.isTerminal()).isFalse();
    assertThat(step.position()).isEqualTo(position().blackMen(1, 23).whiteMen(32).whiteToMove());
  }

  @Test
  void multiJumpMustBeCompleted() {
    Position position = position().blackMen(5).whiteMen(9, 18, 32).blackToMove();

    assertThat(rules.legalMoves(position)).containsExactly(Move.of(5, 14, 23));
    Rejection prefix = rules.validate(position, BLACK, Move.of(5, 14));
    assertThat(prefix.code()).isEqualTo(ErrorCode.ILLEGAL_MOVE);
    assertThat(prefix.message()).contains("completed");
    assertThat(rules.validate(position, BLACK, Move.of(5, 14, 23))).isNull();

    Step<Position> step = rules.apply(position, Move.of(5, 14, 23));
    assertThat(step.position()).isEqualTo(position().blackMen(23).whiteMen(32).whiteToMove());
  }

  @Test
  void anyCaptureSequenceMayBeChosenNotOnlyTheLongest() {
    // From 1: jump 6 to 10, then either 15 to 19 (two pieces) or 14 to 17 and 22 to 26 (three).
    Position position = position().blackMen(1).whiteMen(6, 14, 15, 22).blackToMove();

    assertThat(rules.legalMoves(position)).containsExactlyInAnyOrder(Move.of(1, 10, 17, 26), Move.of(1, 10, 19));
    assertThat(rules.validate(position, BLACK, Move.of(1, 10, 19))).isNull();
    assertThat(rules.validate(position, BLACK, Move.of(1, 10)).code()).isEqualTo(ErrorCode.ILLEGAL_MOVE);

    Step<Position> shorter = rules.apply(position, Move.of(1, 10, 19));
    assertThat(shorter.position()).isEqualTo(position().blackMen(19).whiteMen(14, 22).whiteToMove());
  }

  @Test
  void captureByAnotherPieceMayBeChosen() {
    // 5 can take two pieces, 12 only one; either is a legal choice.
    Position position = position().blackMen(5, 12).whiteMen(9, 16, 18, 32).blackToMove();

    assertThat(rules.legalMoves(position)).containsExactlyInAnyOrder(Move.of(5, 14, 23), Move.of(12, 19));
    assertThat(rules.validate(position, BLACK, Move.of(12, 19))).isNull();
  }

  @Test
  void manReachingTheFarRowIsCrowned() {
    Position position = position().blackMen(27).whiteMen(6).blackToMove();

    Position blackCrowned = rules.apply(position, Move.of(27, 32)).position();
    assertThat(blackCrowned).isEqualTo(position().blackKings(32).whiteMen(6).whiteToMove());
    assertThat(((List<?>) rules.boardToJson(blackCrowned)).get(31)).isEqualTo("B");

    Position whiteCrowned = rules.apply(blackCrowned, Move.of(6, 1)).position();
    assertThat(whiteCrowned).isEqualTo(position().blackKings(32).whiteKings(1).blackToMove());
    assertThat(((List<?>) rules.boardToJson(whiteCrowned)).get(0)).isEqualTo("W");
  }

  @Test
  void manReachingKingRowIsCrownedAndStops() {
    // 22 takes 26 and lands on 31; as a king it could go on to take 27, but the move ends there.
    Position position = position().blackMen(22).whiteMen(26, 27).blackToMove();

    assertThat(rules.legalMoves(position)).containsExactly(Move.of(22, 31));
    assertThat(rules.validate(position, BLACK, Move.of(22, 31, 24)).code()).isEqualTo(ErrorCode.ILLEGAL_MOVE);

    Step<Position> step = rules.apply(position, Move.of(22, 31));
    assertThat(step.isTerminal()).isFalse();
    assertThat(step.position()).isEqualTo(position().blackKings(31).whiteMen(27).whiteToMove());
  }

  @Test
  void whiteManCrownedByACaptureStopsToo() {
    // 11 takes 7 and lands on 2; as a king it could go on to take 6.
    Position position = position().whiteMen(11).blackMen(6, 7).whiteToMove();

    assertThat(rules.legalMoves(position)).containsExactly(Move.of(11, 2));
    assertThat(rules.apply(position, Move.of(11, 2)).position())
        .isEqualTo(position().whiteKings(2).blackMen(6).blackToMove());
  }

  @Test
  void kingsMoveBackwards() {
    Position blackKing = position().blackKings(18).whiteMen(32).blackToMove();
    Position whiteKing = position().whiteKings(15).blackMen(1).whiteToMove();

    assertThat(rules.legalMoves(blackKing))
        .containsExactlyInAnyOrder(Move.of(18, 14), Move.of(18, 15), Move.of(18, 22), Move.of(18, 23));
    assertThat(rules.legalMoves(whiteKing))
        .containsExactlyInAnyOrder(Move.of(15, 10), Move.of(15, 11), Move.of(15, 18), Move.of(15, 19));
  }

  @Test
  void kingsCaptureBackwards() {
    Position blackKing = position().blackKings(23).whiteMen(18, 32).blackToMove();
    Position whiteKing = position().whiteKings(14).blackMen(18, 1).whiteToMove();

    assertThat(rules.legalMoves(blackKing)).containsExactly(Move.of(23, 14));
    assertThat(rules.legalMoves(whiteKing)).containsExactly(Move.of(14, 23));
  }

  @Test
  void kingMayJumpBackThroughItsStartingSquare() {
    // Four white men around 14; the king takes all four in either direction and ends where it began.
    Position position = position().blackKings(14).whiteMen(10, 11, 18, 19, 32).blackToMove();

    assertThat(rules.legalMoves(position))
        .containsExactlyInAnyOrder(Move.of(14, 23, 16, 7, 14), Move.of(14, 7, 16, 23, 14));
    assertThat(rules.apply(position, Move.of(14, 23, 16, 7, 14)).position())
        .isEqualTo(position().blackKings(14).whiteMen(32).whiteToMove());
  }

  @Test
  void menDoNotMoveOrCaptureBackwards() {
    // A white man sits behind the black man on 18, a black man behind the white man on 15.
    Position blackMan = position().blackMen(18).whiteMen(14).blackToMove();
    Position whiteMan = position().whiteMen(15).blackMen(19).whiteToMove();

    assertThat(rules.legalMoves(blackMan)).containsExactlyInAnyOrder(Move.of(18, 22), Move.of(18, 23));
    assertThat(rules.validate(blackMan, BLACK, Move.of(18, 15)).code()).isEqualTo(ErrorCode.ILLEGAL_MOVE);
    assertThat(rules.validate(blackMan, BLACK, Move.of(18, 9)).code()).isEqualTo(ErrorCode.ILLEGAL_MOVE);

    assertThat(rules.legalMoves(whiteMan)).containsExactlyInAnyOrder(Move.of(15, 10), Move.of(15, 11));
    assertThat(rules.validate(whiteMan, WHITE, Move.of(15, 18)).code()).isEqualTo(ErrorCode.ILLEGAL_MOVE);
    assertThat(rules.validate(whiteMan, WHITE, Move.of(15, 24)).code()).isEqualTo(ErrorCode.ILLEGAL_MOVE);
  }

  @Test
  void playerWithNoPiecesLeftLoses() {
    Position whiteHasOne = position().blackMen(14).whiteMen(18).blackToMove();
    Position blackHasOne = position().whiteMen(23).blackMen(18).whiteToMove();

    Step<Position> blackTakesIt = rules.apply(whiteHasOne, Move.of(14, 23));
    Step<Position> whiteTakesIt = rules.apply(blackHasOne, Move.of(23, 14));

    assertThat(blackTakesIt.outcome()).isEqualTo(Outcome.win(BLACK, Outcome.Reason.NO_MOVES));
    assertThat(whiteTakesIt.outcome()).isEqualTo(Outcome.win(WHITE, Outcome.Reason.NO_MOVES));
  }

  @Test
  void playerWhosePiecesAreAllBlockedLoses() {
    // Black's man on 4 can only step to 8, and cannot jump it because 11 is taken.
    Position blackWillBeBlocked = position().blackMen(4).whiteMen(8, 11, 30).whiteToMove();
    // White's man on 5 can only step to 1, and cannot jump off the board.
    Position whiteWillBeBlocked = position().blackMen(1, 10).whiteMen(5).blackToMove();

    Step<Position> whiteMoves = rules.apply(blackWillBeBlocked, Move.of(30, 26));
    Step<Position> blackMoves = rules.apply(whiteWillBeBlocked, Move.of(10, 15));

    assertThat(whiteMoves.outcome()).isEqualTo(Outcome.win(WHITE, Outcome.Reason.NO_MOVES));
    assertThat(rules.legalMoves(whiteMoves.position())).isEmpty();
    assertThat(blackMoves.outcome()).isEqualTo(Outcome.win(BLACK, Outcome.Reason.NO_MOVES));
    assertThat(rules.legalMoves(blackMoves.position())).isEmpty();
  }

  @Test
  void moveInALostPositionIsRejectedAsIllegal() {
    // The game is over (black is blocked), but validate must still answer rather than fail.
    Position blackIsBlocked = position().blackMen(4).whiteMen(8, 11, 26).blackToMove();

    assertThat(rules.legalMoves(blackIsBlocked)).isEmpty();
    assertThat(rules.validate(blackIsBlocked, BLACK, Move.of(4, 8)).code()).isEqualTo(ErrorCode.ILLEGAL_MOVE);
    assertThat(rules.validate(blackIsBlocked, BLACK, Move.of(4, 8, 12)).code()).isEqualTo(ErrorCode.ILLEGAL_MOVE);
  }

  @Test
  void eightyConsecutivePliesOfKingMovesWithoutCaptureAreADraw() {
    // Two kings shuffle in opposite corners: 1-5-1... and 32-28-32...
    Position position = position().blackKings(1).whiteKings(32).blackToMove();
    Move[][] shuffles = {{Move.of(1, 5), Move.of(5, 1)}, {Move.of(32, 28), Move.of(28, 32)}};
    Step<Position> step = null;
    for (int ply = 1; ply <= Checkers.DRAW_PLIES; ply++) {
      int seat = (ply - 1) % 2;
      Move move = shuffles[seat][((ply - 1) / 2) % 2];
      assertThat(rules.validate(position, seat, move)).as("ply %d", ply).isNull();
      step = rules.apply(position, move);
      position = step.position();
      assertThat(position.quietPlies()).isEqualTo(ply);
      assertThat(step.isTerminal()).as("terminal at ply %d", ply).isEqualTo(ply == Checkers.DRAW_PLIES);
    }
    assertThat(step.outcome()).isEqualTo(Outcome.draw(Outcome.Reason.DRAW_RULE));
  }

  @Test
  void captureResetsTheDrawCount() {
    Position position = position().blackKings(14).whiteMen(18).whiteKings(32).quietPlies(79).blackToMove();

    Step<Position> step = rules.apply(position, Move.of(14, 23));

    assertThat(step.isTerminal()).isFalse();
    assertThat(step.position().quietPlies()).isZero();
  }

  @Test
  void manMoveResetsTheDrawCount() {
    Position position = position().blackKings(1).blackMen(10).whiteKings(32).quietPlies(79).blackToMove();

    Step<Position> manMoves = rules.apply(position, Move.of(10, 14));
    Step<Position> kingMoves = rules.apply(position, Move.of(1, 5));

    assertThat(manMoves.isTerminal()).isFalse();
    assertThat(manMoves.position().quietPlies()).isZero();
    assertThat(kingMoves.outcome()).isEqualTo(Outcome.draw(Outcome.Reason.DRAW_RULE));
  }

  @Test
  void moveJsonIsThePathAndRoundTrips() throws MoveFormatException {
    List<Move> moves = new ArrayList<>(rules.legalMoves(rules.initialPosition()));
    moves.addAll(rules.legalMoves(position().blackKings(14).whiteMen(10, 11, 18, 19, 32).blackToMove()));

    for (Move move : moves) {
      Map<String, Object> json = rules.moveCodec().write(move);
      assertThat(json).containsOnlyKeys("path").containsEntry("path", move.path());
      assertThat(rules.moveCodec().read(json)).isEqualTo(move);
    }
    assertThat(rules.moveCodec().read(Map.of("path", List.of(9L, 13L)))).isEqualTo(Move.of(9, 13));
  }

  @Test
  void missingOrMistypedPathFailsToParseAsBadRequest() {
    Map<String, Object> nullPath = new HashMap<>();
    nullPath.put("path", null);

    assertThat(formatError(Map.of())).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(formatError(null)).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(formatError(nullPath)).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(formatError(Map.of("cell", 9))).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(formatError(Map.of("path", "9-13"))).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(formatError(Map.of("path", 9))).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(formatError(Map.of("path", Map.of("from", 9)))).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(formatError(Map.of("path", List.of(9, "13")))).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(formatError(Map.of("path", List.of(9, 13.0)))).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(formatError(Map.of("path", Arrays.asList(9, null)))).isEqualTo(ErrorCode.BAD_REQUEST);
  }

  @Test
  void outOfRangePathFailsToParseAsIllegalMove() {
    assertThat(formatError(Map.of("path", List.of()))).isEqualTo(ErrorCode.ILLEGAL_MOVE);
    assertThat(formatError(Map.of("path", List.of(9)))).isEqualTo(ErrorCode.ILLEGAL_MOVE);
    assertThat(formatError(Map.of("path", List.of(0, 5)))).isEqualTo(ErrorCode.ILLEGAL_MOVE);
    assertThat(formatError(Map.of("path", List.of(9, 33)))).isEqualTo(ErrorCode.ILLEGAL_MOVE);
    assertThat(formatError(Map.of("path", List.of(9, -13)))).isEqualTo(ErrorCode.ILLEGAL_MOVE);
    assertThat(formatError(Map.of("path", List.of(9, 1L << 40)))).isEqualTo(ErrorCode.ILLEGAL_MOVE);
    assertThat(formatError(Map.of("path", Collections.nCopies(17, 1)))).isEqualTo(ErrorCode.ILLEGAL_MOVE);
  }

  private ErrorCode formatError(Map<String, ?> json) {
    MoveFormatException e = catchThrowableOfType(MoveFormatException.class, () -> rules.moveCodec().read(json));
    assertThat(e).as("parseMove(%s) should fail", json).isNotNull();
    return e.code();
  }

  private static int[] range(int first, int last) {
    return java.util.stream.IntStream.rangeClosed(first, last).toArray();
  }
}
