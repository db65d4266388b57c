package arena.loadtest.ws;

import arena.loadtest.MoveScripts;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The open-loop WebSocket load generator of the side-by-side benchmark
 * ({@code scripts/bench-side-by-side}): N concurrent connect4 games between pairs of registered
 * players (one socket per player, or k games per pair of sockets where the open-file limit forces
 * it), each game moving on a fixed schedule — a move due every N/rate seconds, with a random phase
 * per game — whatever the server answers (see {@link OpenGame} for what happens when a move falls
 * due while its game is not ready, and {@link StepStats} for how latency is accounted). It speaks
 * only ARENA-SPEC §3-§5: {@code POST /api/v1/players}, {@code /ws?token=}, create/join/move frames
 * with ids, answers by {@code re}, events by {@code gameId}/{@code seq}; so it drives Arena and any
 * server of the same protocol (the Node.js peer) alike.
 *
 * <pre>
 * java -cp 'loadtest/target/loadtest-1.0.0.jar:loadtest/target/lib/*' arena.loadtest.ws.OpenLoad key=value...
 *   mode=ramp|memory   ramp: warm-up, then one step per rate; memory: heap and RSS with N live games
 *   url=http://127.0.0.1:8080   server=arena   pid=PID (the server process)   jvm=true|false
 *   games=1000   gamesPerSocket=1   rates=500,1000,2000   step=15   warmup=30   warmupRate=1000
 *   stopP99=1000 (ms: the ramp stops after a step whose ack p99 is above, or that achieved under 80%)
 *   pace=5 (memory: seconds between two moves of a game)   hold=30 (memory: seconds of play measured)
 *   jdbc=jdbc:postgresql://...  dbUser=  dbPassword=  journalTable=event_journal
 *   out=target/side-by-side/arena-ramp.json
 * </pre>
 * Progress goes to standard error; the result to {@code out} as JSON ({@link Results.Run} or
 * {@link Results.Memory}). GC time needs {@code --add-modules jdk.internal.jvmstat --add-exports
 * jdk.internal.jvmstat/sun.jvmstat.monitor=ALL-UNNAMED} on this JVM (see {@link ServerProbe}).
 */
public final class OpenLoad implements Socket.Owner, OpenGame.Sink {

