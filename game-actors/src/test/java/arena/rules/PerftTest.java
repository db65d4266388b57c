package arena.rules;

import static org.assertj.core.api.Assertions.assertThat;

import arena.rules.checkers.Checkers;
import arena.rules.connect4.Connect4;
import arena.rules.tictactoe.TicTacToe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Perft counts from the initial position against published or independently derived values. A
 * wrong count at some depth points at a move-generation bug (a missed capture, a wrong crowning)
 * long before a player would notice. Depths are capped so that the whole class runs in about a
 * second; deeper counts can be checked by hand with {@code RulesCli perft <game> <depth>}.
 */
class PerftTest {

  /**
   * English draughts from the standard opening position, black to move.
   *
   * <p>Source: Aart Bik, "Perft for Checkers", on Aart's Computer Checkers Page,
   * http://www.aartbik.com/MISC/checkers.html (counts from the move generator of his engine
   * BikMove; he also wrote them up on his blog). His table continues with perft(9) = 3963680 and perft(10) = 18391564. He notes that duplicate captures
   * (one king taking the same pieces in different orders) are not merged, which first matters at
   * depth 12; our generator does not merge them either.
   */
  @ParameterizedTest(name = "checkers perft({0}) = {1}")
  @CsvSource({
      "1, 7",
      "2, 49",
      "3, 302",
      "4, 1469",
      "5, 7361",
      "6, 36768",
      "7, 179740",
      "8, 845931",
  })
  void checkersMatchesAartBiksPerftTable(int depth, long leaves) {
    assertThat(Perft.count(new Checkers(), depth)).isEqualTo(leaves);
  }

  /**
   * Connect Four, 7 columns of 6 rows, empty board. No perft table for Connect Four turned up in
   * the literature (OEIS A212693 counts distinct positions per ply, not move paths), so each count
   * is derived:
   *
   * <ul>
   *   <li>depths 1-6: 7^n, since no column can fill before six discs and no one can have four
   *       discs before ply 7;
   *   <li>depth 7: 7^7 - 7 = 823536, because the 7 six-ply games that filled one column have only
   *       6 moves left;
   *   <li>depth 8: 5673234, counted by {@link NaiveConnect4}, an independent brute-force
   *       enumerator on a plain array that checks every line cell by cell (see
   *       {@link #connect4DepthEightAgreesWithANaiveEnumerator}).
   * </ul>
   */
  @ParameterizedTest(name = "connect4 perft({0}) = {1}")
  @CsvSource({
      "1, 7",
      "2, 49",
      "3, 343",
      "4, 2401",
      "5, 16807",
      "6, 117649",
      "7, 823536",
      "8, 5673234",
  })
  void connect4MatchesDerivedCounts(int depth, long leaves) {
    assertThat(Perft.count(new Connect4(), depth)).isEqualTo(leaves);
  }

  @Test
  void connect4DepthEightAgreesWithANaiveEnumerator() {
    assertThat(NaiveConnect4.perft(8)).isEqualTo(5_673_234L);
  }

  /**
   * Tic-tac-toe, empty board. Games that end at each ply, from "Game combinations of tic-tac-toe",
   * https://math.stackexchange.com/questions/269066 (after Henry Bottomley's "How many Tic-Tac-Toe
   * (noughts and crosses) games are possible?", http://www.se16.info/hgb/tictactoe.htm): 1440 at
   * ply 5, 5328 at ply 6, 47952 at ply 7, 72576 at ply 8 and 127872 at ply 9, 255168 in all. So
   * perft(n) = 9!/(9-n)! up to depth 5, then (perft(n-1) - games ended at ply n-1) * (10 - n):
   * 54720, 148176, 200448, and at depth 9 the 127872 games that reach the ninth ply.
   */
  @ParameterizedTest(name = "tictactoe perft({0}) = {1}")
  @CsvSource({
      "1, 9",
      "2, 72",
      "3, 504",
      "4, 3024",
      "5, 15120",
      "6, 54720",
      "7, 148176",
      "8, 200448",
      "9, 127872",
  })
  void tictactoeMatchesTheKnownGameCounts(int depth, long leaves) {
    assertThat(Perft.count(new TicTacToe(), depth)).isEqualTo(leaves);
  }

  /**
   * 255,168 complete games: OEIS A061526 ("Number of complete games of n X n tic-tac-toe",
   * https://oeis.org/A061526, a(3)); also quoted in Wikipedia's "Game complexity",
   * https://en.wikipedia.org/wiki/Game_complexity.
   */
  @Test
  void tictactoeHas255168CompleteGames() {
    TicTacToe rules = new TicTacToe();
    assertThat(Perft.completeGames(rules, rules.initialPosition())).isEqualTo(255_168L);
  }

  @Test
  void depthZeroIsTheStartingPositionAlone() {
    for (GameRules<?, ?> rules : GameCatalog.all()) {
      assertThat(Perft.count(rules, 0)).as(rules.gameType()).isEqualTo(1L);
    }
  }

  /**
   * Connect Four on a 7x6 array, written without bitboards or shared code so that it can only
   * agree with {@link Connect4} by both being right. A win ends the game; a full board too.
   */
  static final class NaiveConnect4 {
    private static final int COLUMNS = 7;
    private static final int ROWS = 6;
    private final int[][] cells = new int[COLUMNS][ROWS]; // 0 empty, 1 or 2 a player
    private final int[] heights = new int[COLUMNS];

    static long perft(int depth) {
      return new NaiveConnect4().count(depth, 1, 0);
    }

    private long count(int depth, int player, int discs) {
      if (depth == 0) {
        return 1;
      }
      long leaves = 0;
      for (int column = 0; column < COLUMNS; column++) {
        if (heights[column] == ROWS) {
          continue;
        }
        int row = heights[column]++;
        cells[column][row] = player;
        boolean over = wins(column, row, player) || discs + 1 == COLUMNS * ROWS;
        if (depth == 1) {
          leaves++;
        } else if (!over) {
          leaves += count(depth - 1, 3 - player, discs + 1);
        }
        cells[column][row] = 0;
        heights[column]--;
      }
      return leaves;
    }

    private boolean wins(int column, int row, int player) {
      int[][] directions = {{1, 0}, {0, 1}, {1, 1}, {1, -1}};
      for (int[] d : directions) {
        int run = 1 + run(column, row, d[0], d[1], player) + run(column, row, -d[0], -d[1], player);
        if (run >= 4) {
          return true;
        }
      }
      return false;
    }

    private int run(int column, int row, int dc, int dr, int player) {
      int length = 0;
      for (int c = column + dc, r = row + dr;
          c >= 0 && c < COLUMNS && r >= 0 && r < ROWS && cells[c][r] == player;
          c += dc, r += dr) {
        length++;
      }
      return length;
    }
  }
}
