package arena.lobby;

import arena.JsonSerializable;
import arena.session.GameView;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The cluster-wide list of open public games. PLACEHOLDER PROTOCOL: the behaviour is written in
 * {@code LobbyBehavior}; game sessions only {@link Publish} their state.
 */
public final class Lobby {

  private Lobby() {}

  /** What the node's lobby actor understands. */
  public sealed interface Command extends JsonSerializable {}

  /**
   * A public game's state changed (or a session recovered): the lobby lists it while it is
   * waiting and forgets it otherwise.
   */
  public record Publish(GameView state) implements Command {}

  /** Replies the open games, newest first, of one game type or all ({@code game} null). */
  public record ListOpen(String game, int limit, ActorRef<OpenGames> replyTo) implements Command {}

  /** The answer to {@link ListOpen}. */
  public record OpenGames(List<OpenGame> games) implements JsonSerializable {}

  /** One open game as the listing shows it (ARENA-SPEC §3). */
  public record OpenGame(String gameId, String game, List<GameView.Seat> players, int turnSeconds,
      Instant createdAt) implements JsonSerializable {}
}
