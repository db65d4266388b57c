package arena.rules.checkers;

import arena.rules.GameRules;
import arena.rules.MoveCodec;
import arena.rules.Outcome;
import arena.rules.Rejection;
import arena.rules.Step;
import java.util.Arrays;
import java.util.List;

/**
 * English draughts (American checkers) on the 32 dark squares of an 8x8 board.
 *
 * <p>Seat 0 is black, starts on 1-12 and moves first; white starts on 21-32. Captures are
 * compulsory and completed ({@link MoveGenerator}); a man reaching the far row is crowned and the
 * move ends; a player with no legal move loses; 80 consecutive plies with no capture and no man
 * moved are a draw.
 */
public final class Checkers implements GameRules<Position, Move> {

  /** Plies without a capture or a man's move after which the game is drawn. */
  public static final int DRAW_PLIES = 80;

  @Override
  public String gameType() {
    return "checkers";
  }

  @Override
  public int seats() {
    return 2;
  }

  @Override
  public Position initialPosition() {
    return Position.initial();
  }

  @Override
  public int seatToMove(Position p) {
    return p.seatToMove();
  }

  @Override
  public List<Move> legalMoves(Position p) {
    return MoveGenerator.legalMoves(p);
  }

  @Override
  public Rejection checkMove(Position p, Move move) {
    List<Move> legal = MoveGenerator.legalMoves(p);
    if (legal.contains(move)) {
      return null;
    }
    if ((p.own() & Board.bit(move.from())) == 0) {
      return Rejection.illegalMove("no piece of yours on square " + move.path().get(0));
    }
    // A side with no legal move has lost; its last position must still reject, not throw.
    boolean mustCapture = !legal.isEmpty() && legal.get(0).isCapture();
    if (mustCapture && legal.stream().anyMatch(move::isPrefixOf)) {
      return Rejection.illegalMove("the capture " + move + " must be completed");
    }
    if (mustCapture) {
      return Rejection.illegalMove("a capture is compulsory");
    }
    return Rejection.illegalMove(move + " is not a legal move");
  }

  @Override
  public Step<Position> apply(Position p, Move move) {
    int from = move.from();
    int to = move.to();
    int captured = capturedBy(move);
    boolean king = p.isKing(from);
    boolean crowned = !king && (p.crownRow() & Board.bit(to)) != 0;
    int own = (p.own() & ~Board.bit(from)) | Board.bit(to);
    int opponent = p.opponent() & ~captured;
    int kings = p.kings() & ~Board.bit(from) & ~captured;
    if (king || crowned) {
      kings |= Board.bit(to);
    }
    int quiet = captured == 0 && king ? p.quietPlies() + 1 : 0;
    int mover = p.seatToMove();
    Position next = mover == 0
        ? new Position(own, opponent, kings, 1, quiet)
        : new Position(opponent, own, kings, 0, quiet);
    if (!MoveGenerator.hasAnyMove(next)) {
      return new Step<>(next, Outcome.win(mover, Outcome.Reason.NO_MOVES));
    }
    if (quiet >= DRAW_PLIES) {
      return new Step<>(next, Outcome.draw(Outcome.Reason.DRAW_RULE));
    }
    return Step.ongoing(next);
  }

  /** The pieces a move jumps: the square between each pair of path squares two rows apart. */
  private static int capturedBy(Move move) {
    int captured = 0;
    List<Integer> path = move.path();
    for (int i = 1; i < path.size(); i++) {
      int a = path.get(i - 1) - 1;
      int b = path.get(i) - 1;
      for (int d = 0; d < 4; d++) {
        if (Board.JUMP[a][d] == b) {
          captured |= Board.bit(Board.NEIGHBOUR[a][d]);
        }
      }
    }
    return captured;
  }

  @Override
  public MoveCodec<Move> moveCodec() {
    return CheckersMoves.CODEC;
  }

  /** 32 dark squares, index 0 = square 1: {@code null}, "b", "B", "w" or "W". */
  @Override
  public Object boardToJson(Position p) {
    String[] squares = new String[Board.SQUARES];
    for (int i = 0; i < Board.SQUARES; i++) {
      int bit = Board.bit(i);
      if ((p.black() & bit) != 0) {
        squares[i] = p.isKing(i) ? "B" : "b";
      } else if ((p.white() & bit) != 0) {
        squares[i] = p.isKing(i) ? "W" : "w";
      }
    }
    return Arrays.asList(squares);
  }
}
