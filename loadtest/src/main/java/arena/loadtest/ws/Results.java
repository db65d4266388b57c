package arena.loadtest.ws;

import java.util.List;
import java.util.Map;

/**
 * The side-by-side benchmark's results as written to JSON by {@link OpenLoad} (one file per server
 * and phase) and read back by {@link SideBySideReport}. Latencies in milliseconds; a null is a
 * quantity that could not be measured (no move acknowledged, no JVM to ask about its GC, ...).
 */
public final class Results {

  private Results() {}

  /** Latency percentiles in milliseconds over {@code count} moves. */
  public record Percentiles(long count, double p50, double p90, double p99, double max) {}

  /**
   * Who used what during a window. CPU in milliseconds per acknowledged move and in cores
   * (average over the window); PostgreSQL counts all its processes. Journal rows: rows inserted
   * into the server's journal table, commits: transactions committed in its database (both from
   * PostgreSQL's statistics, which lag up to a second). Context switches: voluntary and
   * involuntary, all threads of the server process. GC: milliseconds the JVM spent in collections
   * (null for a server that is no JVM).
   */
  public record Usage(Double serverCpuMsPerMove, Double postgresCpuMsPerMove, Double generatorCpuMsPerMove,
      double serverCores, double postgresCores, double generatorCores, double otherCores, double idleCores,
      long journalRows, long commits, Double journalRowsPerCommit, Double contextSwitchesPerMove,
      Double gcMs, Double gcMsPerSecond, double rssMiB) {}

  /**
   * One step of the ramp at {@code offered} moves/s. {@code achieved}: acks received per second
   * during the step. {@code due}/{@code sent}: moves the step scheduled and sent; {@code unsent}:
   * due but never sent before the step ended (their game was still waiting); {@code unacked}:
   * sent and never acknowledged. Errors (an error frame's code, or what failed) and games that
   * died and were started again, by kind, while the step ran. {@code lag}: how late the generator
   * itself handed the moves to their games (its own delay, included in ack and seen; when it
   * grows, the generator is the bottleneck).
   */
  public record Step(double offered, double seconds, double achieved, long due, long sent, long acks, long unsent,
      long unacked, Percentiles ack, Percentiles seen, Percentiles lag, Map<String, Long> errors,
      Map<String, Long> died, Usage usage) {}

  /**
   * A server's ramp: its warm-up and its steps in order; {@code stoppedAfter} is the offered rate
   * of the step after which the ramp stopped because the server could not keep up (null if every
   * step ran), {@code notRun} the rates left out then.
   */
  public record Run(String server, String process, int games, int sockets, int gamesPerSocket, double setupSeconds,
      Step warmup, List<Step> steps, Double stoppedAfter, List<Double> notRun, Map<String, Long> setupErrors) {}

  /**
   * The memory phase for one number of live games on a fresh server: the heap after a full GC
   * (null for a server that is no JVM) and the RSS, idle (no socket), with every socket open and
   * no game, and with every game live at a slow pace; per socket = (sockets - idle) / sockets, per
   * live game = (games - sockets) / games. {@code hold}: what the players saw while the games
   * were live.
   */
  public record Memory(String server, int games, int sockets, int gamesPerSocket, double paceSeconds,
      Double heapIdleMiB, Double heapSocketsMiB, Double heapGamesMiB, Double heapPerSocketKiB, Double heapPerGameKiB,
      double rssIdleMiB, double rssSocketsMiB, double rssGamesMiB, Step hold) {}
}
