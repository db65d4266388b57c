package arena.loadtest;

import arena.rules.GameRules;
import arena.rules.Step;
import arena.rules.checkers.Checkers;
import arena.rules.checkers.Move;
import arena.rules.checkers.Position;
import arena.rules.connect4.Connect4;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fixed move lists that the benchmark's players replay, found with the production rules by a
 * seeded random search, so every run plays the same games.
 */
public final class MoveScripts {

  private static final int SEARCH_SEEDS = 100_000;

  private MoveScripts() {}

  /**
   * A whole connect4 game: 42 moves that fill the board, no move before the last ending the game,
   * the last one ending it (a full board, or a line made by the last disc).
   */
  public static List<Map<String, Object>> connect4FullBoard() {
    Connect4 rules = new Connect4();
    int plies = Connect4.COLUMNS * Connect4.ROWS;
    for (long seed = 1; seed < SEARCH_SEEDS; seed++) {
      List<Map<String, Object>> moves = randomGame(rules, plies, new Random(seed));
      if (moves != null) {
        return moves;
      }
    }
    throw new IllegalStateException("no connect4 game of " + plies + " plies found");
  }

  private static <P, M> List<Map<String, Object>> randomGame(GameRules<P, M> rules, int plies, Random random) {
    P position = rules.initialPosition();
    List<Map<String, Object>> played = new ArrayList<>(plies);
    for (int ply = 1; ply <= plies; ply++) {
      List<M> candidates = new ArrayList<>();
      for (M move : rules.legalMoves(position)) {
        if (rules.apply(position, move).isTerminal() == (ply == plies)) {
          candidates.add(move);
        }
      }
      if (candidates.isEmpty()) {
        return null;
      }
      M move = candidates.get(random.nextInt(candidates.size()));
      position = rules.apply(position, move).position();
      played.add(rules.moveCodec().write(move));
    }
    return played;
  }

  /**
   * {@code plies} checkers moves after which the game still goes on: the only game that lasts long
   * enough for a recovery of 1,000 events. Kings shuffle while the draw rule allows, men move when
   * it is about to end the game, and no move leaves a piece to be captured if another does not.
   */
  static List<Map<String, Object>> checkersMarathon(int plies) {
    Checkers rules = new Checkers();
    for (long seed = 1; seed < SEARCH_SEEDS; seed++) {
      List<Map<String, Object>> moves = marathon(rules, plies, new Random(seed));
      if (moves != null) {
        return moves;
      }
    }
    throw new IllegalStateException("no checkers game of " + plies + " plies found");
  }

  private static List<Map<String, Object>> marathon(Checkers rules, int plies, Random random) {
    Position position = rules.initialPosition();
    List<Map<String, Object>> played = new ArrayList<>(plies);
    while (played.size() < plies) {
      List<Move> kingShuffles = new ArrayList<>();
      List<Move> safe = new ArrayList<>();
      List<Move> ongoing = new ArrayList<>();
      for (Move move : rules.legalMoves(position)) {
        Step<Position> step = rules.apply(position, move);
        if (step.isTerminal()) {
          continue;
        }
        ongoing.add(move);
        if (!givesCapture(rules, step.position())) {
          boolean quietKingMove = isKing(position, move) && !isCapture(move);
          (quietKingMove ? kingShuffles : safe).add(move);
        }
      }
      List<Move> pool = !kingShuffles.isEmpty() && position.quietPlies() < Checkers.DRAW_PLIES - 10
          ? kingShuffles
          : !safe.isEmpty() ? safe : !kingShuffles.isEmpty() ? kingShuffles : ongoing;
      if (pool.isEmpty()) {
        return null;
      }
      Move move = pool.get(random.nextInt(pool.size()));
      position = rules.apply(position, move).position();
      played.add(rules.moveCodec().write(move));
    }
    return played;
  }

  private static boolean givesCapture(Checkers rules, Position next) {
    List<Move> replies = rules.legalMoves(next);
    return !replies.isEmpty() && isCapture(replies.get(0));
  }

  private static boolean isKing(Position position, Move move) {
    return (position.kings() & (1 << (move.path().get(0) - 1))) != 0;
  }

  /** A jump spans two rows; squares are numbered four to a row. */
  private static boolean isCapture(Move move) {
    int from = (move.path().get(0) - 1) / 4;
    int to = (move.path().get(1) - 1) / 4;
    return Math.abs(from - to) == 2;
  }
}
