package arena.loadtest.ws;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A table between two sockets that replays the same drawn tic-tac-toe game forever: the seat to
 * move sends its move when the opponent's socket has the previous one's event, and after the
 * draw's {@code game_over} a new game is created and joined.
 *
 * <p>Every move is remembered by its request id until its {@code ack} (which carries the id as
 * {@code re}) arrives: ack latency is measured for that very move, and the ack's {@code seq} is
 * checked. The node may send the mover's event and its ack in either order and the opponent may
 * have sent the next move before the previous ack arrives, so several moves may await their ack.
 *
 * <p>A game that cannot go on — an {@code error} answering its move, create or join, a game that
 * ended or was aborted before the draw was complete, nothing heard for the stall timeout — is
 * counted as died (by why: the error code and what it answered, as {@code unavailable:move1} for
 * the first move) and a new game is started on the same sockets. A game whose socket closed is
 * lost for the rest of the run. During set-up a create or join is tried {@link #START_ATTEMPTS}
 * times before the game's set-up fails.
 *
 * <p>Its two sockets may sit in other games too ({@code wsload.gamesPerSocket}): the game has a
 * slot, the same on both sockets, and every request id it sends starts with that slot and a
 * {@code /} ({@code 1/m17}), so that {@link Socket} hands each answer to its game by {@code re};
 * events go to the game by {@link #gameId()}. Ids stay unique per game for the whole run (the
 * spec's moves are idempotent by id per player and game).
 */
final class Game implements Socket.Table {

  /** A drawn tic-tac-toe game: X 0,8,7,2,3 and O 4,1,6,5 never make a line. */
  static final int[] DRAW = {0, 4, 8, 1, 7, 6, 2, 5, 3};
  /** Events before the first move: game_created, player_joined, game_started. */
  private static final int EVENTS_BEFORE_MOVES = 3;
  static final int START_ATTEMPTS = 3;

  /** A move sent and not yet acknowledged. */
  private static final class Move {
    final String id;
    final long seq;
    final long sentAt;
    final Socket mover;
    boolean seen;

    Move(String id, long seq, long sentAt, Socket mover) {
      this.id = id;
      this.seq = seq;
      this.sentAt = sentAt;
      this.mover = mover;
    }
  }

  private final WsLoad load;
  final Socket x;
  final Socket o;
  /** What every request id of this game starts with: its slot on both sockets, and a slash. */
  private final String idPrefix;
  /** Moves awaiting their ack, by request id. */
  private final Map<String, Move> unacked = new HashMap<>();
  /** The last move sent, until the opponent's socket has its event. */
  private Move inFlight;
  /** The game being played (set before any of its events can arrive); read by the sockets. */
  private volatile String gameId;
  private String createId;
  private String joinId;
  private int ply;
  private boolean overSeen;
  private int requests;
  private int startAttempts;
  private boolean playing;
  private boolean lost;
  /** When the game last heard what it waited for (nanoTime); 0 while it waits for nothing. */
  private long waitingSince;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();

  /** A table in slot {@code slot} of both sockets' games (the caller puts it there). */
  Game(WsLoad load, Socket x, Socket o, int slot) {
    this.load = load;
    this.x = x;
    this.o = o;
    this.idPrefix = slot + "/";
  }

  /** The slot a request id of {@link Game} names ({@code 1/m17}: 1), or -1 if it names none. */
  static int slotOf(String requestId) {
    int slash = requestId.indexOf('/');
    if (slash <= 0 || slash > 9) {
      return -1;
    }
    int slot = 0;
    for (int i = 0; i < slash; i++) {
      char c = requestId.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      slot = slot * 10 + (c - '0');
    }
    return slot;
  }

  @Override
  public String gameId() {
    return gameId;
  }

  /** Creates and joins the first game; completes once both are seated. */
  synchronized CompletableFuture<Void> start() {
    create();
    return ready;
  }

  /** Starts the moves; a game created during set-up waits for this. */
  synchronized void play() {
    playing = true;
    if (gameId != null && createId == null && joinId == null && !lost) {
      next();
    }
  }

  private void create() {
    if (!load.running || lost) {
      return;
    }
    gameId = null;
    joinId = null;
    ply = 0;
    overSeen = false;
    inFlight = null;
    unacked.values().removeIf(m -> !m.seen); // never answered, or refused: no ack will come
    createId = idPrefix + "c" + (++requests);
    waitingSince = System.nanoTime();
    // turnSeconds at its maximum: games set up early must not time out while later ones are set up.
    x.send("{\"type\":\"create\",\"id\":\"" + createId
        + "\",\"game\":\"tictactoe\",\"visibility\":\"private\",\"turnSeconds\":3600}");
  }

  @Override
  public synchronized void onFrame(Socket from, Frame f) {
    switch (f.type()) {
      case "created" -> {
        if (from == x && f.re() != null && f.re().equals(createId)) {
          createId = null;
          gameId = f.gameId();
          joinId = idPrefix + "j" + (++requests);
          waitingSince = System.nanoTime();
          o.send("{\"type\":\"join\",\"id\":\"" + joinId + "\",\"gameId\":\"" + gameId + "\"}");
        }
      }
      case "joined" -> {
        if (from == o && f.re() != null && f.re().equals(joinId)) {
          joinId = null;
          startAttempts = 0;
          ready.complete(null);
          waitingSince = 0;
          if (playing) {
            next();
          }
        }
      }
      case "ack" -> onAck(f);
      case "event" -> onEvent(from, f);
      case "error" -> onError(f);
      default -> { } // state frames and the like (shutdown is counted by the socket)
    }
  }

  private void onAck(Frame f) {
    Move move = f.re() == null ? null : unacked.remove(f.re());
    if (move == null) {
      load.error("ack_unknown_re"); // an ack for a move given up on (a died game), or a bug
      return;
    }
    if (f.seq() != move.seq) {
      load.error("ack_wrong_seq");
    }
    load.acked(System.nanoTime() - move.sentAt);
  }

  private void onEvent(Socket from, Frame f) {
    if (gameId == null || !gameId.equals(f.gameId())) {
      return; // a game given up on, or not yet ours
    }
    String kind = f.kind() == null ? "" : f.kind();
    switch (kind) {
      case "moved" -> {
        Move move = inFlight;
        if (move != null && f.seq() == move.seq && from != move.mover) {
          load.seen(System.nanoTime() - move.sentAt);
          move.seen = true;
          inFlight = null;
          waitingSince = System.nanoTime();
          if (ply < DRAW.length) {
            next();
          } else if (overSeen) {
            create();
          }
        }
      }
      case "game_over", "game_aborted" -> {
        if (from != x) {
          return; // both sockets get it; x's decides
        }
        if (kind.equals("game_over") && ply == DRAW.length && f.seq() == EVENTS_BEFORE_MOVES + DRAW.length + 1) {
          overSeen = true; // the draw is complete; a new game once o has seen the last move
          waitingSince = System.nanoTime();
          if (inFlight == null) {
            create();
          }
        } else {
          died(kind + "_early");
        }
      }
      default -> { }
    }
  }

  private void onError(Frame f) {
    load.error(f.code() == null ? "error_without_code" : f.code());
    String re = f.re();
    if (re == null) {
      return;
    }
    if (re.equals(createId) || re.equals(joinId)) {
      if (!playing && ++startAttempts >= START_ATTEMPTS) {
        lost = true;
        ready.completeExceptionally(new IllegalStateException(
            (re.equals(createId) ? "create" : "join") + " refused " + START_ATTEMPTS + " times, last with " + f.code()));
        return;
      }
      died(f.code() + ":" + (re.equals(createId) ? "create" : "join"));
    } else if (inFlight != null && re.equals(inFlight.id)) {
      died(f.code() + ":move" + (inFlight.seq - EVENTS_BEFORE_MOVES));
    }
  }

  /** Sends the next move of the draw, from the seat whose turn it is. */
  private void next() {
    if (!load.running || lost) {
      return;
    }
    Socket mover = ply % 2 == 0 ? x : o;
    String id = idPrefix + "m" + (++requests);
    Move move = new Move(id, EVENTS_BEFORE_MOVES + ply + 1, System.nanoTime(), mover);
    unacked.put(id, move);
    inFlight = move;
    waitingSince = move.sentAt;
    mover.send("{\"type\":\"move\",\"id\":\"" + id + "\",\"gameId\":\"" + gameId
        + "\",\"move\":{\"cell\":" + DRAW[ply] + "}}");
    ply++;
  }

  /** The game cannot go on: count it and start a new one on the same sockets. */
  private void died(String reason) {
    load.died(reason);
    create();
  }

  @Override
  public synchronized void socketLost(String kind) {
    if (!lost) {
      lost = true;
      waitingSince = 0;
      load.lost();
      ready.completeExceptionally(new IllegalStateException("socket " + kind));
    }
  }

  /**
   * Forgets acks awaited longer than {@code stallNanos}, and gives up on a game that has waited
   * that long for its next step.
   */
  synchronized void checkStalled(long now, long stallNanos) {
    if (!unacked.isEmpty()) {
      unacked.values().removeIf(m -> {
        boolean old = now - m.sentAt > stallNanos;
        if (old) {
          load.error("ack_missing");
        }
        return old;
      });
    }
    if (lost || waitingSince == 0 || now - waitingSince < stallNanos) {
      return;
    }
    if (!playing && ++startAttempts >= START_ATTEMPTS) {
      lost = true;
      ready.completeExceptionally(new IllegalStateException(
          "create/join unanswered " + START_ATTEMPTS + " times (" + stallNanos / 1_000_000_000 + " s each)"));
      return;
    }
    died("stalled");
  }

  void abort() {
    x.abort();
    o.abort();
  }
}
