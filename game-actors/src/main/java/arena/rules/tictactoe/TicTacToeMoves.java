package arena.rules.tictactoe;

import arena.rules.MoveCodec;
import arena.rules.MoveFields;
import arena.rules.MoveFormatException;
import arena.rules.tictactoe.TicTacToe.Move;
import java.util.Map;

/** Tic-tac-toe moves in JSON: {@code {"cell": 0-8}}. */
final class TicTacToeMoves implements MoveCodec<Move> {

  static final TicTacToeMoves CODEC = new TicTacToeMoves();

  @Override
  public Move read(Map<String, ?> json) throws MoveFormatException {
    return new Move(MoveFields.intField(json, "cell", 0, 8));
  }

  @Override
  public Map<String, Object> write(Move move) {
    return Map.of("cell", move.cell());
  }
}
