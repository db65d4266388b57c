package arena.loadtest.rehearsal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Players that behave like real clients, for the rehearsal and the chaos runs: {@code games}
 * connect4 tables, each between two players with a socket each, spread over every node the
 * {@link Router} offers (a load balancer: ready nodes only). Moves go out at a fixed offered rate
 * (open loop: a dispatcher hands out {@code rate} moves a second to tables whose previous move is
 * acknowledged), whatever the cluster does.
 *
 * <p>What a real client does, and so these do: on {@code shutdown}, a close (1012 or any other) or
 * a socket error, reconnect to another ready node after the hint, subscribe to the game again and
 * resend the unanswered request with the same id; on {@code unavailable} (or {@code rate_limited})
 * resend the same move after a short pause; a request unanswered for {@link #RESEND_AFTER_MS} is
 * resent, and a socket that has said nothing for that long while a request waits is given up for
 * another node (a frozen or cut-off node). A move's unavailability is from its first send to its
 * ack, all resends and reconnects included.
 *
 * <p>Every ack is recorded (game, seq, request id, seat, column, the node whose socket answered) so
 * that {@link Journal} can compare it with what PostgreSQL holds. A move the client knows to be
 * legal and in turn (its state is built from acks only) that is refused with {@code not_your_turn}
 * or {@code illegal_move} is counted as answered from stale state.
 */
final class Load {

  static final long RESEND_AFTER_MS = 5_000;
  static final long RETRY_PAUSE_MS = 250;
  /** A join refused or unanswered this long: the game could never be joined, a new one is made. */
  static final long JOIN_GIVE_UP_MS = 60_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_RECORDED = TimeUnit.SECONDS.toNanos(300);

  /** Picks a node for a (re)connect, as a load balancer would: a ready one, not {@code avoid} if possible. */
  interface Router {
    /** Index into the node list, or -1 when no node is ready. */
    int pick(int avoid);

    String baseUrl(int node);

    String name(int node);
  }

  /** One acknowledged move, as the client saw it. */
  record Ack(String gameId, long seq, String requestId, int seat, int column, String node, long atMs, long waitedMs,
      int resends) {}

  final Router router;
  /** The run's clock (nanoTime at its start): ack times are on the same clock as the run's steps. */
  final long t0;
  private final int games;
  private final double rate;
  private final ExecutorService executor;
  private final HttpClient[] clients;
  final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, daemon("load-timer"));
  private final List<Table> tables = new ArrayList<>();
  private final ConcurrentLinkedQueue<Table> readyToMove = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
  final Histogram unavailability = new ConcurrentHistogram(MAX_RECORDED, 3);
  final Map<String, LongAdder> refused = new ConcurrentHashMap<>();
  final Map<String, Long> setupRefused = new ConcurrentHashMap<>();
  final Map<String, LongAdder> reconnects = new ConcurrentHashMap<>();
  final Map<String, LongAdder> events = new ConcurrentHashMap<>();
  final LongAdder resends = new LongAdder();
  final LongAdder movesSent = new LongAdder();
  final LongAdder staleAnswers = new LongAdder();
  final LongAdder creates = new LongAdder();
  final LongAdder neverJoined = new LongAdder();
  final LongAdder offeredNoTable = new LongAdder();
  final ConcurrentLinkedQueue<String> staleExamples = new ConcurrentLinkedQueue<>();
  /** Per node name: when its last player left it after it became unusable (ms since t0). */
  final Map<String, AtomicLong> lastLeft = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> playersOn = new ConcurrentHashMap<>();
  volatile boolean running = true;
  private volatile boolean dispatching;

  Load(Router router, int games, double rate, long t0) {
    this.router = router;
    this.t0 = t0;
    this.games = games;
    this.rate = rate;
    this.executor = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
        daemon("load-callbacks"));
    this.clients = new HttpClient[Math.max(1, games * 2 / 500 + 1)];
    for (int i = 0; i < clients.length; i++) {
      clients[i] = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
          .connectTimeout(Duration.ofSeconds(5)).build();
    }
  }

  long nowMs() {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  // ---- set-up ----

  /** Registers the players, opens their sockets and seats both players of every table; bounded. */
  void setUp(long limitSeconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(limitSeconds);
    java.util.concurrent.Semaphore ramp = new java.util.concurrent.Semaphore(50);
    List<CompletableFuture<Void>> started = new ArrayList<>();
    for (int i = 0; i < games; i++) {
      ramp.acquire();
      Table table = new Table(i);
      tables.add(table);
      CompletableFuture<Void> f = table.start();
      f.whenComplete((v, t) -> ramp.release());
      started.add(f);
    }
    for (CompletableFuture<Void> f : started) {
      long left = deadline - System.nanoTime();
      try {
        f.get(Math.max(1, left), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("set-up of " + games + " games did not complete within " + limitSeconds
            + " s: " + e, e);
      }
    }
  }

  /** Starts the open-loop dispatcher. */
  void play() {
    // What the set-up met (a cluster still starting its shards) is reported apart from the run.
    setupRefused.putAll(snapshot(refused));
    refused.clear();
    resends.reset();
    dispatching = true;
    for (Table t : tables) {
      t.readyIfIdle();
    }
    long periodMs = 10;
    double perTick = rate * periodMs / 1000.0;
    double[] tokens = {0};
    timer.scheduleAtFixedRate(() -> {
      if (!dispatching) {
        return;
      }
      tokens[0] += perTick;
      while (tokens[0] >= 1) {
        Table t = readyToMove.poll();
        if (t == null) {
          offeredNoTable.add((long) tokens[0]);
          tokens[0] = tokens[0] - Math.floor(tokens[0]);
          break;
        }
        tokens[0] -= 1;
        executor.execute(t::sendMove);
      }
    }, periodMs, periodMs, TimeUnit.MILLISECONDS);
    timer.scheduleWithFixedDelay(() -> tables.forEach(Table::watchdog), 500, 500, TimeUnit.MILLISECONDS);
  }

  /** Stops sending moves and waits (bounded) for the answers to the ones in flight. */
  void drain(long maxMs) throws InterruptedException {
    dispatching = false;
    long deadline = System.currentTimeMillis() + maxMs;
    while (System.currentTimeMillis() < deadline && tables.stream().anyMatch(Table::awaitingMove)) {
      Thread.sleep(100);
    }
  }

  void stop() {
    running = false;
    dispatching = false;
    for (Table t : tables) {
      t.x.abort();
      t.o.abort();
    }
    timer.shutdownNow();
    executor.shutdownNow();
  }

  int movesInFlight() {
    return (int) tables.stream().filter(Table::awaitingMove).count();
  }

  static void count(Map<String, LongAdder> counts, String kind) {
    counts.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  static Map<String, Long> snapshot(Map<String, LongAdder> counts) {
    Map<String, Long> sorted = new TreeMap<>();
    counts.forEach((k, v) -> sorted.put(k, v.sum()));
    return sorted;
  }

  // ---- players ----

  /** One player: a token and a socket to some node, reconnected elsewhere when it goes away. */
  final class Player implements WebSocket.Listener {
    final Table table;
    final int seat;
    final HttpClient client;
    String token;
    private final StringBuilder partial = new StringBuilder();
    volatile WebSocket ws;
    volatile int node = -1;
    volatile long lastHeardMs;
    /** Bumped on every (re)connect: callbacks of an old socket are ignored. */
    private final AtomicInteger epoch = new AtomicInteger();
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
    private volatile boolean reconnecting;

    Player(Table table, int seat, HttpClient client) {
      this.table = table;
      this.seat = seat;
      this.client = client;
    }

    CompletableFuture<Void> register() {
      int n = router.pick(-1);
      if (n < 0) {
        return CompletableFuture.failedFuture(new IllegalStateException("no node is ready"));
      }
      HttpRequest request = HttpRequest.newBuilder(URI.create(router.baseUrl(n) + "/api/v1/players"))
          .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"p" + table.index + "s" + seat + "\"}")).build();
      return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenAccept(r -> {
        if (r.statusCode() != 201) {
          throw new IllegalStateException("register: HTTP " + r.statusCode() + " " + r.body());
        }
        try {
          token = JSON.readTree(r.body()).get("token").asText();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
    }

    /** Opens a socket to a ready node other than {@code avoid}; retries until it has one. */
    CompletableFuture<Void> connect(int avoid) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      attempt(avoid, done, 0);
      return done;
    }

    private void attempt(int avoid, CompletableFuture<Void> done, int tries) {
      if (!running) {
        done.completeExceptionally(new IllegalStateException("stopped"));
        return;
      }
      int n = router.pick(avoid);
      if (n < 0) {
        timer.schedule(() -> attempt(avoid, done, tries + 1), 200, TimeUnit.MILLISECONDS);
        return;
      }
      int my = epoch.incrementAndGet();
      Listener listener = new Listener(my);
      client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
          .buildAsync(URI.create(router.baseUrl(n).replace("http://", "ws://") + "/ws?token=" + token), listener)
          .orTimeout(8, TimeUnit.SECONDS)
          .whenComplete((socket, t) -> {
            if (t != null) {
              count(events, "connect_failed");
              long pause = Math.min(2000, 200L * (tries + 1));
              timer.schedule(() -> attempt(n, done, tries + 1), pause, TimeUnit.MILLISECONDS);
              return;
            }
            if (epoch.get() != my || !running) {
              socket.abort();
              return;
            }
            ws = socket;
            node = n;
            tail = CompletableFuture.completedFuture(null);
            lastHeardMs = nowMs();
            playersOn.computeIfAbsent(router.name(n), k -> new AtomicInteger()).incrementAndGet();
            done.complete(null);
          });
    }

    synchronized void send(String text) {
      WebSocket socket = ws;
      if (socket == null) {
        return; // reconnecting: the table resends once connected
      }
      tail = tail.thenCompose(v -> socket.sendText(text, true)).exceptionally(t -> {
        count(events, "send_failed");
        return null;
      });
    }

    /** The socket went away (or is given up): reconnect elsewhere after {@code pauseMs}, then resume the table. */
    void lost(int which, String why, long pauseMs) {
      if (!running || which != epoch.get() || reconnecting) {
        return;
      }
      reconnecting = true;
      count(reconnects, why);
      int from = node;
      WebSocket old = ws;
      ws = null;
      if (from >= 0) {
        String name = router.name(from);
        playersOn.computeIfAbsent(name, k -> new AtomicInteger()).decrementAndGet();
        lastLeft.computeIfAbsent(name, k -> new AtomicLong()).set(nowMs());
      }
      if (old != null && !why.startsWith("closed")) {
        old.abort();
      }
      epoch.incrementAndGet();
      long jitter = ThreadLocalRandom.current().nextLong(0, 200);
      timer.schedule(() -> connect(from).whenComplete((v, t) -> {
        reconnecting = false;
        if (t == null) {
          table.reconnected(this);
        }
      }), pauseMs + jitter, TimeUnit.MILLISECONDS);
    }

    void abort() {
      WebSocket socket = ws;
      if (socket != null) {
        socket.abort();
      }
    }

    /** The listener of one socket incarnation. */
    final class Listener implements WebSocket.Listener {
      private final int my;

      Listener(int my) {
        this.my = my;
      }

      @Override
      public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
      }

      @Override
      public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        if (!last) {
          partial.append(data);
        } else {
          String text = partial.length() == 0 ? data.toString() : partial.append(data).toString();
          partial.setLength(0);
          lastHeardMs = nowMs();
          try {
            JsonNode f = JSON.readTree(text);
            if ("shutdown".equals(f.path("type").asText())) {
              count(events, "shutdown_frames");
              lost(my, "shutdown", Math.min(2000, f.path("reconnectAfterMs").asLong(0)));
            } else {
              table.onFrame(Player.this, f);
            }
          } catch (Exception e) {
            count(events, "bad_frame");
          }
        }
        webSocket.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        lost(my, "closed:" + statusCode, 0);
        return null;
      }

      @Override
      public void onError(WebSocket webSocket, Throwable error) {
        lost(my, "socket_error", 0);
      }
    }
  }

  // ---- tables ----

  /** An outstanding request: resent with the same id until answered. */
  private static final class Pending {
    final String id;
    final String type;
    final Player by;
    final String frame;
    final long firstSentMs;
    long lastSentMs;
    int resends;
    int column = -1;
    long expectedSeq = -1;
    boolean retryScheduled;

    Pending(String id, String type, Player by, String frame, long now) {
      this.id = id;
      this.type = type;
      this.by = by;
      this.frame = frame;
      this.firstSentMs = now;
      this.lastSentMs = now;
    }
  }

  /** A connect4 table: creates a game, seats both players, plays random legal moves, starts again at the end. */
  final class Table {
    final int index;
    final Player x;
    final Player o;
    private String gameId;
    private final int[] heights = new int[7];
    private final int[][] board = new int[6][7];
    private int movesDone;
    private Pending pending;
    private int requests;
    private long joinSince;
    private final CompletableFuture<Void> seated = new CompletableFuture<>();

    Table(int index) {
      this.index = index;
      HttpClient c = clients[index % clients.length];
      this.x = new Player(this, 0, c);
      this.o = new Player(this, 1, c);
    }

    CompletableFuture<Void> start() {
      return x.register().thenCompose(v -> o.register())
          .thenCompose(v -> x.connect(-1)).thenCompose(v -> o.connect(x.node))
          .thenCompose(v -> {
            synchronized (this) {
              create();
            }
            return seated;
          });
    }

    private String nextId(String kind) {
      return "t" + index + kind + (++requests);
    }

    private void create() {
      gameId = null;
      java.util.Arrays.fill(heights, 0);
      for (int[] row : board) {
        java.util.Arrays.fill(row, -1);
      }
      movesDone = 0;
      String id = nextId("c");
      issue(new Pending(id, "create", x, "{\"type\":\"create\",\"id\":\"" + id
          + "\",\"game\":\"connect4\",\"visibility\":\"private\",\"turnSeconds\":3600}", nowMs()));
      creates.increment();
    }

    private void join() {
      String id = nextId("j");
      joinSince = nowMs();
      issue(new Pending(id, "join", o, "{\"type\":\"join\",\"id\":\"" + id + "\",\"gameId\":\"" + gameId + "\"}",
          nowMs()));
    }

    private void issue(Pending p) {
      pending = p;
      p.by.send(p.frame);
    }

    synchronized void readyIfIdle() {
      if (pending == null && gameId != null) {
        readyToMove.add(this);
      }
    }

    boolean awaitingMove() {
      Pending p = pending;
      return p != null && p.type.equals("move");
    }

    /** Called by the dispatcher: send the next move of the player whose turn it is. */
    synchronized void sendMove() {
      if (!running || pending != null || gameId == null) {
        return;
      }
      int seat = movesDone % 2;
      List<Integer> free = new ArrayList<>(7);
      for (int c = 0; c < 7; c++) {
        if (heights[c] < 6) {
          free.add(c);
        }
      }
      int column = free.get(ThreadLocalRandom.current().nextInt(free.size()));
      String id = nextId("m");
      Player mover = seat == 0 ? x : o;
      Pending p = new Pending(id, "move", mover, "{\"type\":\"move\",\"id\":\"" + id + "\",\"gameId\":\"" + gameId
          + "\",\"move\":{\"column\":" + column + "}}", nowMs());
      p.column = column;
      p.expectedSeq = 3 + movesDone + 1;
      movesSent.increment();
      issue(p);
    }

    synchronized void onFrame(Player from, JsonNode f) {
      String type = f.path("type").asText();
      String re = f.hasNonNull("re") ? f.get("re").asText() : null;
      Pending p = pending;
      if (p == null || re == null || !re.equals(p.id)) {
        return; // events, states, answers to requests given up on
      }
      switch (type) {
        case "created" -> {
          pending = null;
          gameId = f.path("gameId").asText();
          join();
        }
        case "joined" -> {
          pending = null;
          seated.complete(null);
          if (dispatching) {
            readyToMove.add(this);
          }
        }
        case "ack" -> acked(from, p, f.path("seq").asLong());
        case "state" -> { } // answer to a resubscribe is by the game, not re'd to the pending request
        case "error" -> refusedWith(p, f.path("code").asText("none"));
        default -> count(events, "unexpected:" + type);
      }
    }

    private void acked(Player from, Pending p, long seq) {
      long now = nowMs();
      pending = null;
      unavailability.recordValue(Math.min(TimeUnit.MILLISECONDS.toNanos(now - p.firstSentMs), MAX_RECORDED));
      acks.add(new Ack(gameId, seq, p.id, p.by.seat, p.column, from.node >= 0 ? router.name(from.node) : "?", now,
          now - p.firstSentMs, p.resends));
      if (seq != p.expectedSeq) {
        count(events, "ack_unexpected_seq");
      }
      int row = heights[p.column]++;
      board[row][p.column] = p.by.seat;
      movesDone++;
      if (wins(row, p.column, p.by.seat) || movesDone == 42) {
        create();
      } else if (dispatching) {
        readyToMove.add(this);
      }
    }

    private boolean wins(int row, int col, int seat) {
      int[][] dirs = {{0, 1}, {1, 0}, {1, 1}, {1, -1}};
      for (int[] d : dirs) {
        int n = 1;
        for (int s = -1; s <= 1; s += 2) {
          int r = row + s * d[0];
          int c = col + s * d[1];
          while (r >= 0 && r < 6 && c >= 0 && c < 7 && board[r][c] == seat) {
            n++;
            r += s * d[0];
            c += s * d[1];
          }
        }
        if (n >= 4) {
          return true;
        }
      }
      return false;
    }

    private void refusedWith(Pending p, String code) {
      count(refused, p.type + ":" + code);
      switch (code) {
        case "unavailable", "rate_limited", "internal" -> retryLater(p);
        case "not_your_turn", "illegal_move" -> {
          if (p.type.equals("move")) {
            staleAnswers.increment(); // legal and in turn by every ack received
            if (staleExamples.size() < 20) {
              staleExamples.add(gameId + " " + p.id + " seq " + p.expectedSeq + " col " + p.column + ": " + code
                  + " from " + (p.by.node >= 0 ? router.name(p.by.node) : "?"));
            }
          }
          retryLater(p);
        }
        case "already_seated" -> {
          if (p.type.equals("join")) {
            // a resent join whose first answer was lost with its socket: the player is seated
            pending = null;
            seated.complete(null);
            if (dispatching) {
              readyToMove.add(this);
            }
          } else {
            retryLater(p);
          }
        }
        default -> {
          if (p.type.equals("join") && nowMs() - joinSince < JOIN_GIVE_UP_MS && code.equals("not_found")) {
            retryLater(p);
          } else {
            count(events, "game_given_up:" + p.type + ":" + code);
            if (p.type.equals("join")) {
              neverJoined.increment();
            }
            pending = null;
            create();
          }
        }
      }
    }

    private void retryLater(Pending p) {
      if (p.retryScheduled) {
        return;
      }
      p.retryScheduled = true;
      timer.schedule(() -> {
        synchronized (this) {
          p.retryScheduled = false;
          if (pending == p && running) {
            resend(p);
          }
        }
      }, RETRY_PAUSE_MS, TimeUnit.MILLISECONDS);
    }

    private void resend(Pending p) {
      if (p.type.equals("join") && nowMs() - joinSince > JOIN_GIVE_UP_MS) {
        neverJoined.increment();
        count(events, "game_given_up:join:timeout");
        pending = null;
        create();
        return;
      }
      p.resends++;
      p.lastSentMs = nowMs();
      resends.increment();
      p.by.send(p.frame);
    }

    /** After a reconnect: subscribe to the game again and resend what is unanswered, same id. */
    synchronized void reconnected(Player who) {
      if (gameId != null) {
        who.send("{\"type\":\"subscribe\",\"id\":\"t" + index + "s" + (++requests) + "\",\"gameId\":\"" + gameId
            + "\"}");
      }
      Pending p = pending;
      if (p != null && p.by == who) {
        resend(p);
      }
    }

    /** Resends a request unanswered for a while; gives up a socket that has gone silent. */
    synchronized void watchdog() {
      Pending p = pending;
      if (p == null || !running) {
        return;
      }
      long now = nowMs();
      if (now - p.lastSentMs < RESEND_AFTER_MS) {
        return;
      }
      Player who = p.by;
      if (who.ws == null) {
        return; // reconnecting: resent once connected
      }
      if (now - who.lastHeardMs >= RESEND_AFTER_MS + 2_000) {
        who.lost(who.epoch.get(), "silent", 0); // not even the ping was answered
        p.lastSentMs = now;
      } else {
        count(events, "resend_after_timeout");
        who.send("{\"type\":\"ping\",\"id\":\"t" + index + "p" + (++requests) + "\"}");
        resend(p);
      }
    }
  }

  static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
