package arena.loadtest.ws;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A WebSocket load generator: N concurrent tic-tac-toe games, each between two real sockets of two
 * different players, played move after move (a fixed drawn game of nine moves, then a new game),
 * as a player would:
 * a move is sent when the opponent's socket has the previous move's event. It reports, over the
 * measurement window, moves/s (acks received), ack latency (a move sent → the ack whose
 * {@code re} is that move's id) and opponent latency (a move sent → the opponent's socket has the
 * event with that move's {@code seq}), with p50/p99/max; errors by kind (an error frame's
 * {@code code}, or what failed and the exception's class); games that died and were started again
 * (see {@link Game}); and who used the CPU: this generator, the node (given its pid), PostgreSQL.
 *
 * <pre>java -cp 'loadtest/target/loadtest-1.0.0.jar:loadtest/target/lib/*' arena.loadtest.ws.WsLoad URL GAMES WARMUP_S MEASURE_S [NODE_PID]</pre>
 *
 * <p>Sockets and games: players come in pairs, one socket each, and each pair plays
 * {@code wsload.gamesPerSocket} = k games against each other at once (default 1: a pair is one
 * game; the last pair plays fewer when k does not divide N), so N games take 2·⌈N/k⌉ sockets — the
 * way to fit more games than half the open files a process may have (every socket is an open file
 * in this JVM and in the node's). The pair takes turns being X (the creator, who moves first), so
 * each socket moves in about half its games. One connection may create, join and move in several
 * games (ARENA-SPEC §4); every answer is routed to its game by {@code re}, every event by
 * {@code gameId} (see {@link Socket}). A socket that closes loses all its games (each counted as
 * lost). The spec limits a connection to 20 frames/s on average (bursts of 40; beyond that
 * {@code rate_limited}, counted as an error like any other), and k must keep every socket under
 * it. In this closed loop a socket sends about k/2 frames per round trip (it moves in half its
 * games), plus a create or join every nine moves: with M moves/s over N games that is
 * {@code k × (M / N) × 11/9 / 2} = {@code M × 11/9 / sockets} frames/s. The node does ~2,000
 * moves/s, so at 10,000 games a game moves ~0.2 times/s and k = 2 (10,000 sockets) sends ~0.25
 * frames/s per socket, far below the limit; but few games move fast, and at 200 games k = 2 is
 * already ~12 frames/s per socket (k = 1 where the open files allow it). The frames/s per socket
 * in the window (average and busiest) go to standard error.
 *
 * <p>Standard output gets one line, the result (or {@code setup_failed="..."} and exit status 1),
 * which starts with {@code games=N sockets=S gamesPerSocket=k}; progress and the whole run's error
 * counts go to standard error. Knobs (system properties): {@code wsload.gamesPerSocket} as above,
 * {@code wsload.ramp} pairs of players set up in parallel, each with its sockets and its k games
 * (default {@value #DEFAULT_RAMP}; with one game per socket, games),
 * {@code wsload.socketsPerClient} sockets per JDK HttpClient (default
 * {@value #DEFAULT_SOCKETS_PER_CLIENT}; each client has its own selector thread, all share one
 * callback executor of one thread per core), {@code wsload.setupSeconds} the bound on the whole
 * set-up (default 60 s + 30 ms per game), {@code wsload.stallSeconds} how long a game may wait
 * for an answer before it is given up and started again (default {@value #DEFAULT_STALL_SECONDS}).
 */
public final class WsLoad implements Socket.Owner {

  static final int DEFAULT_RAMP = 100;
  static final int DEFAULT_SOCKETS_PER_CLIENT = 500;
  static final int DEFAULT_STALL_SECONDS = 30;
  /** Tries of each register and connect before the set-up fails. */
  static final int ATTEMPTS = 3;
  /** Bounds the TCP connect and WebSocket handshake of one socket, and one register request. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final long MAX_RECORDED = TimeUnit.SECONDS.toNanos(59);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final String base;
  private final ExecutorService executor;
  private final HttpClient[] clients;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("wsload-timer"));
  private final ConcurrentLinkedQueue<Game> games = new ConcurrentLinkedQueue<>();
  final Histogram ack = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
  final Histogram seen = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
  private final LongAdder windowMoves = new LongAdder();
  private final Map<String, LongAdder> windowErrors = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> allErrors = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> windowDied = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> allDied = new ConcurrentHashMap<>();
  private final AtomicLong lost = new AtomicLong();
  private final LongAdder retries = new LongAdder();
  private final AtomicInteger ready = new AtomicInteger();
  private final int gamesPerSocket;
  volatile boolean measuring;
  volatile boolean running = true;

  private WsLoad(String base, int sockets, int gamesPerSocket) {
    this.gamesPerSocket = gamesPerSocket;
    this.base = base;
    int threads = Integer.getInteger("wsload.threads", Math.max(2, Runtime.getRuntime().availableProcessors()));
    this.executor = Executors.newFixedThreadPool(threads, daemon("wsload-callbacks"));
    int perClient = Integer.getInteger("wsload.socketsPerClient", DEFAULT_SOCKETS_PER_CLIENT);
    this.clients = new HttpClient[Math.max(1, (sockets + perClient - 1) / perClient)];
    for (int i = 0; i < clients.length; i++) {
      clients[i] = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
          .connectTimeout(CONNECT_TIMEOUT).build();
    }
  }

  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "http://127.0.0.1:8080";
    int games = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int measure = args.length > 3 ? Integer.parseInt(args[3]) : 30;
    long nodePid = args.length > 4 ? Long.parseLong(args[4]) : -1;
    int perSocket = Integer.getInteger("wsload.gamesPerSocket", 1);
    int sockets = sockets(games, Math.max(1, perSocket));
    String failure = perSocket < 1 ? "wsload.gamesPerSocket must be 1 or more, not " + perSocket
        : fileLimitProblem(sockets);
    WsLoad load = failure == null ? new WsLoad(url, sockets, perSocket) : null;
    List<Game> all = List.of();
    long setupStart = System.nanoTime();
    if (load != null) {
      long stallNanos = TimeUnit.SECONDS.toNanos(Integer.getInteger("wsload.stallSeconds", DEFAULT_STALL_SECONDS));
      load.timer.scheduleWithFixedDelay(() -> load.checkStalled(stallNanos), 1, 1, TimeUnit.SECONDS);
      try {
        all = load.setUp(games);
      } catch (SetupFailure e) {
        failure = e.getMessage();
      }
    }
    double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
    if (failure != null) {
      System.out.printf(Locale.ROOT, "games=%d sockets=%d gamesPerSocket=%d setup=%.1fs setup_failed=\"%s\"%n",
          games, sockets, perSocket, setupSeconds, failure.replace('"', '\''));
      say("set-up failed after %.1f s: %s", setupSeconds, failure);
      if (load != null) {
        load.stop();
      }
      System.exit(1);
    }
    say("set-up of %d games done in %.1f s (errors %s, games died %s); playing %d s of warm-up, then measuring %d s",
        games, setupSeconds, snapshot(load.allErrors), snapshot(load.allDied), warmup, measure);
    Set<Socket> players = Collections.newSetFromMap(new IdentityHashMap<>());
    all.forEach(game -> {
      players.add(game.x);
      players.add(game.o);
    });
    all.forEach(Game::play);
    Thread.sleep(warmup * 1000L);
    load.ack.reset();
    load.seen.reset();
    ProcCpu cpuBefore = ProcCpu.read(nodePid);
    long start = System.nanoTime();
    load.measuring = true;
    Thread.sleep(measure * 1000L);
    load.measuring = false;
    double seconds = (System.nanoTime() - start) / 1e9;
    ProcCpu.Shares cpu = ProcCpu.read(nodePid).since(cpuBefore);
    Map<String, Long> errors = snapshot(load.windowErrors);
    Map<String, Long> died = snapshot(load.windowDied);
    long sent = players.stream().mapToLong(Socket::sentInWindow).sum();
    long busiest = players.stream().mapToLong(Socket::sentInWindow).max().orElse(0);
    System.out.printf(Locale.ROOT,
        "games=%d sockets=%d gamesPerSocket=%d setup=%.1fs moves/s=%.0f ack_ms p50=%.1f p99=%.1f max=%.1f "
            + "seen_ms p50=%.1f p99=%.1f max=%.1f errors=%d %s died=%d %s lost=%d "
            + "cpu_generator=%.2f cpu_node=%s cpu_postgres=%.2f cpu_others=%.2f cpu_idle=%.2f%n",
        games, players.size(), perSocket, setupSeconds, load.windowMoves.sum() / seconds,
        ms(load.ack.getValueAtPercentile(50)), ms(load.ack.getValueAtPercentile(99)), ms(load.ack.getMaxValue()),
        ms(load.seen.getValueAtPercentile(50)), ms(load.seen.getValueAtPercentile(99)), ms(load.seen.getMaxValue()),
        sum(errors), errors, sum(died), died, load.lost.get(),
        cpu.generator(), nodePid > 0 ? String.format(Locale.ROOT, "%.2f", cpu.node()) : "?",
        cpu.postgres(), cpu.others(), cpu.idle());
    System.out.flush();
    say("frames sent per socket in the window: %.2f/s on average, %.2f/s by the busiest (the spec allows 20/s)",
        sent / seconds / Math.max(1, players.size()), busiest / seconds);
    say("whole run (set-up and warm-up included): errors %s, games died %s, games lost %d",
        snapshot(load.allErrors), snapshot(load.allDied), load.lost.get());
    load.stop();
    System.exit(0);
  }

  private void stop() {
    running = false;
    games.forEach(Game::abort);
  }

  /** Sockets for {@code games} games at {@code perSocket} games per socket: two per pair of players. */
  static int sockets(int games, int perSocket) {
    return 2 * ((games + perSocket - 1) / perSocket);
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static Map<String, Long> snapshot(Map<String, LongAdder> counts) {
    Map<String, Long> sorted = new TreeMap<>();
    counts.forEach((kind, count) -> sorted.put(kind, count.sum()));
    return sorted;
  }

  private static long sum(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  static void say(String format, Object... args) {
    System.err.println(TIME.format(LocalTime.now()) + " wsload: " + String.format(Locale.ROOT, format, args));
  }

  // ---- what the games report ----

  @Override
  public boolean measuring() {
    return measuring;
  }

  @Override
  public boolean running() {
    return running;
  }

  @Override
  public void error(String kind) {
    count(allErrors, kind);
    if (measuring) {
      count(windowErrors, kind);
    }
  }

  /** A game gave up and started again. */
  void died(String reason) {
    count(allDied, reason);
    if (measuring) {
      count(windowDied, reason);
    }
  }

  /** A game's socket closed: the game is over for this run. */
  void lost() {
    lost.incrementAndGet();
  }

  void acked(long nanos) {
    if (measuring) {
      ack.recordValue(Math.min(nanos, MAX_RECORDED));
      windowMoves.increment();
    }
  }

  void seen(long nanos) {
    if (measuring) {
      seen.recordValue(Math.min(nanos, MAX_RECORDED));
    }
  }

  private static void count(Map<String, LongAdder> counts, String kind) {
    counts.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  /** The simple class name of what went wrong, through CompletableFuture's wrappers. */
  static String kindOf(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName();
  }

  private static String describe(Throwable failure) {
    Throwable t = Socket.unwrap(failure);
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }

  private void checkStalled(long stallNanos) {
    long now = System.nanoTime();
    for (Game game : games) {
      game.checkStalled(now, stallNanos);
    }
  }

  // ---- set-up ----

  /** Thrown when the set-up cannot complete; the message says why. */
  static final class SetupFailure extends Exception {
    SetupFailure(String message) {
      super(message);
    }
  }

  /**
   * Pairs of players, their sockets and a first game for every table of the pair, at most
   * {@code wsload.ramp} pairs at a time; every register and connect is tried {@value #ATTEMPTS}
   * times, each bounded by {@link #CONNECT_TIMEOUT}; the whole set-up is bounded too. Progress
   * every 5 s on stderr.
   */
  private List<Game> setUp(int count) throws SetupFailure, InterruptedException {
    int ramp = Integer.getInteger("wsload.ramp", DEFAULT_RAMP);
    long limitSeconds = Long.getLong("wsload.setupSeconds", 60 + count * 30L / 1000);
    long setupStart = System.nanoTime();
    long deadline = setupStart + TimeUnit.SECONDS.toNanos(limitSeconds);
    int pairs = sockets(count, gamesPerSocket) / 2;
    say("setting up %d games (%d sockets, %d games per socket) on %d HTTP clients, %d pairs of players at a time, within %d s",
        count, 2 * pairs, gamesPerSocket, clients.length, ramp, limitSeconds);
    var progress = timer.scheduleAtFixedRate(() -> say("set-up: %d of %d games ready, %d retries, %.0f s",
        ready.get(), count, retries.sum(), (System.nanoTime() - setupStart) / 1e9), 5, 5, TimeUnit.SECONDS);
    try {
      Semaphore open = new Semaphore(ramp);
      AtomicReference<String> failure = new AtomicReference<>();
      Game[] all = new Game[count];
      List<CompletableFuture<Game[]>> pending = new ArrayList<>(pairs);
      for (int pair = 0; pair < pairs && failure.get() == null; pair++) {
        if (!open.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          break;
        }
        int first = pair * gamesPerSocket;
        int tables = Math.min(gamesPerSocket, count - first);
        String which = tables == 1 ? "game " + first : "games " + first + "-" + (first + tables - 1);
        pending.add(setUpPair(pair, tables).whenComplete((played, t) -> {
          open.release();
          if (t == null) {
            System.arraycopy(played, 0, all, first, tables);
            ready.addAndGet(tables);
          } else {
            failure.compareAndSet(null, which + ": " + (Socket.unwrap(t) instanceof SetupFailure f
                ? f.getMessage() : describe(t)));
          }
        }));
      }
      // Wait for the pairs in flight, but not past the first failure or the deadline.
      while (failure.get() == null && pending.stream().anyMatch(g -> !g.isDone()) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      if (failure.get() != null) {
        throw new SetupFailure(failure.get() + " (" + ready.get() + " of " + count + " games were ready)");
      }
      if (ready.get() < count) {
        throw new SetupFailure("set-up did not finish within " + limitSeconds + " s (wsload.setupSeconds): "
            + ready.get() + " of " + count + " games ready, " + retries.sum() + " retries");
      }
      return List.of(all);
    } finally {
      progress.cancel(false);
    }
  }

  /**
   * Two players, their sockets, and {@code tables} games between them, each created and joined:
   * the first player is X (creates, moves first) in the even slots, the second in the odd ones.
   */
  private CompletableFuture<Game[]> setUpPair(int pair, int tables) {
    HttpClient forFirst = clients[(2 * pair) % clients.length];
    HttpClient forSecond = clients[(2 * pair + 1) % clients.length];
    return player(forFirst, "x").thenCompose(first -> player(forSecond, "o")
        .whenComplete((second, t) -> {
          if (t != null) {
            first.abort();
          }
        })
        .thenCompose(second -> {
          Game[] played = new Game[tables];
          for (int slot = 0; slot < tables; slot++) {
            played[slot] = slot % 2 == 0 ? new Game(this, first, second, slot) : new Game(this, second, first, slot);
          }
          first.games = played; // before any request: every answer finds its game
          second.games = played;
          CompletableFuture<?>[] started = new CompletableFuture<?>[tables];
          for (int slot = 0; slot < tables; slot++) {
            games.add(played[slot]);
            started[slot] = played[slot].start();
          }
          return CompletableFuture.allOf(started).thenApply(v -> played);
        }));
  }

  /** A registered player's open socket. */
  private CompletableFuture<Socket> player(HttpClient client, String name) {
    return retry("registering a player", () -> register(client, name))
        .thenCompose(token -> retry("opening a WebSocket", () -> connect(client, token)));
  }

  private CompletableFuture<String> register(HttpClient client, String name) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/players")).timeout(CONNECT_TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")).build();
    return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
      if (response.statusCode() != 201) {
        throw new IllegalStateException("HTTP " + response.statusCode() + " " + response.body());
      }
      try {
        return JSON.readTree(response.body()).get("token").asText();
      } catch (IOException e) {
        throw new CompletionException(e);
      }
    });
  }

  private CompletableFuture<Socket> connect(HttpClient client, String token) {
    Socket socket = new Socket(this);
    CompletableFuture<WebSocket> handshake = client.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT)
        .buildAsync(URI.create(base.replace("http://", "ws://") + "/ws?token=" + token), socket);
    CompletableFuture<Socket> result = new CompletableFuture<>();
    handshake.whenComplete((ws, t) -> {
      if (t != null) {
        result.completeExceptionally(t);
      } else {
        socket.ws = ws;
        if (!result.complete(socket)) {
          ws.abort(); // timed out meanwhile: a retry opens another
        }
      }
    });
    // The JDK's handshake timeout does not cover everything (a stuck upgrade response): a backstop.
    return result.orTimeout(CONNECT_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
  }

  private <T> CompletableFuture<T> retry(String what, Supplier<CompletableFuture<T>> action) {
    return attempt(what, action, 1);
  }

  private <T> CompletableFuture<T> attempt(String what, Supplier<CompletableFuture<T>> action, int attempt) {
    CompletableFuture<T> tried;
    try {
      tried = action.get();
    } catch (RuntimeException e) {
      tried = CompletableFuture.failedFuture(e);
    }
    return tried.handle((value, failure) -> {
      if (failure == null) {
        return CompletableFuture.completedFuture(value);
      }
      if (attempt >= ATTEMPTS || !running) {
        return CompletableFuture.<T>failedFuture(
            new SetupFailure(what + " failed " + attempt + " times, last: " + describe(failure)));
      }
      retries.increment();
      error("setup_retry:" + kindOf(failure));
      Executor later = CompletableFuture.delayedExecutor(500L * attempt, TimeUnit.MILLISECONDS, executor);
      return CompletableFuture.supplyAsync(() -> attempt, later).thenCompose(n -> attempt(what, action, n + 1));
    }).thenCompose(next -> next);
  }

  /** Why {@code sockets} sockets cannot be open in this process's open-file limit, or null. */
  private static String fileLimitProblem(int sockets) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max open files")) {
          String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
          if (soft.equals("unlimited")) {
            return null;
          }
          long limit = Long.parseLong(soft);
          long needed = sockets + 300L; // the sockets, plus jars, selectors, the HTTP pool
          return needed <= limit ? null
              : "about " + needed + " open files are needed for " + sockets + " sockets but the limit is "
                  + limit + " (ulimit -n); the node needs as many (more games per socket need fewer: "
                  + "wsload.gamesPerSocket)";
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: no check
    }
    return null;
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
