package arena.session;

import arena.lobby.Lobby;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What a game session reports to and relies on besides its settings and clock: one record, so
 * that a new collaborator adds a field here rather than another overload of
 * {@link GameSession#init} and {@link GameSession#create}.
 *
 * @param lobby the node's lobby actor, which public games keep informed
 * @param metrics operators' metrics
 * @param wakeups the durable schedule that lets idle live games leave memory
 * @param directory the durable directory the game lists read
 */
public record SessionServices(ActorRef<Lobby.Command> lobby, SessionMetrics metrics, Wakeups wakeups,
    GameDirectory directory) {

  /** Only a lobby: no metrics, no wake-up schedule, no directory (tests, benchmarks). */
  public static SessionServices of(ActorRef<Lobby.Command> lobby) {
    return new SessionServices(lobby, SessionMetrics.NONE, Wakeups.NONE, GameDirectory.NONE);
  }

  public SessionServices withDirectory(GameDirectory directory) {
    return new SessionServices(lobby, metrics, wakeups, directory);
  }
}
