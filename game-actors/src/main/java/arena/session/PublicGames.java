package arena.session;

/**
 * Where public games report every change of their state, so that they can be listed while they
 * wait for players. The lobby implements it (see {@code arena.lobby.Lobby#listing}); the session
 * knows nothing of the lobby.
 */
@FunctionalInterface
public interface PublicGames {

  /** Nobody lists games (tests, benchmarks). */
  PublicGames NONE = game -> {};

  /** A public game changed: {@code game} is its state now. */
  void changed(GameView game);
}
