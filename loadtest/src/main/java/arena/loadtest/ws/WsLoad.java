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
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * A WebSocket load generator: N concurrent tic-tac-toe games, each between two real sockets,
 * played move after move (a fixed drawn game of nine moves, then a new game), as a player would:
 * a move is sent when the opponent's socket has the previous move's event. It reports, over the
 * measurement window, moves/s (acks received), ack latency (a move sent → the ack whose
 * {@code re} is that move's id) and opponent latency (a move sent → the opponent's socket has the
 * event with that move's {@code seq}), with p50/p99/max; errors by kind (an error frame's
 * {@code code}, or what failed and the exception's class); games that died and were started again
 * (see {@link Game}); and who used the CPU: this generator, the node (given its pid), PostgreSQL.
 *
 * <pre>java -cp 'loadtest/target/loadtest-1.0.0.jar:loadtest/target/lib/*' arena.loadtest.ws.WsLoad URL GAMES WARMUP_S MEASURE_S [NODE_PID]</pre>
 *
 * <p>Standard output gets one line, the result (or {@code setup_failed="..."} and exit status 1);
 * progress and the whole run's error counts go to standard error. Knobs (system properties):
 * {@code wsload.ramp} games set up in parallel (default {@value #DEFAULT_RAMP}),
 * {@code wsload.socketsPerClient} sockets per JDK HttpClient (default
 * {@value #DEFAULT_SOCKETS_PER_CLIENT}; each client has its own selector thread, all share one
 * callback executor of one thread per core), {@code wsload.setupSeconds} the bound on the whole
 * set-up (default 60 s + 30 ms per game), {@code wsload.stallSeconds} how long a game may wait
 * for an answer before it is given up and started again (default {@value #DEFAULT_STALL_SECONDS}).
 */
public final class WsLoad {

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
  volatile boolean measuring;
  volatile boolean running = true;

  private WsLoad(String base, int sockets) {
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
    String failure = fileLimitProblem(games);
    WsLoad load = failure == null ? new WsLoad(url, 2 * games) : null;
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
      System.out.printf(Locale.ROOT, "games=%d sockets=%d setup=%.1fs setup_failed=\"%s\"%n",
          games, 2 * games, setupSeconds, failure.replace('"', '\''));
      say("set-up failed after %.1f s: %s", setupSeconds, failure);
      if (load != null) {
        load.stop();
      }
      System.exit(1);
    }
    say("set-up of %d games done in %.1f s (errors %s, games died %s); playing %d s of warm-up, then measuring %d s",
        games, setupSeconds, snapshot(load.allErrors), snapshot(load.allDied), warmup, measure);
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
    System.out.printf(Locale.ROOT,
        "games=%d sockets=%d setup=%.1fs moves/s=%.0f ack_ms p50=%.1f p99=%.1f max=%.1f "
            + "seen_ms p50=%.1f p99=%.1f max=%.1f errors=%d %s died=%d %s lost=%d "
            + "cpu_generator=%.2f cpu_node=%s cpu_postgres=%.2f cpu_others=%.2f cpu_idle=%.2f%n",
        games, 2 * games, setupSeconds, load.windowMoves.sum() / seconds,
        ms(load.ack.getValueAtPercentile(50)), ms(load.ack.getValueAtPercentile(99)), ms(load.ack.getMaxValue()),
        ms(load.seen.getValueAtPercentile(50)), ms(load.seen.getValueAtPercentile(99)), ms(load.seen.getMaxValue()),
        sum(errors), errors, sum(died), died, load.lost.get(),
        cpu.generator(), nodePid > 0 ? String.format(Locale.ROOT, "%.2f", cpu.node()) : "?",
        cpu.postgres(), cpu.others(), cpu.idle());
    System.out.flush();
    say("whole run (set-up and warm-up included): errors %s, games died %s, games lost %d",
        snapshot(load.allErrors), snapshot(load.allDied), load.lost.get());
    load.stop();
    System.exit(0);
  }

  private void stop() {
    running = false;
    games.forEach(Game::abort);
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

  /** An error of this kind: an error frame's code, or what failed and the exception's class. */
  void error(String kind) {
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
   * Players, sockets and a first game for every table, at most {@code wsload.ramp} tables at a
   * time; every register and connect is tried {@value #ATTEMPTS} times, each bounded by
   * {@link #CONNECT_TIMEOUT}; the whole set-up is bounded too. Progress every 5 s on stderr.
   */
  private List<Game> setUp(int count) throws SetupFailure, InterruptedException {
    int ramp = Integer.getInteger("wsload.ramp", DEFAULT_RAMP);
    long limitSeconds = Long.getLong("wsload.setupSeconds", 60 + count * 30L / 1000);
    long setupStart = System.nanoTime();
    long deadline = setupStart + TimeUnit.SECONDS.toNanos(limitSeconds);
    say("setting up %d games (%d sockets) on %d HTTP clients, %d at a time, within %d s",
        count, 2 * count, clients.length, ramp, limitSeconds);
    var progress = timer.scheduleAtFixedRate(() -> say("set-up: %d of %d games ready, %d retries, %.0f s",
        ready.get(), count, retries.sum(), (System.nanoTime() - setupStart) / 1e9), 5, 5, TimeUnit.SECONDS);
    try {
      Semaphore open = new Semaphore(ramp);
      AtomicReference<String> failure = new AtomicReference<>();
      Game[] all = new Game[count];
      List<CompletableFuture<Game>> pending = new ArrayList<>(count);
      for (int i = 0; i < count && failure.get() == null; i++) {
        if (!open.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          break;
        }
        int index = i;
        pending.add(setUpGame(index).whenComplete((game, t) -> {
          open.release();
          if (t == null) {
            all[index] = game;
            ready.incrementAndGet();
          } else {
            failure.compareAndSet(null, "game " + index + ": " + (Socket.unwrap(t) instanceof SetupFailure f
                ? f.getMessage() : describe(t)));
          }
        }));
      }
      // Wait for the games in flight, but not past the first failure or the deadline.
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

  /** Two players, their sockets, and a created and joined game. */
  private CompletableFuture<Game> setUpGame(int index) {
    HttpClient forX = clients[(2 * index) % clients.length];
    HttpClient forO = clients[(2 * index + 1) % clients.length];
    return player(forX, "x").thenCompose(x -> player(forO, "o")
        .whenComplete((o, t) -> {
          if (t != null) {
            x.abort();
          }
        })
        .thenCompose(o -> {
          Game game = new Game(this, x, o);
          games.add(game);
          return game.start().thenApply(v -> game);
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

  /** Why {@code games} games cannot run in this process's open-file limit, or null. */
  private static String fileLimitProblem(int games) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max open files")) {
          String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
          if (soft.equals("unlimited")) {
            return null;
          }
          long limit = Long.parseLong(soft);
          long needed = 2L * games + 300; // the sockets, plus jars, selectors, the HTTP pool
          return needed <= limit ? null
              : "about " + needed + " open files are needed for " + 2 * games + " sockets but the limit is "
                  + limit + " (ulimit -n); the node needs as many";
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
