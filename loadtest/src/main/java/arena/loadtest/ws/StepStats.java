package arena.loadtest.ws;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What one step of the open-loop ramp saw. Two clocks meet here, on purpose:
 * <ul>
 *   <li>latencies belong to the step in which the move was <em>scheduled</em>, wherever its ack
 *       lands (a move due in this step and acknowledged in the next is still this step's), and
 *       they are counted from the scheduled time, not from when the frame left (no coordinated
 *       omission: a move that had to wait for its game, or for the generator, waited for the
 *       server's sake all the same);</li>
 *   <li>throughput (acks received) and errors belong to the step during which they happened.</li>
 * </ul>
 * A move that was due in this step but never sent (its game was still waiting for the previous
 * move when the step ended) is {@link #unsent counted}, and recorded with the latency it had at
 * least: the step's end minus its scheduled time. A move sent and never acknowledged by the end
 * of the run is recorded the same way, from the end of the run.
 */
final class StepStats {

  /** Latencies above this (ns) are recorded as this: a move a minute late is lost anyway. */
  static final long MAX_RECORDED = TimeUnit.SECONDS.toNanos(59);

  final double offered;
  final Histogram ack = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
  final Histogram seen = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
  /**
   * How late the generator itself handed each move to its game (its scheduler's wake-up and the
   * game's lock): when this grows, the generator, not the server, is the bottleneck.
   */
  final Histogram lag = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
  /** Moves scheduled in this step (due). */
  final LongAdder due = new LongAdder();
  /** Moves of this step's schedule that were sent. */
  final LongAdder sent = new LongAdder();
  /** Acks received while this step ran (whatever step scheduled their move). */
  final LongAdder acksInWindow = new LongAdder();
  /** Moves of this step never sent: still waiting for their game when the step ended. */
  final LongAdder unsent = new LongAdder();
  /** Moves of this step sent but never acknowledged by the end of the run. */
  final LongAdder unacked = new LongAdder();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> died = new ConcurrentHashMap<>();
  /**
   * Acks received from the step's start to its end, fixed when it ends (-1 until then): the
   * generator keeps counting into the step until the next one starts (the drain after the last),
   * which must not raise its throughput.
   */
  volatile long windowAcks = -1;
  volatile long startNanos;
  volatile long endNanos;

  StepStats(double offered) {
    this.offered = offered;
  }

  void acked(long latencyNanos) {
    ack.recordValue(clamp(latencyNanos));
  }

  void seen(long latencyNanos) {
    seen.recordValue(clamp(latencyNanos));
  }

  /** A move of this step that was never sent, given up {@code latencyNanos} after it was due. */
  void unsent(long latencyNanos) {
    unsent.increment();
    ack.recordValue(clamp(latencyNanos));
  }

  /** A move of this step sent and never acknowledged, given up {@code latencyNanos} after it was due. */
  void unacked(long latencyNanos) {
    unacked.increment();
    ack.recordValue(clamp(latencyNanos));
  }

  void error(String kind) {
    errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  void died(String reason) {
    died.computeIfAbsent(reason, k -> new LongAdder()).increment();
  }

  Map<String, Long> errors() {
    return snapshot(errors);
  }

  Map<String, Long> died() {
    return snapshot(died);
  }

  /** Acks received during the step's window. */
  long acks() {
    long fixed = windowAcks;
    return fixed >= 0 ? fixed : acksInWindow.sum();
  }

  /** Seconds from start to end (both nanoTime). */
  double seconds() {
    return (endNanos - startNanos) / 1e9;
  }

  private static long clamp(long nanos) {
    return Math.max(0, Math.min(nanos, MAX_RECORDED));
  }

  static Map<String, Long> snapshot(Map<String, LongAdder> counts) {
    Map<String, Long> sorted = new TreeMap<>();
    counts.forEach((kind, count) -> sorted.put(kind, count.sum()));
    return sorted;
  }

  /** p50, p90, p99 and max of a histogram of nanoseconds, in milliseconds (null when empty). */
  static Results.Percentiles percentiles(Histogram h) {
    if (h.getTotalCount() == 0) {
      return null;
    }
    return new Results.Percentiles(h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
        ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()));
  }

  private static double ms(long nanos) {
    return Math.round(nanos / 1e4) / 100.0;
  }
}
