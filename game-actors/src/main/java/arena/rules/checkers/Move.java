package arena.rules.checkers;

import java.util.List;

/**
 * A whole checkers move: every square the piece stands on, in standard numbering 1-32. A simple
 * move has two squares, a double jump three.
 */
public record Move(List<Integer> path) {

  public Move {
    path = List.copyOf(path);
  }

  public static Move of(Integer... squares) {
    return new Move(List.of(squares));
  }

  int from() {
    return path.get(0) - 1;
  }

  int to() {
    return path.get(path.size() - 1) - 1;
  }

  boolean isPrefixOf(Move longer) {
    return longer.path.size() > path.size() && longer.path.subList(0, path.size()).equals(path);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < path.size(); i++) {
      if (i > 0) {
        text.append(isCapture() ? 'x' : '-');
      }
      text.append(path.get(i));
    }
    return text.toString();
  }

  boolean isCapture() {
    return Math.abs(Board.row(path.get(0) - 1) - Board.row(path.get(1) - 1)) == 2;
  }
}
