package arena.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import arena.rules.GameRules;
import arena.rules.Step;
import arena.rules.checkers.Checkers;
import arena.rules.connect4.Connect4;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The only test of this module (the benchmark itself runs by hand): its scripts are legal games. */
class MoveScriptsTest {

  @Test
  void connect4ScriptFillsTheBoardAndEndsOnlyOnTheLastMove() throws Exception {
    List<Map<String, Object>> moves = MoveScripts.connect4FullBoard();
    assertThat(moves).hasSize(42);
    assertThat(endsAt(new Connect4(), moves)).isEqualTo(42);
  }

  @Test
  void checkersMarathonDoesNotEnd() throws Exception {
    List<Map<String, Object>> moves = MoveScripts.checkersMarathon(996);
    assertThat(moves).hasSize(996);
    assertThat(endsAt(new Checkers(), moves)).isEqualTo(-1);
  }

  /** The ply (1-based) whose move ended the game, or -1; fails on an illegal move. */
  private static <P, M> int endsAt(GameRules<P, M> rules, List<Map<String, Object>> moves) throws Exception {
    P position = rules.initialPosition();
    for (int ply = 0; ply < moves.size(); ply++) {
      M move = rules.moveCodec().read(moves.get(ply));
      assertThat(rules.validate(position, ply % 2, move)).as("move %d", ply + 1).isNull();
      Step<P> step = rules.apply(position, move);
      if (step.isTerminal()) {
        return ply + 1;
      }
      position = step.position();
    }
    return -1;
  }
}
