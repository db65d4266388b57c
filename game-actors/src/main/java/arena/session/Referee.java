package arena.session;

import arena.ErrorCode;
import arena.rules.GameCatalog;
import arena.rules.Outcome;
import arena.session.GameEvent.GameAborted;
import arena.session.GameEvent.GameCreated;
import arena.session.GameEvent.GameOver;
import arena.session.GameEvent.GameStarted;
import arena.session.GameEvent.Moved;
import arena.session.GameEvent.PlayerJoined;
import arena.session.GameEvent.PlayerLeft;
import arena.session.GameEvent.Result;
import arena.session.GameSession.Create;
import arena.session.GameSession.Join;
import arena.session.GameSession.Leave;
import arena.session.GameSession.MakeMove;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides what a player's command does to a game: the events to store, the earlier answer to
 * repeat, or the spec's error. Pure: no actor, no clock (the time is given), no storage; the
 * {@link GameSession} persists and answers. Each method expects the status its name says.
 */
final class Referee {

  /** What a command does. */
  sealed interface Verdict {}

  /** Refused with the spec's error; nothing is stored. */
  record Refuse(ErrorCode code, String message) implements Verdict {}

  /** Already done (a resent request): answer with the seq it produced. */
  record Repeat(long seq, int seat) implements Verdict {}

  /**
   * Store {@code events}; {@code seat} is the player's. A move's verdict carries the position
   * after it ({@code next}), which the rules computed once, for the event handler to reuse.
   */
  record Store(List<GameEvent> events, int seat, GamePosition<?, ?> next) implements Verdict {}

  private final Duration waitingExpiry;

  Referee(Duration waitingExpiry) {
    this.waitingExpiry = waitingExpiry;
  }

  Verdict create(Create cmd, Instant now) {
    if (GameCatalog.find(cmd.game()).isEmpty()) {
      return new Refuse(ErrorCode.UNKNOWN_GAME_TYPE, "no game type '" + cmd.game() + "'");
    }
    if (cmd.visibility() == null) {
      return new Refuse(ErrorCode.BAD_REQUEST, "visibility must be public or private");
    }
    if (cmd.turnSeconds() < 5 || cmd.turnSeconds() > 3600) {
      return new Refuse(ErrorCode.BAD_REQUEST, "turnSeconds must be 5-3600");
    }
    return new Store(List.of(new GameCreated(cmd.game(), cmd.visibility(), cmd.turnSeconds(), 0, cmd.playerId(),
        cmd.name(), now.plus(waitingExpiry), now)), 0, null);
  }

  /** A retried create (same creator, same game) is answered again; anything else is refused. */
  Verdict createAgain(GameState state, Create cmd) {
    GameEvent.Seat creator = state.seats().get(0);
    if (state.game().equals(cmd.game()) && creator != null && creator.playerId().equals(cmd.playerId())) {
      return new Repeat(1, 0);
    }
    return new Refuse(ErrorCode.BAD_REQUEST, "game " + state.gameId() + " already exists");
  }

  Verdict joinWaiting(GameState state, Join cmd, Instant now) {
    if (state.seatOf(cmd.playerId()) >= 0) {
      return alreadySeated();
    }
    int seat = state.freeSeat();
    List<GameEvent> events = new ArrayList<>(2);
    events.add(new PlayerJoined(seat, cmd.playerId(), cmd.name(), now));
    if (state.seated() == state.seats().size() - 1) {
      events.add(new GameStarted(now));
    }
    return new Store(events, seat, null);
  }

  Verdict joinStarted(GameState state, Join cmd) {
    if (state.seatOf(cmd.playerId()) >= 0) {
      return alreadySeated();
    }
    return state.status() == Status.ACTIVE
        ? new Refuse(ErrorCode.GAME_FULL, "every seat of this game is taken") : notActive(state);
  }

  Verdict leaveWaiting(GameState state, Leave cmd, Instant now) {
    int seat = state.seatOf(cmd.playerId());
    if (seat < 0) {
      return notSeated();
    }
    List<GameEvent> events = new ArrayList<>(2);
    events.add(new PlayerLeft(seat, now));
    if (state.seated() == 1) {
      events.add(new GameAborted("abandoned", now));
    }
    return new Store(events, seat, null);
  }

  Verdict move(GameState state, MakeMove cmd, Instant now) {
    Verdict answered = beforePlay(state, cmd.playerId(), cmd.requestId());
    if (answered != null) {
      return answered;
    }
    int seat = state.seatOf(cmd.playerId());
    GamePosition.Attempt attempt = state.position().attempt(seat, cmd.move());
    if (attempt.isRejected()) {
      return new Refuse(attempt.errorCode(), attempt.message());
    }
    List<GameEvent> events = new ArrayList<>(2);
    events.add(new Moved(seat, attempt.move(), cmd.requestId(), now));
    if (attempt.outcome() != null) {
      events.add(new GameOver(Result.of(attempt.outcome()), state.game(), state.players(), null, null, now));
    }
    return new Store(events, seat, attempt.next());
  }

  /** A resign, or a leave after the start: the opponent wins. */
  Verdict resign(GameState state, String playerId, String requestId, Instant now) {
    Verdict answered = beforePlay(state, playerId, requestId);
    if (answered != null) {
      return answered;
    }
    int seat = state.seatOf(playerId);
    return new Store(List.of(new GameOver(Result.winBy(opponentOf(state, seat), Outcome.Reason.RESIGN),
        state.game(), state.players(), requestId, seat, now)), seat, null);
  }

  /** A move, resign or leave while the game is not in play. */
  Verdict outOfPlay(GameState state, String playerId, String requestId) {
    Verdict answered = beforePlay(state, playerId, requestId);
    return answered != null ? answered : notActive(state);
  }

  /** What the game's clock ends, once its deadline has come: a turn lost by timeout, an expiry. */
  GameEvent deadlinePassed(GameState state, Instant now) {
    return state.status() == Status.ACTIVE
        ? new GameOver(Result.winBy(opponentOf(state, state.turn()), Outcome.Reason.TIMEOUT), state.game(),
            state.players(), null, null, now)
        : new GameAborted("expired", now);
  }

  /**
   * What a move, resign or leave gets before the rules are asked: {@code forbidden} for someone
   * not seated, the original seq for a request id already used (a resend is not applied again,
   * even after the game ended); {@code null} to go on.
   */
  private static Verdict beforePlay(GameState state, String playerId, String requestId) {
    int seat = state.seatOf(playerId);
    if (seat < 0) {
      return notSeated();
    }
    long earlier = state.seqOfUsedId(playerId, requestId);
    return earlier > 0 ? new Repeat(earlier, seat) : null;
  }

  private static int opponentOf(GameState state, int seat) {
    return (seat + 1) % state.seats().size();
  }

  private static Refuse alreadySeated() {
    return new Refuse(ErrorCode.ALREADY_SEATED, "you already hold a seat in this game");
  }

  private static Refuse notSeated() {
    return new Refuse(ErrorCode.FORBIDDEN, "you hold no seat in this game");
  }

  private static Refuse notActive(GameState state) {
    return new Refuse(ErrorCode.GAME_NOT_ACTIVE, "the game is " + state.status().wireName());
  }
}
