package arena.gateway;

import arena.ErrorCode;
import arena.gateway.protocol.Bodies;
import arena.gateway.protocol.ProtocolException;
import arena.gateway.protocol.Wire;
import arena.persistence.directory.JdbcGameDirectory;
import arena.rules.GameCatalog;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The game lists of ARENA-SPEC §3, read from the game directory: open and active public games
 * ({@code GET /api/v1/games}) and a player's own games ({@code GET /api/v1/players/me/games}).
 * Parameters are checked here (unknown or out of range: {@code bad_request}, never clamped); the
 * items have exactly the spec's fields, in its order.
 */
public final class GameLists {

  private static final Set<String> PUBLIC_PARAMETERS = Set.of("status", "game", "limit");
  private static final Set<String> MY_PARAMETERS = Set.of("status", "limit");
  private static final Set<String> MY_STATUSES = Set.of("waiting", "active", "finished");

  private final JdbcGameDirectory directory;

  /** Lists read from {@code directory}; {@code null} answers every list {@code unavailable}. */
  public GameLists(JdbcGameDirectory directory) {
    this.directory = directory;
  }

  /** {@code GET /api/v1/games?status=open|active&game=&limit=}: public games, 1-500, default 100. */
  public CompletionStage<List<Bodies.PublicGame>> publicGames(Map<String, String> query) throws ProtocolException {
    onlyKnown(query, PUBLIC_PARAMETERS);
    String status = query.getOrDefault("status", "open");
    if (!status.equals("open") && !status.equals("active")) {
      throw ProtocolException.badRequest("status must be open or active");
    }
    String game = query.get("game");
    if (game != null && GameCatalog.find(game).isEmpty()) {
      throw new ProtocolException(ErrorCode.UNKNOWN_GAME_TYPE, "no game type '" + game + "'");
    }
    int limit = limit(query, 100);
    if (directory == null) {
      return unavailable();
    }
    return (status.equals("open") ? directory.open(game, limit) : directory.active(game, limit))
        .thenApply(entries -> entries.stream().map(Wire::publicGame).toList());
  }

  /** {@code GET /api/v1/players/me/games?status=waiting|active|finished&limit=}: 1-500, default 50. */
  public CompletionStage<List<Bodies.MyGame>> playerGames(String playerId, Map<String, String> query)
      throws ProtocolException {
    onlyKnown(query, MY_PARAMETERS);
    String status = query.get("status");
    if (status != null && !MY_STATUSES.contains(status)) {
      throw ProtocolException.badRequest("status must be waiting, active or finished");
    }
    int limit = limit(query, 50);
    if (directory == null) {
      return unavailable();
    }
    return directory.ofPlayer(playerId, status, limit)
        .thenApply(entries -> entries.stream().map(Wire::myGame).toList());
  }

  private static void onlyKnown(Map<String, String> query, Set<String> known) throws ProtocolException {
    for (String name : query.keySet()) {
      if (!known.contains(name)) {
        throw ProtocolException.badRequest("unknown parameter '" + name + "'; known: " + String.join(", ",
            known.stream().sorted().toList()));
      }
    }
  }

  private static int limit(Map<String, String> query, int fallback) throws ProtocolException {
    String text = query.get("limit");
    if (text == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text);
      if (value >= 1 && value <= 500) {
        return value;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw ProtocolException.badRequest("limit must be a whole number 1-500");
  }

  private static <T> CompletionStage<T> unavailable() {
    return CompletableFuture.failedFuture(new IllegalStateException("this node has no game directory"));
  }
}
