package arena.loadtest.ws;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A table between two sockets for the open-loop generator ({@link OpenLoad}): it replays a fixed
 * connect4 game (a script of legal moves that ends the game on its last move) forever, starting a
 * new game when one ends, but it moves on a <em>schedule</em>, not as fast as answers come back.
 *
 * <p>The scheduler calls {@link #due} when a move falls due (every games/rate seconds, with a
 * random phase per game). The move is sent at once if the game is ready — it is started and the
 * seat to move has seen the opponent's previous move — and otherwise as soon as it is (moves due
 * meanwhile wait in order). Its ack latency (the {@code ack} whose {@code re} is the move's id) and
 * opponent latency (the opponent's socket has the event with the move's {@code seq}) are counted
 * from the time it was <em>due</em>, so that a server that falls behind cannot hide it by slowing
 * the generator down (no coordinated omission), and are recorded in the step that scheduled the
 * move (see {@link StepStats}). Moves due while a new game is being created and joined wait, and
 * their latency includes that wait.
 *
 * <p>A game that cannot go on (an error answering its move, create or join, an early end, nothing
 * heard for the stall timeout) is counted as died, by why, and a new game is started on the same
 * sockets (after a back-off when an error frame killed it); its due moves keep waiting. A game whose socket closed is lost: its due moves are never
 * sent. Request ids start with the game's slot and a slash, as {@link Game}'s do, so {@link Socket}
 * hands every answer to its game; events go by {@link #gameId()}.
 */
final class OpenGame implements Socket.Table {

  /** What a game reports to, and reads the clock and the current step from. */
  interface Sink {
    /** The step running now: acks received and errors count there. */
    StepStats current();

    boolean running();

    long now();

    /** Runs {@code action} in {@code delayMillis} ms, on another thread. */
    void later(long delayMillis, Runnable action);
  }

  /** Events before the first move: game_created, player_joined, game_started. */
  static final int EVENTS_BEFORE_MOVES = 3;

  private record Due(long at, StepStats step) {}

  /** A move sent, until its ack; {@code due} is when it was scheduled (nanoTime). */
  private record Move(String id, long seq, long due, StepStats step, Socket mover) {}

  private final Sink sink;
  final Socket x;
  final Socket o;
  private final String idPrefix;
  private final String game;
  private final List<String> script;
  private final ArrayDeque<Due> backlog = new ArrayDeque<>();
  private final Map<String, Move> unacked = new HashMap<>();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  /** The last move sent, until the opponent's socket has its event. */
  private Move inFlight;
  private volatile String gameId;
  private String createId;
  private String joinId;
  private boolean started;
  private boolean overSeen;
  /** The wait already reported as long (its waitingSince). */
  private long reportedWait;
  private int ply;
  private int requests;
  /** Games in a row that died of an error frame: the next one starts after a back-off. */
  private int failures;
  private boolean lost;
  /** When the game started to wait for the server (nanoTime); 0 while it waits for nothing. */
  private long waitingSince;

  /**
   * A table in slot {@code slot} of both sockets' games (the caller puts it there), playing
   * {@code game} with the moves of {@code script} (JSON objects, e.g. {@code {"column":3}}), the
   * last of which ends the game.
   */
  OpenGame(Sink sink, Socket x, Socket o, int slot, String game, List<String> script) {
    this.sink = sink;
    this.x = x;
    this.o = o;
    this.idPrefix = slot + "/";
    this.game = game;
    this.script = script;
  }

  @Override
  public String gameId() {
    return gameId;
  }

  /** Creates and joins the first game; completes once it has started (X has seen game_started). */
  synchronized CompletableFuture<Void> start() {
    create();
    return ready;
  }

  /** A move falls due now, scheduled at {@code at} (nanoTime) by {@code step}. */
  synchronized void due(long at, StepStats step) {
    step.due.increment();
    backlog.add(new Due(at, step));
    pump();
  }

  /** Moves due and not yet sent. */
  synchronized int backlog() {
    return backlog.size();
  }

  /** Moves sent and not yet acknowledged. */
  synchronized int unacked() {
    return unacked.size();
  }

  /** The step is over: moves due and still unsent are given up, with the latency they had by {@code now}. */
  synchronized void dropBacklog(long now) {
    for (Due d : backlog) {
      d.step.unsent(now - d.at);
    }
    backlog.clear();
  }

  /** The run is over: also moves never acknowledged are given up, with the latency they had by {@code now}. */
  synchronized void finish(long now) {
    dropBacklog(now);
    for (Move m : unacked.values()) {
      m.step.unacked(now - m.due);
    }
    unacked.clear();
  }

  private boolean canMove() {
    return !lost && started && inFlight == null && ply < script.size() && createId == null && joinId == null;
  }

  private void pump() {
    if (!backlog.isEmpty() && canMove() && sink.running()) {
      Due d = backlog.poll();
      Socket mover = ply % 2 == 0 ? x : o;
      String id = idPrefix + "m" + (++requests);
      Move move = new Move(id, EVENTS_BEFORE_MOVES + ply + 1, d.at, d.step, mover);
      unacked.put(id, move);
      inFlight = move;
      waitingSince = sink.now();
      d.step.sent.increment();
      mover.send("{\"type\":\"move\",\"id\":\"" + id + "\",\"gameId\":\"" + gameId + "\",\"move\":"
          + script.get(ply) + "}");
      ply++;
    }
  }

  private void create() {
    if (!sink.running() || lost) {
      return;
    }
    gameId = null;
    joinId = null;
    started = false;
    overSeen = false;
    ply = 0;
    inFlight = null;
    createId = idPrefix + "c" + (++requests);
    waitingSince = sink.now();
    // turnSeconds at its maximum: a slow schedule must not lose games on time.
    x.send("{\"type\":\"create\",\"id\":\"" + createId + "\",\"game\":\"" + game
        + "\",\"visibility\":\"private\",\"turnSeconds\":3600}");
  }

  @Override
  public synchronized void onFrame(Socket from, Frame f) {
    switch (f.type()) {
      case "created" -> {
        if (from == x && f.re() != null && f.re().equals(createId)) {
          createId = null;
          gameId = f.gameId();
          joinId = idPrefix + "j" + (++requests);
          waitingSince = sink.now();
          o.send("{\"type\":\"join\",\"id\":\"" + joinId + "\",\"gameId\":\"" + gameId + "\"}");
        }
      }
      case "joined" -> {
        if (from == o && f.re() != null && f.re().equals(joinId)) {
          joinId = null; // the game starts with this join: X's socket gets game_started
        }
      }
      case "ack" -> onAck(f);
      case "event" -> onEvent(from, f);
      case "state" -> onState(from, f);
      case "error" -> onError(f);
      default -> { } // pongs and the like (shutdown is counted by the socket)
    }
  }

  private void onAck(Frame f) {
    if (isLeave(f.re())) {
      return; // the resignation of a game given up on
    }
    Move move = f.re() == null ? null : unacked.remove(f.re());
    StepStats now = sink.current();
    if (move == null) {
      now.error("ack_unknown_re");
      return;
    }
    if (f.seq() != move.seq) {
      now.error("ack_wrong_seq");
    }
    now.acksInWindow.increment();
    move.step.acked(sink.now() - move.due);
  }

  /**
   * The state frame X's socket gets once the server has subscribed it to its new game. When O's
   * join reached the game before that subscription did, the game had started by then: the state
   * says so, and no game_started event follows (events after the state only). Without this, such
   * a game waited for that event until it was given up as stalled.
   */
  private void onState(Socket from, Frame f) {
    if (from == x && !started && gameId != null && gameId.equals(f.gameId()) && "active".equals(f.status())) {
      started = true;
      failures = 0;
      waitingSince = 0;
      ready.complete(null);
      pump();
    }
  }

  private void onEvent(Socket from, Frame f) {
    if (gameId == null || !gameId.equals(f.gameId())) {
      return; // a game given up on, or not yet ours
    }
    String kind = f.kind() == null ? "" : f.kind();
    switch (kind) {
      case "game_started" -> {
        if (from == x && !started) {
          started = true;
          failures = 0;
          waitingSince = 0;
          ready.complete(null);
          pump();
        }
      }
      case "moved" -> {
        Move move = inFlight;
        if (move != null && f.seq() == move.seq && from != move.mover) {
          move.step.seen(sink.now() - move.due);
          inFlight = null;
          waitingSince = 0;
          if (ply < script.size()) {
            pump();
          } else if (overSeen) {
            create();
          } else {
            waitingSince = sink.now(); // for the game_over
          }
        }
      }
      case "game_over", "game_aborted" -> {
        if (from != x) {
          return; // both sockets get it; X's decides
        }
        if (kind.equals("game_over") && ply == script.size()
            && f.seq() == EVENTS_BEFORE_MOVES + script.size() + 1) {
          overSeen = true; // the script is complete; a new game once O has seen the last move
          if (inFlight == null) {
            create();
          }
        } else {
          died(kind + "_early");
          create();
        }
      }
      default -> { }
    }
  }

  private void onError(Frame f) {
    String re = f.re();
    if (isLeave(re)) {
      return; // leaving a game given up on: it may have ended meanwhile
    }
    String code = f.code() == null ? "error_without_code" : f.code();
    sink.current().error(code);
    if (re == null) {
      return;
    }
    if (re.equals(createId) || re.equals(joinId)) {
      died(code + ":" + (re.equals(createId) ? "create" : "join"));
      restartLater();
      return;
    }
    Move refused = unacked.remove(re);
    if (refused != null && refused == inFlight) {
      died(code + ":move");
      restartLater();
    }
  }

  /**
   * The game cannot go on: count it, and leave it (X's {@code leave}: a waiting game is aborted, a
   * started one resigned), so that games given up on do not pile up against the server's limit of
   * live games per player. The caller starts a new one.
   */
  private void died(String reason) {
    sink.current().died(reason);
    if (gameId != null && !lost) {
      x.send("{\"type\":\"leave\",\"id\":\"" + idPrefix + "l" + (++requests) + "\",\"gameId\":\"" + gameId + "\"}");
    }
  }

  private boolean isLeave(String re) {
    return re != null && re.length() > idPrefix.length() && re.startsWith(idPrefix)
        && re.charAt(idPrefix.length()) == 'l';
  }

  /**
   * A new game after an error frame, after a back-off (100 ms, doubling to 2 s while errors go on),
   * so that a server answering {@code unavailable} at once is not asked again in a tight loop (and
   * the socket stays under the spec's 20 frames/s). Meanwhile the game waits for nothing.
   */
  private void restartLater() {
    gameId = null;
    createId = null;
    joinId = null;
    started = false;
    inFlight = null;
    waitingSince = 0;
    long delay = Math.min(2000, 100L << Math.min(failures++, 5));
    sink.later(delay, () -> {
      synchronized (this) {
        if (gameId == null && createId == null) {
          create();
        }
      }
    });
  }

  @Override
  public synchronized void socketLost(String kind) {
    if (!lost) {
      lost = true;
      waitingSince = 0;
      ready.completeExceptionally(new IllegalStateException("socket " + kind));
    }
  }

  /** Gives up on a game that has waited for the server longer than {@code stallNanos}. */
  synchronized void checkStalled(long now, long stallNanos) {
    if (!lost && waitingSince != 0 && now - waitingSince > TimeUnit.SECONDS.toNanos(5) && reportedWait != waitingSince) {
      reportedWait = waitingSince;
      sayWhatItWaitsFor("waits", now);
    }
    if (!lost && waitingSince != 0 && now - waitingSince > stallNanos) {
      sayWhatItWaitsFor("stalled", now);
      died("stalled");
      create();
    }
  }

  /** What the game waits for, to find it in the server's log. */
  private void sayWhatItWaitsFor(String verb, long now) {
    OpenLoad.say("game %s %s %.1f s: create %s, join %s, started %s, ply %d, move in flight %s (acked %s)",
        gameId, verb, (now - waitingSince) / 1e9, createId, joinId, started, ply,
        inFlight == null ? "none" : inFlight.id(), inFlight != null && !unacked.containsKey(inFlight.id()));
  }

  void abort() {
    x.abort();
    o.abort();
  }
}
