package arena.rules;

import arena.rules.checkers.Checkers;
import arena.rules.connect4.Connect4;
import arena.rules.tictactoe.TicTacToe;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The games this build knows, in catalog order.
 *
 * <p>An explicit list rather than a {@code ServiceLoader}: the catalog's order is part of the API,
 * a typo fails at compile time, and a node never changes its games because a jar appeared on the
 * class path. Adding a game is one class and one line here.
 */
public final class GameCatalog {

  private static final Map<String, GameRules<?, ?>> GAMES = index(
      new TicTacToe(), new Connect4(), new Checkers());

  private GameCatalog() {}

  /** Every game, in catalog order. */
  public static List<GameRules<?, ?>> all() {
    return List.copyOf(GAMES.values());
  }

  /** The rules of a game type, if this build knows it. */
  public static Optional<GameRules<?, ?>> find(String gameType) {
    return Optional.ofNullable(gameType == null ? null : GAMES.get(gameType));
  }

  private static Map<String, GameRules<?, ?>> index(GameRules<?, ?>... games) {
    Map<String, GameRules<?, ?>> byType = new LinkedHashMap<>();
    for (GameRules<?, ?> game : games) {
      if (byType.put(game.gameType(), game) != null) {
        throw new IllegalStateException("two games named " + game.gameType());
      }
    }
    return byType;
  }
}
