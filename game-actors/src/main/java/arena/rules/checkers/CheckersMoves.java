package arena.rules.checkers;

import arena.rules.MoveCodec;
import arena.rules.MoveFields;
import arena.rules.MoveFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Checkers moves in JSON: {@code {"path": [squares 1-32]}}, 2 to {@value #MAX_PATH} squares. */
final class CheckersMoves implements MoveCodec<Move> {

  static final CheckersMoves CODEC = new CheckersMoves();
  private static final int MAX_PATH = 16;

  @Override
  public Move read(Map<String, ?> json) throws MoveFormatException {
    Object raw = json == null ? null : json.get("path");
    if (raw == null) {
      throw MoveFormatException.badRequest("move.path is missing");
    }
    if (!(raw instanceof List<?> list)) {
      throw MoveFormatException.badRequest("move.path must be an array of squares");
    }
    List<Integer> path = new ArrayList<>(list.size());
    for (Object square : list) {
      path.add(MoveFields.wholeNumber(square, "move.path[" + path.size() + "]"));
    }
    if (path.size() < 2 || path.size() > MAX_PATH) {
      throw MoveFormatException.outOfRange("move.path must have 2-" + MAX_PATH + " squares");
    }
    for (int square : path) {
      if (square < 1 || square > Board.SQUARES) {
        throw MoveFormatException.outOfRange("squares are numbered 1-32, not " + square);
      }
    }
    return new Move(path);
  }

  @Override
  public Map<String, Object> write(Move move) {
    return Map.of("path", move.path());
  }
}
