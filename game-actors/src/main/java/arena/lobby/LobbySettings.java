package arena.lobby;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of the lobby, read from {@code arena.lobby} (see {@code reference.conf}).
 *
 * @param maxOpenGames most games listed cluster-wide; a new public game beyond it is not listed
 * @param maxListing most games one listing returns, whatever limit is asked for
 * @param staleAfter an entry created longer ago than this is never listed and is pruned: its game
 *     has expired ({@code arena.session.waiting-expiry} plus {@code arena.lobby.stale-grace})
 * @param pruneInterval how often each node prunes stale entries
 */
public record LobbySettings(int maxOpenGames, int maxListing, Duration staleAfter,
    Duration pruneInterval) {

  public LobbySettings {
    if (maxOpenGames < 1) {
      throw new IllegalArgumentException("arena.lobby.max-open-games must be at least 1, was " + maxOpenGames);
    }
    if (maxListing < 1) {
      throw new IllegalArgumentException("arena.lobby.max-listing must be at least 1, was " + maxListing);
    }
    requirePositive(staleAfter, "arena.session.waiting-expiry + arena.lobby.stale-grace");
    requirePositive(pruneInterval, "arena.lobby.prune-interval");
  }

  public static LobbySettings fromConfig(Config root) {
    Config c = root.getConfig("arena.lobby");
    Duration grace = c.getDuration("stale-grace");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("arena.lobby.stale-grace must not be negative, was " + grace);
    }
    return new LobbySettings(c.getInt("max-open-games"), c.getInt("max-listing"),
        root.getDuration("arena.session.waiting-expiry").plus(grace), c.getDuration("prune-interval"));
  }

  private static void requirePositive(Duration d, String key) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(key + " must be a positive duration, was " + d);
    }
  }
}
