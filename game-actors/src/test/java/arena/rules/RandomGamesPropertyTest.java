package arena.rules;

import static org.assertj.core.api.Assertions.assertThat;

import arena.ErrorCode;
import arena.rules.checkers.Checkers;
import arena.rules.checkers.Position;
import arena.rules.connect4.Connect4;
import arena.rules.tictactoe.TicTacToe;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Thousands of random legal games per game type. Each one must end within the game's bound,
 * pass through legal positions only, offer only moves that {@code validate} accepts, read its
 * moves back from their JSON, and replay to the same positions and outcome.
 */
class RandomGamesPropertyTest {

  /**
   * Checkers has no fixed length, but the rules bound it: a man advances at most 7 rows, so 24
   * men make at most 168 man moves; at most 23 moves capture (the 24th piece taken would have
   * ended the game earlier); and between two such moves at most 79 quiet king moves fit before
   * the 80-ply draw. So no game exceeds 191 + 192 * 80 = 15551 plies. Random games end far sooner.
   */
  static final int CHECKERS_MAX_PLIES = 191 + 192 * Checkers.DRAW_PLIES;

  private static final int BLACK_CROWN_ROW = 0xF000_0000; // squares 29-32
  private static final int WHITE_CROWN_ROW = 0x0000_000F; // squares 1-4

  @Example
  void everyGameInTheCatalogHasAProperty() {
    assertThat(GameCatalog.all()).extracting(GameRules::gameType)
        .containsExactly("tictactoe", "connect4", "checkers");
  }

  @Property(tries = 1000)
  void randomTictactoeGamesAreSound(@ForAll long seed) throws MoveFormatException {
    TicTacToe rules = (TicTacToe) GameCatalog.find("tictactoe").orElseThrow();

    Game<TicTacToe.Position, TicTacToe.Move> game = play(rules, seed, 9, (before, p) -> {
      assertThat(p.seat0() & p.seat1()).as("one mark per cell").isZero();
      assertThat((p.seat0() | p.seat1()) & ~0x1FF).as("only 9 cells").isZero();
      int marksAhead = Integer.bitCount(p.seat0()) - Integer.bitCount(p.seat1());
      assertThat(marksAhead).as("seat 0 has as many marks as seat 1 or one more").isBetween(0, 1);
      assertThat((List<?>) rules.boardToJson(p)).hasSize(9);
    });

    assertThat(game.outcome().reason()).isIn(Outcome.Reason.LINE, Outcome.Reason.BOARD_FULL);
    if (game.outcome().reason() == Outcome.Reason.BOARD_FULL) {
      assertThat(rules.legalMoves(game.last())).isEmpty();
    }
  }

  @Property(tries = 1000)
  void randomConnect4GamesAreSound(@ForAll long seed) throws MoveFormatException {
    Connect4 rules = (Connect4) GameCatalog.find("connect4").orElseThrow();

    Game<Connect4.Position, Connect4.Move> game = play(rules, seed, 42, (before, p) -> {
      long discs = p.seat0() | p.seat1();
      assertThat(p.seat0() & p.seat1()).as("one disc per cell").isZero();
      assertThat(Long.bitCount(discs)).as("plies count the discs").isEqualTo(p.plies());
      assertThat(Long.bitCount(p.seat0()) - Long.bitCount(p.seat1())).isBetween(0, 1);
      for (int column = 0; column < 7; column++) {
        long stack = (discs >>> (column * 7)) & 0x7F;
        assertThat(stack & 0x40).as("row 7 of column %d is not on the board", column).isZero();
        assertThat(stack & (stack + 1)).as("no floating disc in column %d", column).isZero();
      }
      assertThat(discs >>> 49).as("only 7 columns").isZero();
      List<?> board = (List<?>) rules.boardToJson(p);
      assertThat(board).hasSize(6).allSatisfy(row -> assertThat((List<?>) row).hasSize(7));
    });

    assertThat(game.outcome().reason()).isIn(Outcome.Reason.LINE, Outcome.Reason.BOARD_FULL);
    if (game.outcome().reason() == Outcome.Reason.BOARD_FULL) {
      assertThat(game.last().plies()).isEqualTo(42);
    }
  }

