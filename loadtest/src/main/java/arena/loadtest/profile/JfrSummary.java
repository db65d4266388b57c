package arena.loadtest.profile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * A Markdown summary of a JDK Flight Recorder file, for the performance reports in
 * docs/benchmarks.md: where the CPU went (methods by own and by inclusive samples, threads, and
 * Arena's own code), what was allocated (by class and by allocating Arena or library frame), which
 * locks were waited for (monitors and parks, by class), and the GC's pauses.
 *
 * <pre>java -cp 'loadtest/target/loadtest-1.0.0.jar:loadtest/target/lib/*' arena.loadtest.profile.JfrSummary FILE.jfr [TOP]</pre>
 *
 * Record with {@code -XX:StartFlightRecording=settings=profile,...} or {@code jcmd PID JFR.start
 * settings=profile}; the profile settings sample execution every 10-20 ms and allocations by weight.
 */
public final class JfrSummary {

  private final Map<String, Long> selfSamples = new HashMap<>();
  private final Map<String, Long> inclusiveSamples = new HashMap<>();
  private final Map<String, Long> threadSamples = new HashMap<>();
  private final Map<String, Long> allocatedByClass = new HashMap<>();
  private final Map<String, Long> allocatedBySite = new HashMap<>();
  private final Map<String, Long> monitorWaitNanos = new HashMap<>();
  private final Map<String, Long> parkNanos = new HashMap<>();
  private long samples;
  private long allocated;
  private long gcPauses;
  private long gcPauseNanos;
  private long gcLongestNanos;

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: JfrSummary FILE.jfr [TOP]");
      System.exit(2);
    }
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
    JfrSummary summary = new JfrSummary();
    summary.read(Path.of(args[0]));
    System.out.print(summary.markdown(top));
  }

  /** Reads every event of {@code file}. */
  public void read(Path file) throws IOException {
    try (RecordingFile recording = new RecordingFile(file)) {
      while (recording.hasMoreEvents()) {
        accept(recording.readEvent());
      }
    }
  }

  void accept(RecordedEvent event) {
    switch (event.getEventType().getName()) {
      case "jdk.ExecutionSample" -> executionSample(event);
      case "jdk.ObjectAllocationSample" -> allocation(event, event.getLong("weight"));
      case "jdk.JavaMonitorEnter" -> waited(monitorWaitNanos, className(event, "monitorClass"), event.getDuration());
      case "jdk.ThreadPark" -> waited(parkNanos, className(event, "parkedClass"), event.getDuration());
      case "jdk.GarbageCollection" -> {
        long pause = event.getDuration("sumOfPauses").toNanos();
        gcPauses++;
        gcPauseNanos += pause;
        gcLongestNanos = Math.max(gcLongestNanos, event.getDuration("longestPause").toNanos());
      }
      default -> { }
    }
  }

  private void executionSample(RecordedEvent event) {
    RecordedStackTrace stack = event.getStackTrace();
    if (stack == null || stack.getFrames().isEmpty()) {
      return;
    }
    samples++;
    List<RecordedFrame> frames = stack.getFrames();
    selfSamples.merge(method(frames.get(0)), 1L, Long::sum);
    Set<String> seen = new HashSet<>();
    for (RecordedFrame frame : frames) {
      String method = method(frame);
      if (seen.add(method)) {
        inclusiveSamples.merge(method, 1L, Long::sum);
      }
    }
    RecordedThread thread = event.getThread("sampledThread");
    String name = thread == null || thread.getJavaName() == null ? "?" : thread.getJavaName();
    threadSamples.merge(name.replaceAll("-\\d+$", "-N"), 1L, Long::sum);
  }

  private void allocation(RecordedEvent event, long weight) {
    allocated += weight;
    allocatedByClass.merge(className(event, "objectClass"), weight, Long::sum);
    RecordedStackTrace stack = event.getStackTrace();
    if (stack != null) {
      // the first frame that is Arena's, else the first that is not the JDK's: who asked for it
      String site = null;
      for (RecordedFrame frame : stack.getFrames()) {
        String method = method(frame);
        if (method.startsWith("arena.")) {
          site = method;
          break;
        }
        if (site == null && !method.startsWith("java.") && !method.startsWith("jdk.") && !method.startsWith("sun.")) {
          site = method;
        }
      }
      allocatedBySite.merge(site == null ? "(JDK only)" : site, weight, Long::sum);
    }
  }

  private static void waited(Map<String, Long> into, String what, Duration duration) {
    into.merge(what, duration.toNanos(), Long::sum);
  }

  private static String className(RecordedEvent event, String field) {
    RecordedClass type = event.hasField(field) ? event.getClass(field) : null;
    return type == null ? "?" : type.getName();
  }

  private static String method(RecordedFrame frame) {
    if (frame.getMethod() == null) {
      return "?";
    }
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  /** The summary as Markdown tables, {@code top} rows each. */
  public String markdown(int top) {
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "Execution samples: %d. Allocation sampled: %.1f MB. GC: %d collections, %.0f ms "
        + "paused in all, longest %.1f ms.%n%n", samples, allocated / 1e6, gcPauses, gcPauseNanos / 1e6,
        gcLongestNanos / 1e6));
    table(md, "CPU: own samples (the method on top of the stack)", "share", selfSamples, top, this::percentOfSamples);
    table(md, "CPU: inclusive samples, Arena's code", "share", only(inclusiveSamples, "arena."), top,
        this::percentOfSamples);
    table(md, "CPU: inclusive samples, libraries", "share", without(inclusiveSamples, "arena."), top,
        this::percentOfSamples);
    table(md, "CPU: threads", "share", threadSamples, top, this::percentOfSamples);
    table(md, "Allocation by class", "share", allocatedByClass, top, this::percentOfAllocated);
    table(md, "Allocation by site (first Arena frame, else first library frame)", "share", allocatedBySite, top,
        this::percentOfAllocated);
    table(md, "Lock waits: monitors entered after a wait (jdk.JavaMonitorEnter), by class", "waited",
        monitorWaitNanos, top, JfrSummary::millis);
    table(md, "Lock waits: parked threads (jdk.ThreadPark), by the class parked on", "waited", parkNanos, top,
        JfrSummary::millis);
    return md.toString();
  }

  private String percentOfSamples(long n) {
    return String.format(Locale.ROOT, "%.1f%%", samples == 0 ? 0.0 : n * 100.0 / samples);
  }

  private String percentOfAllocated(long n) {
    return String.format(Locale.ROOT, "%.1f%%", allocated == 0 ? 0.0 : n * 100.0 / allocated);
  }

  private static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.0f ms", nanos / 1e6);
  }

  private static Map<String, Long> only(Map<String, Long> counts, String prefix) {
    Map<String, Long> kept = new HashMap<>();
    counts.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        kept.put(k, v);
      }
    });
    return kept;
  }

  private static Map<String, Long> without(Map<String, Long> counts, String prefix) {
    Map<String, Long> kept = new HashMap<>();
    counts.forEach((k, v) -> {
      if (!k.startsWith(prefix) && !k.startsWith("java.lang.Thread.run") && !k.startsWith("java.util.concurrent.ForkJoin")) {
        kept.put(k, v);
      }
    });
    return kept;
  }

  private static void table(StringBuilder md, String title, String column, Map<String, Long> counts, int top,
      Function<Long, String> format) {
    md.append("**").append(title).append("**\n\n| ").append(column).append(" | what |\n|---|---|\n");
    List<Map.Entry<String, Long>> rows = new ArrayList<>(counts.entrySet());
    rows.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()));
    if (rows.isEmpty()) {
      md.append("| - | none recorded |\n");
    }
    for (Map.Entry<String, Long> row : rows.subList(0, Math.min(top, rows.size()))) {
      md.append("| ").append(format.apply(row.getValue())).append(" | `").append(row.getKey()).append("` |\n");
    }
    md.append('\n');
  }
}
