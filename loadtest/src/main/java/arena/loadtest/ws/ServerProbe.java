package arena.loadtest.ws;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads what a server process and PostgreSQL used, from Linux's /proc, PostgreSQL's statistics
 * and, for a JVM, its own performance counters (the ones {@code jstat} reads) and {@code jcmd}:
 * <ul>
 *   <li>CPU ticks of the server process, of every PostgreSQL process and of this generator, and
 *       of the whole machine (/proc/stat);</li>
 *   <li>context switches of every thread of the server (/proc/PID/task/TID/status);</li>
 *   <li>the server's RSS (/proc/PID/status VmRSS);</li>
 *   <li>commits in the server's database and rows inserted into its journal table
 *       (pg_stat_database, pg_stat_user_tables);</li>
 *   <li>for a JVM: the time its collectors spent (sun.gc.collector.N.time, through the JDK's
 *       jvmstat API, which needs {@code --add-modules jdk.internal.jvmstat --add-exports
 *       jdk.internal.jvmstat/sun.jvmstat.monitor=ALL-UNNAMED} on this JVM's command line; without
 *       it, GC time is null), and the heap used after a full GC ({@code jcmd PID GC.run}, then
 *       {@code GC.heap_info}).</li>
 * </ul>
 * Every reading that fails is zero or null, never an exception: a benchmark goes on without it.
 */
final class ServerProbe implements AutoCloseable {

  /** Linux's USER_HZ: /proc's ticks per second (100 on every mainstream architecture). */
  static final double TICKS_PER_SECOND = 100;
  private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");

  private final long pid;
  private final boolean jvm;
  private final String jdbcUrl;
  private final String dbUser;
  private final String dbPassword;
  private final String journalTable;
  private final Object gcCounters; // a jvmstat MonitoredVm, or null
  private final List<Object> gcTimeMonitors = new ArrayList<>();
  private long gcFrequency = 1;
  private Connection db;

  ServerProbe(long pid, boolean jvm, String jdbcUrl, String dbUser, String dbPassword, String journalTable) {
    this.pid = pid;
    this.jvm = jvm;
    this.jdbcUrl = jdbcUrl;
    this.dbUser = dbUser;
    this.dbPassword = dbPassword;
    this.journalTable = journalTable;
    this.gcCounters = jvm ? attachCounters() : null;
  }

  /** One reading; {@code gcNanos} is -1 where unknown. */
  record Reading(long nanos, long machineTicks, long idleTicks, int cpus, long server, long postgres, long self,
      long contextSwitches, long rssKiB, long commits, long journalRows, long gcNanos) {}

  Reading read() {
    long now = System.nanoTime();
    long machine = 0;
    long idle = 0;
    int cpus = 1;
    try {
      List<String> stat = Files.readAllLines(Path.of("/proc/stat"));
      String[] cpu = stat.get(0).trim().split("\\s+");
      for (int i = 1; i < cpu.length && i <= 8; i++) { // user nice system idle iowait irq softirq steal
        machine += Long.parseLong(cpu[i]);
      }
      idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
      cpus = (int) Math.max(1, stat.stream().filter(l -> l.matches("cpu\\d+ .*")).count());
    } catch (IOException | RuntimeException e) {
      // not Linux: zeros
    }
    long[] pg = pgStats();
    return new Reading(now, machine, idle, cpus, ticks(Path.of("/proc/" + pid + "/stat")), postgresTicks(),
        ticks(Path.of("/proc/self/stat")), contextSwitches(), rssKiB(), pg[0], pg[1], gcNanos());
  }

  /** What was used between {@code before} and {@code after}, per move for {@code moves} acknowledged moves. */
  static Results.Usage usage(Reading before, Reading after, long moves) {
    double seconds = Math.max(1e-9, (after.nanos - before.nanos) / 1e9);
    double machineTicks = after.machineTicks - before.machineTicks;
    double serverTicks = after.server - before.server;
    double pgTicks = after.postgres - before.postgres;
    double selfTicks = after.self - before.self;
    double busy = machineTicks <= 0 ? 0 : (machineTicks - (after.idleTicks - before.idleTicks)) / machineTicks * after.cpus;
    double idleCores = machineTicks <= 0 ? 0 : after.cpus - busy;
    double server = serverTicks / TICKS_PER_SECOND / seconds;
    double pg = pgTicks / TICKS_PER_SECOND / seconds;
    double self = selfTicks / TICKS_PER_SECOND / seconds;
    long rows = after.journalRows - before.journalRows;
    long commits = after.commits - before.commits;
    Double gcMs = after.gcNanos < 0 || before.gcNanos < 0 ? null : (after.gcNanos - before.gcNanos) / 1e6;
    return new Results.Usage(perMove(serverTicks * 1000 / TICKS_PER_SECOND, moves),
        perMove(pgTicks * 1000 / TICKS_PER_SECOND, moves), perMove(selfTicks * 1000 / TICKS_PER_SECOND, moves),
        round(server), round(pg), round(self), round(Math.max(0, busy - server - pg - self)), round(idleCores),
        rows, commits, commits > 0 ? round((double) rows / commits) : null,
        perMove(after.contextSwitches - before.contextSwitches, moves),
        gcMs == null ? null : round(gcMs), gcMs == null ? null : round(gcMs / seconds), round(after.rssKiB / 1024.0));
  }

  private static Double perMove(double amount, long moves) {
    return moves > 0 ? Math.round(amount / moves * 10_000) / 10_000.0 : null;
  }

