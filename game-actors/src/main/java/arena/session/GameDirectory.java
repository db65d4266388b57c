package arena.session;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * The durable directory of games that the lists read (open and active public games, a player's
 * own games): one entry per game, written by the game's session on lifecycle events only (created,
 * joined, left, started, ended; never on a move) and again when the session recovers.
 *
 * <p>The session answers a lifecycle command only once {@link #record} completed, so the answered
 * change is in the directory before the player hears of it: every node that reads the directory
 * afterwards sees it. Writes of one game may overlap (the session does not wait for one before it
 * handles the next command), so the directory keeps an entry only when its {@code seq} is newer
 * than the one it holds.
 *
 * <p>The node keeps the directory in the database ({@code game_directory}); tests use their own.
 */
public interface GameDirectory {

  /** No directory (tests, benchmarks): every record completes at once. */
  GameDirectory NONE = (game, startedAt) -> CompletableFuture.completedFuture(Done.getInstance());

  /**
   * Stores {@code game} as the game's entry unless a newer one (higher {@code seq}) is there.
   * {@code startedAt} is when the game started if it did so in this change (else {@code null}: the
   * directory keeps the start it knows). Completes when stored; a failure leaves the retrying to
   * the directory (the session answers its player either way: the change itself is stored).
   */
  CompletionStage<Done> record(GameView game, Instant startedAt);

  /**
   * The session of {@code game} recovered (a node start restarts thousands at once): store the
   * entry if the directory lacks it or holds an older one. Nobody waits for this; a directory may
   * check many recovered games in one query rather than write each.
   */
  default void recovered(GameView game) {
    record(game, null);
  }
}
