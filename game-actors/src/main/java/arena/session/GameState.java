package arena.session;

import arena.JsonSerializable;
import arena.rules.GameCatalog;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import arena.rules.GameRules;
import arena.session.GameEvent.GameAborted;
import arena.session.GameEvent.GameCreated;
import arena.session.GameEvent.GameOver;
import arena.session.GameEvent.GameStarted;
import arena.session.GameEvent.Moved;
import arena.session.GameEvent.PlayerJoined;
import arena.session.GameEvent.PlayerLeft;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The state of one game session: an immutable value built only by {@link #apply(GameEvent)}.
 *
 * @param status stored as the constant's name ({@code ACTIVE}), as every release before wrote it
 * @param seats one entry per seat, {@code null} while the seat is free
 * @param expiresAt when a game still waiting for players is aborted
 * @param moves every move so far, in order: the match is rebuilt from them after a snapshot
 * @param usedIds per player, the last {@link #REMEMBERED_IDS} request ids that changed the game
 * @param match the rules and current position, derived from {@code game} and {@code moves}: it
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
    List<GameView.Seat> seats,
    Instant expiresAt,
    Instant turnDeadline,
    GameView.Result result,
    Instant createdAt,
    Instant updatedAt,
    List<Map<String, Object>> moves,
    Map<String, List<UsedId>> usedIds,
    @JsonIgnore Match<?, ?> match) implements JsonSerializable {

  public GameState {
    if (match == null && game != null) {
      match = Match.replay(GameCatalog.find(game)
          .orElseThrow(() -> new IllegalStateException("unknown game type in snapshot: " + game)), moves);
    }
  }

  /** How many request ids per player a game remembers (the spec asks for at least 64). */
  public static final int REMEMBERED_IDS = 64;

  /** A request id a player used, and the sequence number of the event it produced. */
  public record UsedId(String requestId, long seq) implements arena.JsonSerializable {}

  public static GameState empty(String gameId) {
    return new GameState(gameId, null, Status.NEW, 0, null, 0, List.of(), null, null, null, null,
        null, List.of(), Map.of(), null);
  }

  public GameState apply(GameEvent event) {
    long next = seq + 1;
    if (event instanceof GameCreated e) {
      GameRules<?, ?> rules = GameCatalog.find(e.game())
          .orElseThrow(() -> new IllegalStateException("unknown game type in journal: " + e.game()));
      List<GameView.Seat> free = new ArrayList<>(Collections.nCopies(rules.seats(), null));
      free.set(e.seat(), new GameView.Seat(e.seat(), e.playerId(), e.name()));
      return new GameState(gameId, e.game(), Status.WAITING, next, e.visibility(), e.turnSeconds(),
          Collections.unmodifiableList(free), e.expiresAt(), null, null, e.at(), e.at(), List.of(),
          Map.of(), Match.start(rules));
    }
    if (event instanceof PlayerJoined e) {
      return withSeat(e.seat(), new GameView.Seat(e.seat(), e.playerId(), e.name()), next, e.at());
    }
    if (event instanceof PlayerLeft e) {
      return withSeat(e.seat(), null, next, e.at());
    }
    if (event instanceof GameStarted e) {
      return new GameState(gameId, game, Status.ACTIVE, next, visibility, turnSeconds, seats, null,
          e.at().plusSeconds(turnSeconds), null, createdAt, e.at(), moves, usedIds, match);
    }
    if (event instanceof Moved e) {
      List<Map<String, Object>> played = new ArrayList<>(moves.size() + 1);
      played.addAll(moves);
      played.add(e.move());
      return new GameState(gameId, game, status, next, visibility, turnSeconds, seats, null,
          e.at().plusSeconds(turnSeconds), null, createdAt, e.at(), Collections.unmodifiableList(played),
          remember(e.seat(), e.requestId(), next), match.play(e.move()));
    }
    if (event instanceof GameOver e) {
      Map<String, List<UsedId>> ids = e.requestId() == null ? usedIds : remember(e.requestSeat(), e.requestId(), next);
      return new GameState(gameId, game, Status.FINISHED, next, visibility, turnSeconds, seats, null,
          null, e.result(), createdAt, e.at(), moves, ids, match);
    }
    GameAborted e = (GameAborted) event;
    return new GameState(gameId, game, Status.ABORTED, next, visibility, turnSeconds, seats, null,
        null, null, createdAt, e.at(), moves, usedIds, match);
  }

  private GameState withSeat(int seat, GameView.Seat taken, long next, Instant at) {
    List<GameView.Seat> changed = new ArrayList<>(seats);
    changed.set(seat, taken);
    return new GameState(gameId, game, status, next, visibility, turnSeconds,
        Collections.unmodifiableList(changed), expiresAt, turnDeadline, result, createdAt, at, moves,
        usedIds, match);
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
    for (GameView.Seat seat : seats) {
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

  public boolean nobodySeated() {
    return seats.stream().allMatch(Objects::isNull);
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
    return status == Status.ACTIVE ? match.seatToMove() : null;
  }

  public GameView view() {
    List<GameView.Seat> players = seats.stream().filter(Objects::nonNull).toList();
    return new GameView(gameId, game, status, seq, visibility, turnSeconds, players,
        turn(), status == Status.ACTIVE ? turnDeadline : null, match == null ? null : match.board(),
        result, createdAt, updatedAt);
  }
}
