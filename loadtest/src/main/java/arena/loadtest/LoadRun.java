package arena.loadtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One case of the throughput benchmark: {@code games} tables play at once; after a warm-up the
 * moves acknowledged in a fixed window are counted. Afterwards every game is resigned and left to
 * passivate, and the heap is weighed with and without the games in memory.
 */
final class LoadRun {

  record Settings(int games, Duration warmup, Duration measure, int rampParallelism) {}

  /**
   * @param bytesPerStartedGame heap per game right after the games were created and joined
   * @param bytesPerGameInPlay heap per live game at the end of the window (games mid-play)
   */
  record Result(Settings settings, double rampSeconds, Meter.Sample sample, PgStats.Rates db,
      CpuUse.Shares cpu, int liveGamesAtEnd, long bytesPerStartedGame, long bytesPerGameInPlay, boolean drained) {}

  private final BenchNode node;
  private final DbTarget db;
  private final List<Map<String, Object>> script;
  private final Settings settings;
  private final String prefix;
  private final Meter meter = new Meter();
  private volatile boolean running = true;

  LoadRun(BenchNode node, DbTarget db, List<Map<String, Object>> script, Settings settings, String runId) {
    this.node = node;
    this.db = db;
    this.script = script;
    this.settings = settings;
    this.prefix = "bench-" + runId + "-n" + settings.games() + "-";
  }

  Result run() throws Exception {
    int games = settings.games();
    CountDownLatch allStarted = new CountDownLatch(games);
    AtomicInteger nextToStart = new AtomicInteger();
    List<GameDriver> drivers = new ArrayList<>(games);
    Runnable startNext = () -> {
      int i = nextToStart.getAndIncrement();
      if (i < games) {
        drivers.get(i).start();
      }
    };
    for (int i = 0; i < games; i++) {
      drivers.add(new GameDriver(node, script, meter, prefix + i, () -> running, () -> {
        allStarted.countDown();
        startNext.run(); // creations are paced: at most rampParallelism at a time
      }));
    }
    long heapBefore = Heap.usedAfterGc();

    Progress.say("%,d games: creating and joining (%d at a time)", games, settings.rampParallelism());
    long rampStart = System.nanoTime();
    for (int i = 0; i < Math.min(games, settings.rampParallelism()); i++) {
      startNext.run();
    }
    if (!allStarted.await(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException("only " + (games - allStarted.getCount()) + " games started in 10 minutes");
    }
    double rampSeconds = (System.nanoTime() - rampStart) / 1e9;
    long bytesPerStartedGame = (Heap.usedAfterGc() - heapBefore) / Math.max(1, node.liveGames(prefix));

    Progress.say("%,d games: warming up for %d s", games, settings.warmup().toSeconds());
    Thread.sleep(settings.warmup().toMillis());
    Progress.say("%,d games: measuring for %d s", games, settings.measure().toSeconds());
    PgStats pgBefore = PgStats.read(db);
    CpuUse cpuBefore = CpuUse.read();
    Meter.Window window = meter.open();
    Thread.sleep(settings.measure().toMillis());
    Meter.Sample sample = window.close();
    CpuUse.Shares cpu = CpuUse.read().since(cpuBefore);
    PgStats.Rates dbRates = PgStats.read(db).since(pgBefore);

    running = false;
    CompletableFuture.allOf(drivers.stream().map(d -> d.idle().toCompletableFuture())
        .toArray(CompletableFuture[]::new)).get(2 * node.askTimeout().toSeconds() + 30, TimeUnit.SECONDS);
    int live = node.liveGames(prefix);
    long heapInPlay = Heap.usedAfterGc();

    Progress.say("%,d games: resigning the games in play and waiting for them to passivate", games);
    resignAll(drivers);
    boolean drained = node.awaitNoLiveGames(prefix, Duration.ofMinutes(2));
    long bytesPerGameInPlay = (heapInPlay - Heap.usedAfterGc()) / Math.max(1, live);
    return new Result(settings, rampSeconds, sample, dbRates, cpu, live, bytesPerStartedGame,
        bytesPerGameInPlay, drained);
  }

  private static void resignAll(List<GameDriver> drivers) throws Exception {
    int chunk = 1000;
    for (int from = 0; from < drivers.size(); from += chunk) {
      CompletableFuture.allOf(drivers.subList(from, Math.min(drivers.size(), from + chunk)).stream()
              .map(d -> d.resignGameInPlay().toCompletableFuture().exceptionally(failure -> null))
              .toArray(CompletableFuture[]::new))
          .get(1, TimeUnit.MINUTES);
    }
  }
}
