package arena.gateway.protocol;

import arena.ErrorCode;
import arena.lobby.Matchmaker;
import arena.persistence.directory.JdbcGameDirectory;
import arena.persistence.history.GameHistory;
import arena.persistence.leaderboard.Leaderboard;
import arena.session.GameEvent;
import arena.session.GameSession;
import arena.session.GameView;
import java.util.List;

/**
 * The one place where the domain becomes the wire: game views, events, list entries and error
 * codes of the game actors and the database are mapped here into {@link Bodies} (and the codes of
 * replies read as {@link ErrorCode}). Nothing else in the gateway writes a domain type as JSON.
 */
public final class Wire {

  private Wire() {}

  // ---- the game state (§5) ----

  /** The state players see; {@code null} (a reply that carries none) stays {@code null}. */
  public static Bodies.GameState state(GameView view) {
    if (view == null) {
      return null;
    }
    return new Bodies.GameState(
        view.gameId(),
        view.game(),
        view.status().wireName(),
        view.seq(),
        view.visibility().wireName(),
        view.turnSeconds(),
        seats(view.players()),
        view.turn(),
        view.turnDeadline(),
        view.board(),
        result(view.result()),
        view.createdAt(),
        view.updatedAt());
  }

  private static List<Bodies.Seat> seats(List<GameView.Seat> seats) {
    return seats == null ? null : seats.stream().map(Wire::seat).toList();
  }

  private static Bodies.Seat seat(GameView.Seat seat) {
    return seat == null ? null : new Bodies.Seat(seat.seat(), seat.playerId(), seat.name());
  }

  private static Bodies.Result result(GameView.Result result) {
    return result == null ? null : new Bodies.Result(result.outcome(), result.winnerSeat(), result.reason());
  }

  private static Bodies.Result storedResult(GameEvent.Result result) {
    return result == null ? null : new Bodies.Result(result.outcome(), result.winnerSeat(), result.reason());
  }

  // ---- events (§4) ----

  /** A stored game event as the {@code event} of an event frame or of the history. */
  public static Bodies.Event event(GameEvent event) {
    if (event instanceof GameEvent.GameCreated e) {
      return new Bodies.GameCreated(e.game(),
          e.visibility().wireName(),
          e.turnSeconds(), e.seat(), e.playerId(), e.name());
    } else if (event instanceof GameEvent.PlayerJoined e) {
      return new Bodies.PlayerJoined(e.seat(), e.playerId(), e.name());
    } else if (event instanceof GameEvent.PlayerLeft e) {
      return new Bodies.PlayerLeft(e.seat());
    } else if (event instanceof GameEvent.GameStarted) {
      return new Bodies.GameStarted();
    } else if (event instanceof GameEvent.Moved e) {
      return new Bodies.Moved(e.seat(), e.move());
    } else if (event instanceof GameEvent.GameOver e) {
      return new Bodies.GameOver(storedResult(e.result()));
    } else if (event instanceof GameEvent.GameAborted e) {
      return new Bodies.GameAborted(e.reason());
    }
    throw new IllegalArgumentException("no wire form for event " + event.getClass().getName());
  }

  /** An item of a game's history. */
  public static Bodies.StoredEvent storedEvent(GameHistory.StoredEvent stored) {
    return new Bodies.StoredEvent(stored.seq(), event(stored.event()), stored.timestamp());
  }

  // ---- lists (§3) ----

  public static Bodies.PublicGame publicGame(JdbcGameDirectory.Entry entry) {
    return new Bodies.PublicGame(entry.gameId(), entry.game(), seats(entry.players()), entry.turnSeconds(),
        entry.createdAt());
  }

  public static Bodies.MyGame myGame(JdbcGameDirectory.Entry entry) {
    boolean finished = "finished".equals(entry.status());
    return new Bodies.MyGame(entry.gameId(), entry.game(), entry.status(), seats(entry.players()),
        entry.turnSeconds(), entry.createdAt(), finished ? result(entry.result()) : null);
  }

  public static Bodies.LeaderboardEntry leaderboardEntry(Leaderboard.Entry entry) {
    return new Bodies.LeaderboardEntry(entry.playerId(), entry.name(), entry.rating(), entry.wins(),
        entry.losses(), entry.draws());
  }

  // ---- error codes of replies ----
  // The game actors' replies carry their code as its wire name today; these adapters are the only
  // reads and writes of it, so that typing it as ErrorCode there changes one line each here.

  /** The code a session rejected a command with. */
  public static ErrorCode code(GameSession.Rejected rejected) {
    return rejected.code();
  }

  /** The code a session refused a subscription with. */
  public static ErrorCode code(GameSession.Refused refused) {
    return refused.code();
  }

  /** The code the matchmaker refused a quickmatch with. */
  public static ErrorCode code(Matchmaker.Rejected rejected) {
    return rejected.code();
  }

  /** A rejection the gateway itself answers for a session (unreachable, over a limit). */
  public static GameSession.Rejected rejected(ErrorCode code, String message) {
    return new GameSession.Rejected(code, message);
  }
}
