package arena.rules.connect4;

import arena.rules.MoveCodec;
import arena.rules.MoveFields;
import arena.rules.MoveFormatException;
import arena.rules.connect4.Connect4.Move;
import java.util.Map;

/** Connect Four moves in JSON: {@code {"column": 0-6}}. */
final class Connect4Moves implements MoveCodec<Move> {

  static final Connect4Moves CODEC = new Connect4Moves();

  @Override
  public Move read(Map<String, ?> json) throws MoveFormatException {
    return new Move(MoveFields.intField(json, "column", 0, Connect4.COLUMNS - 1));
  }

  @Override
  public Map<String, Object> write(Move move) {
    return Map.of("column", move.column());
  }
}
