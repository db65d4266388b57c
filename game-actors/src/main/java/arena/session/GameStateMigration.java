package arena.session;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.pekko.serialization.jackson.JacksonMigration;

/**
 * Keeps stored snapshots readable. Version history of {@link GameState}'s JSON:
 *
 * <ol>
 *   <li>(no version in the manifest) {@code gameId, game, status} (the constant's name, e.g.
 *       {@code ACTIVE}), {@code seq, visibility} ({@code public}/{@code private}), {@code
 *       turnSeconds, seats} ({@code [{seat, playerId, name}]} with {@code null} for a free seat),
 *       {@code expiresAt, turnDeadline, result} ({@code {outcome, winnerSeat, reason}} or {@code
 *       null}), {@code createdAt, updatedAt, moves} (each move's JSON), {@code usedIds} ({@code
 *       {playerId: [{requestId, seq}]}}); the position is not stored but replayed from the moves;
 *   <li>the same shape, now owned by the journal's records ({@link GameEvent.Seat},
 *       {@link GameEvent.Result}) rather than the view's: nothing to transform.
 * </ol>
 *
 * A later change of the snapshot's shape raises {@link #currentVersion()} and transforms older
 * JSON here; snapshots are never rewritten in the store.
 */
public final class GameStateMigration extends JacksonMigration {

  @Override
  public int currentVersion() {
    return 2;
  }

  @Override
  public JsonNode transform(int fromVersion, JsonNode json) {
    return json;
  }
}
