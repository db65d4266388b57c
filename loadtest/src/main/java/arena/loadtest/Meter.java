package arena.loadtest;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** What the players see, counted from many threads: moves, their ask-to-reply latency, errors. */
final class Meter {

  private final Recorder latencyMicros = new Recorder(3);
  private final LongAdder moves = new LongAdder();
  private final LongAdder events = new LongAdder();
  private final LongAdder gamesFinished = new LongAdder();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

  /** An accepted move: it stored {@code storedEvents} events (two when it ended the game). */
  void move(long askNanos, long storedEvents) {
    latencyMicros.recordValue(Math.max(1, TimeUnit.NANOSECONDS.toMicros(askNanos)));
    moves.increment();
    events.add(storedEvents);
  }

  /** A create or join: not a move, but events all the same. */
  void setup(long storedEvents) {
    events.add(storedEvents);
  }

  void gameFinished() {
    gamesFinished.increment();
  }

  void error(String kind) {
    errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  /** Starts a measurement window: what happens from now on, until {@link Window#close()}. */
  Window open() {
    latencyMicros.getIntervalHistogram(); // drops what was recorded so far
    return new Window(System.nanoTime(), moves.sum(), events.sum(), gamesFinished.sum(), errorCounts());
  }

  private Map<String, Long> errorCounts() {
    Map<String, Long> counts = new TreeMap<>();
    errors.forEach((kind, count) -> counts.put(kind, count.sum()));
    return counts;
  }

  /** The counters at the start of a window. */
  final class Window {
    private final long startNanos;
    private final long moves0;
    private final long events0;
    private final long games0;
    private final Map<String, Long> errors0;

    private Window(long startNanos, long moves0, long events0, long games0, Map<String, Long> errors0) {
      this.startNanos = startNanos;
      this.moves0 = moves0;
      this.events0 = events0;
      this.games0 = games0;
      this.errors0 = errors0;
    }

    Sample close() {
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      Histogram latency = latencyMicros.getIntervalHistogram();
      Map<String, Long> newErrors = new TreeMap<>();
      errorCounts().forEach((kind, count) -> {
        long delta = count - errors0.getOrDefault(kind, 0L);
        if (delta > 0) {
          newErrors.put(kind, delta);
        }
      });
      return new Sample(seconds, moves.sum() - moves0, events.sum() - events0,
          gamesFinished.sum() - games0, latency, newErrors);
    }
  }

  /** What happened in one window; latencies in microseconds. */
  record Sample(double seconds, long moves, long events, long gamesFinished, Histogram latencyMicros,
      Map<String, Long> errors) {

    double movesPerSecond() {
      return moves / seconds;
    }

    double eventsPerSecond() {
      return events / seconds;
    }

    long errorCount() {
      return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    double latencyMillis(double percentile) {
      return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }

    double maxLatencyMillis() {
      return latencyMicros.getMaxValue() / 1000.0;
    }
  }
}