  static final String GAME = "connect4";
  static final int ATTEMPTS = 3;
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final int SOCKETS_PER_CLIENT = 500;
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final String base;
  private final ExecutorService executor;
  private final HttpClient[] clients;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("openload-timer"));
  private final List<String> script;
  private final List<Socket> sockets = new ArrayList<>();
  private OpenGame[] games = new OpenGame[0];
  /** Each game's phase in its period, [0, 1), fixed for the run; and the games in phase order. */
  private double[] phase;
  private int[] byPhase;
  private volatile StepStats current = new StepStats(0);
  private volatile boolean measuring;
  private volatile boolean running = true;

  OpenLoad(String base, int socketCount, List<String> script) {
    this.base = base;
    this.script = script;
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    this.executor = Executors.newFixedThreadPool(threads, daemon("openload-callbacks"));
    this.clients = new HttpClient[Math.max(1, (socketCount + SOCKETS_PER_CLIENT - 1) / SOCKETS_PER_CLIENT)];
    for (int i = 0; i < clients.length; i++) {
      clients[i] = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
          .connectTimeout(CONNECT_TIMEOUT).build();
    }
  }

  // ---- Socket.Owner and OpenGame.Sink ----

  @Override
  public void error(String kind) {
    current.error(kind);
  }

  @Override
  public boolean measuring() {
    return measuring;
  }

  @Override
  public boolean running() {
    return running;
  }

  @Override
  public StepStats current() {
    return current;
  }

  @Override
  public long now() {
    return System.nanoTime();
  }

  @Override
  public void later(long delayMillis, Runnable action) {
    timer.schedule(() -> executor.execute(action), delayMillis, TimeUnit.MILLISECONDS);
  }

  // ---- main ----

  public static void main(String[] args) throws Exception {
    Map<String, String> o = options(args);
    String mode = o.getOrDefault("mode", "ramp");
    String url = o.getOrDefault("url", "http://127.0.0.1:8080");
    String server = o.getOrDefault("server", "server");
    long pid = Long.parseLong(o.getOrDefault("pid", "-1"));
    boolean jvm = Boolean.parseBoolean(o.getOrDefault("jvm", "false"));
    int games = Integer.parseInt(o.getOrDefault("games", "1000"));
    int perSocket = Integer.parseInt(o.getOrDefault("gamesPerSocket", "1"));
    Path out = Path.of(o.getOrDefault("out", "target/side-by-side/" + server + "-" + mode + ".json"));
    List<String> script = connect4Script();
    OpenLoad load = new OpenLoad(url, WsLoad.sockets(games, perSocket), script);
    int exit = 0;
    try (ServerProbe probe = new ServerProbe(pid, jvm, o.get("jdbc"), o.getOrDefault("dbUser", ""),
        o.getOrDefault("dbPassword", ""), o.getOrDefault("journalTable", "event_journal"))) {
      Object result;
      if (mode.equals("memory")) {
        result = load.memory(server, probe, games, perSocket, Double.parseDouble(o.getOrDefault("pace", "5")),
            Double.parseDouble(o.getOrDefault("hold", "30")));
      } else {
        double[] rates = Arrays.stream(o.getOrDefault("rates", "500,1000,2000,3000,4000,6000").split("[, ]+"))
            .mapToDouble(Double::parseDouble).toArray();
        result = load.ramp(server, jvm ? "jvm" : "process", probe, games, perSocket, rates,
            Double.parseDouble(o.getOrDefault("step", "15")), Double.parseDouble(o.getOrDefault("warmup", "30")),
            Double.parseDouble(o.getOrDefault("warmupRate", "1000")),
            Double.parseDouble(o.getOrDefault("stopP99", "1000")));
      }
      Files.createDirectories(out.toAbsolutePath().getParent());
      JSON.writeValue(out.toFile(), result);
      say("%s written", out);
    } catch (SetupFailure e) {
      say("set-up failed: %s", e.getMessage());
      exit = 1;
    } finally {
      load.stop();
    }
    System.exit(exit);
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> o = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("arguments are key=value, not " + arg);
      }
      o.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    return o;
  }

  /** The connect4 game every table replays: 42 legal moves, the last one ending the game. */
  static List<String> connect4Script() throws IOException {
    List<String> moves = new ArrayList<>();
    for (Map<String, Object> move : MoveScripts.connect4FullBoard()) {
      moves.add(JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(move));
    }
    return moves;
  }

  // ---- the ramp ----

  Results.Run ramp(String server, String process, ServerProbe probe, int gameCount, int perSocket, double[] rates,
      double stepSeconds, double warmupSeconds, double warmupRate, double stopP99) throws Exception {
    StepStats setup = new StepStats(0);
    current = setup;
    long setupStart = System.nanoTime();
    connect(gameCount, perSocket);
    startGames(gameCount);
    double spreadSeconds = spread();
    double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
    say("%s: %d games on %d sockets ready in %.1f s (%.1f s of it spreading the games' ends; errors %s); "
            + "warm-up %.0f s at %.0f moves/s",
        server, gameCount, sockets.size(), setupSeconds, spreadSeconds, setup.errors(), warmupSeconds, warmupRate);
    var stalls = timer.scheduleWithFixedDelay(() -> {
      long now = System.nanoTime();
      for (OpenGame g : games) {
        g.checkStalled(now, TimeUnit.SECONDS.toNanos(30));
      }
    }, 1, 1, TimeUnit.SECONDS);
    List<StepStats> steps = new ArrayList<>();
    List<ServerProbe.Reading[]> readings = new ArrayList<>();
    StepStats warm = new StepStats(warmupRate);
    ServerProbe.Reading w0 = probe.read();
    if (warmupSeconds > 0) {
      runStep(warm, warmupRate, warmupSeconds);
    }
    ServerProbe.Reading w1 = probe.read();
    Double stoppedAfter = null;
    List<Double> notRun = new ArrayList<>();
    measuring = true;
    for (double rate : rates) {
      if (stoppedAfter != null) {
        notRun.add(rate);
        continue;
      }
      StepStats step = new StepStats(rate);
      ServerProbe.Reading r0 = probe.read();
      runStep(step, rate, stepSeconds);
      ServerProbe.Reading r1 = probe.read();
      steps.add(step);
      readings.add(new ServerProbe.Reading[] {r0, r1});
      double achieved = step.acks() / step.seconds();
      double p99 = step.ack.getTotalCount() == 0 ? Double.MAX_VALUE : step.ack.getValueAtPercentile(99) / 1e6;
      say("%s: offered %.0f moves/s, achieved %.0f, ack p50 %.1f p99 %.1f ms (so far), seen p99 %.1f ms, "
              + "generator lag p99 %.1f ms, unsent %d, errors %s",
          server, rate, achieved, step.ack.getValueAtPercentile(50) / 1e6, p99,
          step.seen.getValueAtPercentile(99) / 1e6, step.lag.getValueAtPercentile(99) / 1e6, step.unsent.sum(),
          step.errors());
      if (p99 > stopP99 || achieved < 0.8 * rate) {
        stoppedAfter = rate;
        say("%s: saturated at %.0f moves/s offered (ack p99 above %.0f ms or under 80%% achieved): the ramp stops here",
            server, rate, stopP99);
      }
    }
    measuring = false;
    stalls.cancel(false);
    drain();
    List<Results.Step> results = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      results.add(result(steps.get(i), readings.get(i)[0], readings.get(i)[1]));
    }
    return new Results.Run(server, process, gameCount, sockets.size(), perSocket, round1(setupSeconds),
        warmupSeconds > 0 ? result(warm, w0, w1) : null, results, stoppedAfter, notRun, setup.errors());
  }

  /**
   * The memory phase: the heap after a full GC and the RSS of a fresh server, idle, then with
   * every socket open, then with every game live at one move per {@code pace} seconds; the
   * players' latencies over {@code hold} seconds of that play.
   */
  Results.Memory memory(String server, ServerProbe probe, int gameCount, int perSocket, double pace, double hold)
      throws Exception {
    current = new StepStats(0);
    Long heapIdle = probe.heapAfterFullGc();
    long rssIdle = probe.rssKiB();
    say("%s idle: heap %s, RSS %.1f MiB", server, mib(heapIdle), rssIdle / 1024.0);
    connect(gameCount, perSocket);
    Long heapSockets = probe.heapAfterFullGc();
    long rssSockets = probe.rssKiB();
    say("%s with %d sockets: heap %s, RSS %.1f MiB", server, sockets.size(), mib(heapSockets), rssSockets / 1024.0);
    startGames(gameCount);
    double rate = gameCount / pace;
    say("%s: %d games live, playing %.0f s at one move per game every %.0f s (%.0f moves/s)",
        server, gameCount, hold, pace, rate);
    measuring = true;
    StepStats step = new StepStats(rate);
    ServerProbe.Reading r0 = probe.read();
    // The games' first moves fall due over the first period: measure from the second one on.
    StepStats settle = new StepStats(rate);
    runStep(settle, rate, pace);
    runStep(step, rate, hold);
    ServerProbe.Reading r1 = probe.read();
    // Keep playing while the heap is weighed: the games are live, not finished.
    StepStats during = new StepStats(rate);
    CompletableFuture<Void> playing = CompletableFuture.runAsync(() -> runStep(during, rate, 3600),
        Executors.newSingleThreadExecutor(daemon("openload-schedule")));
    Long heapGames = probe.heapAfterFullGc();
    long rssGames = probe.rssKiB();
    running = false; // ends the schedule of `during`
    playing.get(10, TimeUnit.SECONDS);
    measuring = false;
    say("%s with %d live games: heap %s, RSS %.1f MiB", server, gameCount, mib(heapGames), rssGames / 1024.0);
    Results.Step held = result(step, r0, r1);
    int socketCount = sockets.size();
    return new Results.Memory(server, gameCount, socketCount, perSocket, pace, mibOf(heapIdle), mibOf(heapSockets),
        mibOf(heapGames), kibPer(heapSockets, heapIdle, socketCount), kibPer(heapGames, heapSockets, gameCount),
        round1(rssIdle / 1024.0), round1(rssSockets / 1024.0), round1(rssGames / 1024.0), held);
  }

  private static String mib(Long bytes) {
    return bytes == null ? "n/a" : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  private static Double mibOf(Long bytes) {
    return bytes == null ? null : round1(bytes / 1048576.0);
  }

  private static Double kibPer(Long after, Long before, int count) {
    return after == null || before == null || count == 0 ? null : round1((after - before) / 1024.0 / count);
  }

  static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }

  /** A step's results; its readings frame the step's window. */
  static Results.Step result(StepStats s, ServerProbe.Reading before, ServerProbe.Reading after) {
    long acks = s.acks();
    double seconds = s.seconds();
    return new Results.Step(s.offered, round1(seconds), round1(seconds > 0 ? acks / seconds : 0), s.due.sum(),
        s.sent.sum(), acks, s.unsent.sum(), s.unacked.sum(), StepStats.percentiles(s.ack),
        StepStats.percentiles(s.seen), StepStats.percentiles(s.lag), s.errors(), s.died(),
        ServerProbe.usage(before, after, acks));
  }

  /**
   * Runs the schedule at {@code rate} moves/s for {@code seconds}: move k of the game with phase
   * p falls due at start + (p + k) · games / rate. Moves still waiting for their game at the end
   * are given up (counted unsent in their step).
   */
  void runStep(StepStats step, double rate, double seconds) {
    int n = games.length;
    long period = (long) (n * 1e9 / rate);
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    step.startNanos = start;
    current = step;
    for (long j = 0; running; ) {
      long k = j / n;
      int game = byPhase[(int) (j % n)];
      long at = start + (long) (phase[game] * period) + k * period;
      if (at >= end) {
        break;
      }
      long now = System.nanoTime();
      if (at > now) {
        LockSupport.parkNanos(at - now);
        continue;
      }
      games[game].due(at, step);
      step.lag.recordValue(Math.min(System.nanoTime() - at, StepStats.MAX_RECORDED));
      j++;
    }
    for (long now = System.nanoTime(); running && now < end; now = System.nanoTime()) {
      LockSupport.parkNanos(end - now);
    }
    step.endNanos = Math.min(end, System.nanoTime());
    step.windowAcks = step.acksInWindow.sum();
    long now = System.nanoTime();
    for (OpenGame g : games) {
      g.dropBacklog(now);
    }
  }

  /** Waits up to 10 s for the acks of moves sent, then gives up on the rest (counted unacked). */
  /**
   * Plays each game a random number of moves (0 to the script's length - 1, seeded) as fast as
   * the server answers, unmeasured, so that the games are at random points of their script when
   * the warm-up starts. Started together, they would all end together, and every period of the
   * schedule would bring a storm of a thousand creates and joins at once (a lobby's games end at
   * random times); spread, games end and start again at an even pace. Returns the seconds it took.
   */
  private double spread() throws InterruptedException {
    long start = System.nanoTime();
    StepStats spreading = new StepStats(0); // its latencies are not reported; errors count as the set-up's
    Random random = new Random(7);
    for (OpenGame g : games) {
      int moves = random.nextInt(script.size());
      for (int i = 0; i < moves; i++) {
        g.due(start, spreading);
      }
    }
    long deadline = start + TimeUnit.SECONDS.toNanos(60 + games.length * 60L / 1000);
    while (System.nanoTime() < deadline && Arrays.stream(games).anyMatch(g -> g.backlog() > 0 || g.unacked() > 0)) {
      Thread.sleep(50);
    }
    for (OpenGame g : games) {
      g.dropBacklog(System.nanoTime()); // what the deadline left is simply not played
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private void drain() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline && Arrays.stream(games).anyMatch(g -> g.unacked() > 0)) {
      Thread.sleep(50);
    }
    long now = System.nanoTime();
    for (OpenGame g : games) {
      g.finish(now);
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
   * Registers two players per pair and opens their sockets (50 pairs at a time, every request
   * tried {@value #ATTEMPTS} times), and makes the tables between them (not started).
   */
  void connect(int gameCount, int perSocket) throws SetupFailure, InterruptedException {
    int pairs = WsLoad.sockets(gameCount, perSocket) / 2;
    say("registering %d players and opening their sockets on %s", 2 * pairs, base);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60 + gameCount * 30L / 1000);
    Semaphore open = new Semaphore(50);
    AtomicReference<String> failure = new AtomicReference<>();
    Socket[][] made = new Socket[pairs][];
    List<CompletableFuture<?>> pending = new ArrayList<>();
    for (int pair = 0; pair < pairs && failure.get() == null; pair++) {
      if (!open.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        break;
      }
      int p = pair;
      HttpClient client = clients[(2 * pair) % clients.length];
      pending.add(player(client).thenCompose(a -> player(client).thenApply(b -> new Socket[] {a, b}))
          .whenComplete((two, t) -> {
            open.release();
            if (t == null) {
              made[p] = two;
            } else {
              failure.compareAndSet(null, describe(t));
            }
          }));
    }
    awaitAll(pending, deadline, failure, "opening sockets");
    games = new OpenGame[gameCount];
    for (int pair = 0; pair < pairs; pair++) {
      Socket a = made[pair][0];
      Socket b = made[pair][1];
      sockets.add(a);
      sockets.add(b);
      int first = pair * perSocket;
      int tables = Math.min(perSocket, gameCount - first);
      OpenGame[] played = new OpenGame[tables];
      for (int slot = 0; slot < tables; slot++) {
        played[slot] = slot % 2 == 0 ? new OpenGame(this, a, b, slot, GAME, script)
            : new OpenGame(this, b, a, slot, GAME, script);
        games[first + slot] = played[slot];
      }
      a.games = played;
      b.games = played;
    }
    use(games);
  }

  /** Plays {@code tables}: each gets a random phase in its period (seeded: every run the same). */
  void use(OpenGame[] tables) {
    games = tables;
    Random random = new Random(42);
    phase = new double[tables.length];
    for (int i = 0; i < tables.length; i++) {
      phase[i] = random.nextDouble();
    }
    byPhase = java.util.stream.IntStream.range(0, tables.length).boxed()
        .sorted((i, j) -> Double.compare(phase[i], phase[j])).mapToInt(Integer::intValue).toArray();
  }

  /** Creates and joins every game (100 at a time) and waits until each has started. */
  void startGames(int gameCount) throws SetupFailure, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60 + gameCount * 30L / 1000);
    Semaphore open = new Semaphore(100);
    AtomicReference<String> failure = new AtomicReference<>();
    List<CompletableFuture<?>> pending = new ArrayList<>();
    var stalls = timer.scheduleWithFixedDelay(() -> {
      long now = System.nanoTime();
      for (OpenGame g : games) {
        g.checkStalled(now, TimeUnit.SECONDS.toNanos(20));
      }
    }, 1, 1, TimeUnit.SECONDS);
    try {
      for (OpenGame game : games) {
        if (failure.get() != null || !open.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          break;
        }
        pending.add(game.start().whenComplete((v, t) -> {
          open.release();
          if (t != null) {
            failure.compareAndSet(null, describe(t));
          }
        }));
      }
      awaitAll(pending, deadline, failure, "starting games");
    } finally {
      stalls.cancel(false);
    }
  }

  private void awaitAll(List<CompletableFuture<?>> pending, long deadline, AtomicReference<String> failure,
      String what) throws SetupFailure, InterruptedException {
    while (failure.get() == null && pending.stream().anyMatch(f -> !f.isDone()) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    if (failure.get() != null) {
      throw new SetupFailure(what + ": " + failure.get());
    }
    long done = pending.stream().filter(f -> f.isDone() && !f.isCompletedExceptionally()).count();
    if (done < pending.size() || System.nanoTime() >= deadline && pending.isEmpty()) {
      throw new SetupFailure(what + " did not finish in time: " + done + " of " + pending.size() + " done");
    }
  }

  private CompletableFuture<Socket> player(HttpClient client) {
    return retry(() -> register(client)).thenCompose(token -> retry(() -> connect(client, token)));
  }

  private CompletableFuture<String> register(HttpClient client) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/players")).timeout(CONNECT_TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench\"}")).build();
    return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
      if (response.statusCode() != 201) {
        throw new IllegalStateException("registering: HTTP " + response.statusCode());
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
    return client.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT)
        .buildAsync(URI.create(base.replace("http://", "ws://") + "/ws?token=" + token), socket)
        .thenApply(ws -> {
          socket.ws = ws;
          return socket;
        }).orTimeout(CONNECT_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
  }

  private <T> CompletableFuture<T> retry(Supplier<CompletableFuture<T>> action) {
    return attempt(action, 1);
  }

  private <T> CompletableFuture<T> attempt(Supplier<CompletableFuture<T>> action, int attempt) {
    return action.get().handle((value, failure) -> {
      if (failure == null) {
        return CompletableFuture.completedFuture(value);
      }
      if (attempt >= ATTEMPTS || !running) {
        return CompletableFuture.<T>failedFuture(failure);
      }
      error("setup_retry:" + WsLoad.kindOf(failure));
      Executor later = CompletableFuture.delayedExecutor(500L * attempt, TimeUnit.MILLISECONDS, executor);
      return CompletableFuture.supplyAsync(() -> attempt, later).thenCompose(n -> attempt(action, n + 1));
    }).thenCompose(next -> next);
  }

  private static String describe(Throwable failure) {
    Throwable t = Socket.unwrap(failure);
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }

  void stop() {
    running = false;
    for (OpenGame g : games) {
      g.abort();
    }
    for (Socket s : sockets) {
      s.abort();
    }
  }

  static void say(String format, Object... args) {
    System.err.println(TIME.format(LocalTime.now()) + " openload: " + String.format(Locale.ROOT, format, args));
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
