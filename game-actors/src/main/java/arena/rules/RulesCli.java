package arena.rules;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Command line for the rules engine. {@code perft <game> <depth>} prints the leaf count at that
 * depth as a bare number on its last line.
 */
public final class RulesCli {

  private RulesCli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length != 3 || !args[0].equals("perft")) {
      err.println("usage: perft <game> <depth>   games: " + gameNames());
      return 2;
    }
    GameRules<?, ?> rules = GameCatalog.find(args[1]).orElse(null);
    if (rules == null) {
      err.println("unknown game '" + args[1] + "'; games: " + gameNames());
      return 2;
    }
    int depth;
    try {
      depth = Integer.parseInt(args[2]);
    } catch (NumberFormatException e) {
      depth = -1;
    }
    if (depth < 0) {
      err.println("depth must be a whole number >= 0, was '" + args[2] + "'");
      return 2;
    }
    long started = System.nanoTime();
    long leaves = Perft.count(rules, depth);
    double seconds = (System.nanoTime() - started) / 1e9;
    err.printf(Locale.ROOT, "perft %s %d: %.3f s%n", rules.gameType(), depth, seconds);
    out.println(leaves);
    return 0;
  }

  private static String gameNames() {
    return String.join(", ", GameCatalog.all().stream().map(GameRules::gameType).toList());
  }
}
