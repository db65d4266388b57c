package arena.session;

import java.time.Clock;

/**
 * What a game session relies on besides its settings: one record, so that a new collaborator adds
 * a field here rather than a parameter to {@link GameSession#init} and {@link GameSession#create}.
 *
 * @param clock the time of events and deadlines
 * @param publicGames where public games report their state (the node's lobby)
 * @param metrics operators' metrics
 * @param wakeups the durable schedule that lets idle live games leave memory
 * @param directory the durable directory the game lists read
 */
public record SessionServices(Clock clock, PublicGames publicGames, SessionMetrics metrics, Wakeups wakeups,
    GameDirectory directory) {

  /** Only a clock: no lobby, no metrics, no wake-up schedule, no directory (tests, benchmarks). */
  public static SessionServices of(Clock clock) {
    return new SessionServices(clock, PublicGames.NONE, SessionMetrics.NONE, Wakeups.NONE, GameDirectory.NONE);
  }

  public SessionServices withPublicGames(PublicGames games) {
    return new SessionServices(clock, games, metrics, wakeups, directory);
  }

  public SessionServices withMetrics(SessionMetrics sessionMetrics) {
    return new SessionServices(clock, publicGames, sessionMetrics, wakeups, directory);
  }

  public SessionServices withWakeups(Wakeups schedule) {
    return new SessionServices(clock, publicGames, metrics, schedule, directory);
  }

  public SessionServices withDirectory(GameDirectory gameDirectory) {
    return new SessionServices(clock, publicGames, metrics, wakeups, gameDirectory);
  }
}