  @Property(tries = 1000)
  void randomCheckersGamesAreSound(@ForAll long seed) throws MoveFormatException {
    Checkers rules = (Checkers) GameCatalog.find("checkers").orElseThrow();

    Game<Position, arena.rules.checkers.Move> game = play(rules, seed, CHECKERS_MAX_PLIES, (before, p) -> {
      assertThat(p.black() & p.white()).as("one piece per square").isZero();
      assertThat(p.kings() & ~(p.black() | p.white())).as("every king is a piece").isZero();
      assertThat(Integer.bitCount(p.black())).isLessThanOrEqualTo(12);
      assertThat(Integer.bitCount(p.white())).isLessThanOrEqualTo(12);
      assertThat(p.black() & ~p.kings() & BLACK_CROWN_ROW).as("no black man on 29-32").isZero();
      assertThat(p.white() & ~p.kings() & WHITE_CROWN_ROW).as("no white man on 1-4").isZero();
      assertThat(p.seatToMove()).isBetween(0, 1);
      assertThat(p.quietPlies()).isBetween(0, Checkers.DRAW_PLIES);
      if (before != null) {
        assertThat(Integer.bitCount(p.black())).isLessThanOrEqualTo(Integer.bitCount(before.black()));
        assertThat(Integer.bitCount(p.white())).isLessThanOrEqualTo(Integer.bitCount(before.white()));
        int stayedBlack = before.black() & p.black();
        int stayedWhite = before.white() & p.white();
        assertThat(before.kings() & (stayedBlack | stayedWhite) & ~p.kings()).as("kings stay kings").isZero();
      }
      List<?> board = (List<?>) rules.boardToJson(p);
      assertThat(board).hasSize(32);
      assertThat(board.stream().filter(s -> s != null).count())
          .isEqualTo(Integer.bitCount(p.black() | p.white()));
    });

    assertThat(game.outcome().reason()).isIn(Outcome.Reason.NO_MOVES, Outcome.Reason.DRAW_RULE);
    if (game.outcome().reason() == Outcome.Reason.NO_MOVES) {
      assertThat(rules.legalMoves(game.last())).as("the loser has no move").isEmpty();
    } else {
      assertThat(game.last().quietPlies()).isEqualTo(Checkers.DRAW_PLIES);
    }
  }

  /** A finished game: every position from the initial one on, the moves between, the outcome. */
  record Game<P, M>(List<P> positions, List<M> moves, Outcome outcome) {
    P last() {
      return positions.get(positions.size() - 1);
    }
  }

  /**
   * Plays random legal moves from the initial position until the game ends, checking {@code
   * legal} on every position (with the one before it, {@code null} at the start), then replays
   * the moves.
   */
  private static <P, M> Game<P, M> play(GameRules<P, M> rules, long seed, int maxPlies,
      BiConsumer<P, P> legal) throws MoveFormatException {
    SplittableRandom random = new SplittableRandom(seed);
    P position = rules.initialPosition();
    legal.accept(null, position);
    List<P> positions = new ArrayList<>(List.of(position));
    List<M> moves = new ArrayList<>();
    Outcome outcome = null;
    while (outcome == null) {
      assertThat(moves).as("%s game still going after %d plies", rules.gameType(), maxPlies).hasSizeLessThan(maxPlies);
      List<M> legalMoves = rules.legalMoves(position);
      assertThat(legalMoves).as("a game that goes on has a move").isNotEmpty();
      Set<M> distinct = new HashSet<>(legalMoves);
      assertThat(distinct).as("no move listed twice").hasSameSizeAs(legalMoves);

      int seat = rules.seatToMove(position);
      int other = (seat + 1) % rules.seats();
      for (M move : legalMoves) {
        assertThat(rules.validate(position, seat, move)).as("validate %s", move).isNull();
        assertThat(rules.validate(position, other, move).code()).isEqualTo(ErrorCode.NOT_YOUR_TURN);
      }

      M move = legalMoves.get(random.nextInt(legalMoves.size()));
      assertThat(rules.moveCodec().read(rules.moveCodec().write(move))).as("JSON round trip").isEqualTo(move);
      Step<P> step = rules.apply(position, move);
      legal.accept(position, step.position());
      position = step.position();
      positions.add(position);
      moves.add(move);
      outcome = step.outcome();
      if (outcome != null && outcome.outcome() == Outcome.Kind.WIN) {
        assertThat(outcome.winnerSeat()).as("only the player who just moved can win").isEqualTo(seat);
      }
    }

    Game<P, M> game = new Game<>(Collections.unmodifiableList(positions), List.copyOf(moves), outcome);
    assertThat(replay(rules, game.moves())).isEqualTo(game);
    return game;
  }

  private static <P, M> Game<P, M> replay(GameRules<P, M> rules, List<M> moves) {
    P position = rules.initialPosition();
    List<P> positions = new ArrayList<>(List.of(position));
    Outcome outcome = null;
    for (M move : moves) {
      assertThat(outcome).as("replay ended before its last move").isNull();
      Step<P> step = rules.apply(position, move);
      position = step.position();
      positions.add(position);
      outcome = step.outcome();
    }
    return new Game<>(Collections.unmodifiableList(positions), List.copyOf(moves), outcome);
  }
}
