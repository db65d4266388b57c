package arena.session;

import arena.JsonSerializable;
import arena.rules.GameCatalog;
import arena.rules.GameRules;
import arena.session.GameEvent.GameAborted;
import arena.session.GameEvent.GameCreated;
import arena.session.GameEvent.GameOver;
import arena.session.GameEvent.GameStarted;
import arena.session.GameEvent.Moved;
import arena.session.GameEvent.PlayerJoined;
import arena.session.GameEvent.PlayerLeft;
import arena.session.GameEvent.Result;
import arena.session.GameEvent.Seat;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The state of one game session: an immutable value built only by applying events. It is also the
 * snapshot the journal stores, so its JSON shape is the journal's (see {@link GameStateMigration})
 * and it never goes on the wire: {@link #view()} is what others see.
 *
 * @param status stored as the constant's name ({@code ACTIVE}), as every release before wrote it
 * @param seats one entry per seat, {@code null} while the seat is free
 * @param expiresAt when a game still waiting for players is aborted
 * @param moves every move so far, in order: the position is rebuilt from them after a snapshot
 * @param usedIds per player, the last {@link #REMEMBERED_IDS} request ids that changed the game
 * @param position the rules and current position, derived from {@code game} and {@code moves}: it
 *     is not stored, a snapshot rebuilds it by replaying the moves (far cheaper than reading
 *     their events back)
 */
public record GameState(
    String gameId,
    String game,
    @JsonSerialize(using = ToStringSerializer.class) Status status,
    long seq,
    Visibility visibility,
    int turnSeconds,
    List<Seat> seats,
    Instant expiresAt,
    Instant turnDeadline,
    Result result,
    Instant createdAt,
    Instant updatedAt,
    List<Map<String, Object>> moves,
    Map<String, List<UsedId>> usedIds,
    @JsonIgnore GamePosition<?, ?> position) implements JsonSerializable {

  public GameState {
    if (position == null && game != null) {
      position = GamePosition.replay(rulesOf(game), moves);
    }
  }

  /** How many request ids per player a game remembers (the spec asks for at least 64). */
  public static final int REMEMBERED_IDS = 64;

  /** A request id a player used, and the sequence number of the event it produced. */
  public record UsedId(String requestId, long seq) implements JsonSerializable {}

  public static GameState empty(String gameId) {
    return new GameState(gameId, null, Status.NEW, 0, null, 0, List.of(), null, null, null, null,
        null, List.of(), Map.of(), null);
  }

  private static GameRules<?, ?> rulesOf(String game) {
    return GameCatalog.find(game).orElseThrow(() -> new IllegalStateException("unknown game type stored: " + game));
  }

  /** The state after {@code event}, as replay computes it. */
  public GameState apply(GameEvent event) {
    return event instanceof Moved moved ? moved(moved, position.play(moved.move())) : applyOther(event);
  }

  /** The state after a move whose position the session already computed (the rules apply it once). */
  GameState moved(Moved e, GamePosition<?, ?> next) {
    List<Map<String, Object>> played = new ArrayList<>(moves.size() + 1);
    played.addAll(moves);
    played.add(e.move());
    return new GameState(gameId, game, status, seq + 1, visibility, turnSeconds, seats, null,
        e.at().plusSeconds(turnSeconds), null, createdAt, e.at(), Collections.unmodifiableList(played),
        remember(e.seat(), e.requestId(), seq + 1), next);
  }

  private GameState applyOther(GameEvent event) {
    if (event instanceof GameCreated e) {
      GameRules<?, ?> rules = rulesOf(e.game());
      List<Seat> free = new ArrayList<>(Collections.nCopies(rules.seats(), null));
      free.set(e.seat(), new Seat(e.seat(), e.playerId(), e.name()));
      return new GameState(gameId, e.game(), Status.WAITING, seq + 1, e.visibility(), e.turnSeconds(),
          Collections.unmodifiableList(free), e.expiresAt(), null, null, e.at(), e.at(), List.of(),
          Map.of(), GamePosition.start(rules));
    }
    if (event instanceof PlayerJoined e) {
      return withSeat(e.seat(), new Seat(e.seat(), e.playerId(), e.name()), e.at());
    }
    if (event instanceof PlayerLeft e) {
      return withSeat(e.seat(), null, e.at());
    }
    if (event instanceof GameStarted e) {
      return next(Status.ACTIVE, e.at(), e.at().plusSeconds(turnSeconds), null, usedIds);
    }
    if (event instanceof GameOver e) {
      return next(Status.FINISHED, e.at(), null, e.result(),
          e.requestId() == null ? usedIds : remember(e.requestSeat(), e.requestId(), seq + 1));
    }
    return next(Status.ABORTED, ((GameAborted) event).at(), null, null, usedIds);
  }

  /** The next state in another status: no expiry any more, the given clock and result. */
  private GameState next(Status to, Instant at, Instant deadline, Result ended, Map<String, List<UsedId>> ids) {
    return new GameState(gameId, game, to, seq + 1, visibility, turnSeconds, seats, null, deadline,
        ended, createdAt, at, moves, ids, position);
  }

  private GameState withSeat(int seat, Seat taken, Instant at) {
    List<Seat> changed = new ArrayList<>(seats);
    changed.set(seat, taken);
    return new GameState(gameId, game, status, seq + 1, visibility, turnSeconds,
        Collections.unmodifiableList(changed), expiresAt, turnDeadline, result, createdAt, at, moves,
        usedIds, position);
  }

  private Map<String, List<UsedId>> remember(int seat, String requestId, long eventSeq) {
    if (requestId == null) {
      return usedIds;
    }
    String playerId = seats.get(seat).playerId();
    Map<String, List<UsedId>> ids = new HashMap<>(usedIds);
    ids.put(playerId, rememberId(usedIds.getOrDefault(playerId, List.of()), new UsedId(requestId, eventSeq)));
    return Map.copyOf(ids);
  }

  /** {@code previous} plus {@code used}, keeping only the newest {@link #REMEMBERED_IDS}. */
  static List<UsedId> rememberId(List<UsedId> previous, UsedId used) {
    List<UsedId> kept = new ArrayList<>(REMEMBERED_IDS);
    kept.addAll(previous.subList(Math.max(0, previous.size() + 1 - REMEMBERED_IDS), previous.size()));
    kept.add(used);
    return List.copyOf(kept);
  }

  // ---- queries used by the command handlers ----

  public boolean exists() {
    return status != Status.NEW;
  }

  /** The seat {@code playerId} holds, or -1. */
  public int seatOf(String playerId) {
    for (Seat seat : seats) {
      if (seat != null && seat.playerId().equals(playerId)) {
        return seat.seat();
      }
    }
    return -1;
  }

  /** The lowest free seat, or -1 when every seat is taken. */
  public int freeSeat() {
    return seats.indexOf(null);
  }

  /** How many seats are taken. */
  public long seated() {
    return seats.stream().filter(Objects::nonNull).count();
  }

  /** The sequence number an already used request id of this player produced, or -1. */
  public long seqOfUsedId(String playerId, String requestId) {
    if (requestId == null) {
      return -1;
    }
    for (UsedId used : usedIds.getOrDefault(playerId, List.of())) {
      if (used.requestId().equals(requestId)) {
        return used.seq();
      }
    }
    return -1;
  }

  /** Seat to move while active, else {@code null}. */
  public Integer turn() {
    return status == Status.ACTIVE ? position.seatToMove() : null;
  }

  /** The players in seat order, as events store them. */
  List<Seat> players() {
    return seats.stream().filter(Objects::nonNull).toList();
  }

  public GameView view() {
    return new GameView(gameId, game, status, seq, visibility, turnSeconds,
        players().stream().map(Seat::view).toList(), turn(), status == Status.ACTIVE ? turnDeadline : null,
        position == null ? null : position.board(), result == null ? null : result.view(), createdAt, updatedAt);
  }
}