  static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  /** The server's resident set, in KiB (0 if unknown). */
  long rssKiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone
    }
    return 0;
  }

  /**
   * The JVM's heap in use after a full collection, in bytes: {@code jcmd PID GC.run} twice, then
   * {@code GC.heap_info}; null for a server that is no JVM or when jcmd fails.
   */
  Long heapAfterFullGc() {
    if (!jvm) {
      return null;
    }
    try {
      jcmd("GC.run");
      jcmd("GC.run");
      Matcher m = HEAP_USED.matcher(jcmd("GC.heap_info"));
      return m.find() ? Long.parseLong(m.group(1)) * 1024 : null;
    } catch (IOException e) {
      OpenLoad.say("jcmd failed: %s", e.getMessage());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private String jcmd(String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("jcmd", String.valueOf(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("jcmd " + pid + " " + command + ": " + out.strip());
    }
    return out;
  }

  // ---- /proc ----

  /** utime + stime of one process (fields 14 and 15 of proc(5)); 0 if it is gone. */
  private static long ticks(Path stat) {
    try {
      return ticksOf(Files.readString(stat));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static long ticksOf(String stat) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  /**
   * CPU ticks of PostgreSQL: every live postgres process, plus the ticks of the ones that ended,
   * which the postmaster holds as its reaped children's (cutime, cstime): without them a backend
   * that ends during a window would take its whole past out of the sum.
   */
  private static long postgresTicks() {
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      return processes.filter(p -> p.getFileName().toString().matches("\\d+")).mapToLong(p -> {
        try {
          String stat = Files.readString(p.resolve("stat"));
          if (!stat.contains("(postgres)")) {
            return 0;
          }
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          return Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
              + Long.parseLong(fields[14]);
        } catch (IOException | RuntimeException e) {
          return 0; // the process ended meanwhile
        }
      }).sum();
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** Voluntary and involuntary context switches of every live thread of the server. */
  private long contextSwitches() {
    try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      return tasks.mapToLong(task -> {
        try {
          long n = 0;
          for (String line : Files.readAllLines(task.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
              n += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
          }
          return n;
        } catch (IOException | RuntimeException e) {
          return 0; // the thread ended meanwhile
        }
      }).sum();
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  // ---- PostgreSQL ----

  /** {commits in the database, rows inserted into the journal table}; zeros when it cannot be read. */
  private long[] pgStats() {
    if (jdbcUrl == null) {
      return new long[] {0, 0};
    }
    try {
      if (db == null || db.isClosed()) {
        db = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword);
        db.setAutoCommit(true);
      }
      long commits;
      long rows = 0;
      try (ResultSet rs = db.createStatement().executeQuery(
          "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
        rs.next();
        commits = rs.getLong(1);
      }
      try (PreparedStatement ps = db.prepareStatement(
          "SELECT coalesce(sum(n_tup_ins), 0) FROM pg_stat_user_tables WHERE relname = ?")) {
        ps.setString(1, journalTable);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            rows = rs.getLong(1);
          }
        }
      }
      return new long[] {commits, rows};
    } catch (SQLException e) {
      OpenLoad.say("PostgreSQL statistics unavailable: %s", e.getMessage());
      return new long[] {0, 0};
    }
  }

  // ---- the JVM's own counters (what jstat reads) ----

  private Object attachCounters() {
    try {
      Class<?> hostClass = Class.forName("sun.jvmstat.monitor.MonitoredHost");
      Class<?> vmIdClass = Class.forName("sun.jvmstat.monitor.VmIdentifier");
      Class<?> vmClass = Class.forName("sun.jvmstat.monitor.MonitoredVm");
      Object host = hostClass.getMethod("getMonitoredHost", String.class).invoke(null, "localhost");
      Object vmId = vmIdClass.getConstructor(String.class).newInstance(String.valueOf(pid));
      Object vm = hostClass.getMethod("getMonitoredVm", vmIdClass).invoke(host, vmId);
      Method find = vmClass.getMethod("findByName", String.class);
      for (int i = 0; i < 4; i++) {
        Object monitor = find.invoke(vm, "sun.gc.collector." + i + ".time");
        if (monitor != null) {
          gcTimeMonitors.add(monitor);
        }
      }
      Object frequency = find.invoke(vm, "sun.os.hrt.frequency");
      gcFrequency = frequency == null ? 1 : ((Number) value(frequency)).longValue();
      return gcTimeMonitors.isEmpty() ? null : vm;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      OpenLoad.say("GC time unavailable (run with --add-modules jdk.internal.jvmstat "
          + "--add-exports jdk.internal.jvmstat/sun.jvmstat.monitor=ALL-UNNAMED): %s", e);
      return null;
    }
  }

  private static Object value(Object monitor) throws ReflectiveOperationException {
    return Class.forName("sun.jvmstat.monitor.Monitor").getMethod("getValue").invoke(monitor);
  }

  /** Time all collectors spent so far, in ns; -1 when unknown. */
  private long gcNanos() {
    if (gcCounters == null) {
      return -1;
    }
    try {
      long ticks = 0;
      for (Object monitor : gcTimeMonitors) {
        ticks += ((Number) value(monitor)).longValue();
      }
      return (long) (ticks * 1e9 / gcFrequency);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    try {
      if (db != null) {
        db.close();
      }
    } catch (SQLException e) {
      // closing anyway
    }
    if (gcCounters != null) {
      try {
        Class.forName("sun.jvmstat.monitor.MonitoredVm").getMethod("detach").invoke(gcCounters);
      } catch (ReflectiveOperationException | RuntimeException e) {
        // the server is gone
      }
    }
  }
}
