package arena.loadtest.ws;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Who used the machine's CPU between two readings of Linux's /proc: this JVM (the generator), the
 * node (by its pid), PostgreSQL's processes, the rest, and what stayed idle — in cores. Like
 * {@code arena.loadtest.CpuUse}, which is package-private to {@code arena.loadtest} and reads no
 * other process than its own; this one also reads the node's. All zero where /proc cannot be read;
 * the node's share is zero when its pid is unknown (≤ 0).
 */
record ProcCpu(long total, long idle, int cpus, long self, long node, long postgres) {

  static ProcCpu read(long nodePid) {
    try {
      List<String> stat = Files.readAllLines(Path.of("/proc/stat"));
      String[] cpu = stat.get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < cpu.length && i <= 8; i++) { // user nice system idle iowait irq softirq steal
        total += Long.parseLong(cpu[i]);
      }
      long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
      int cpus = (int) stat.stream().filter(l -> l.matches("cpu\\d+ .*")).count();
      return new ProcCpu(total, idle, Math.max(1, cpus), ticks(Path.of("/proc/self/stat")),
          nodePid > 0 ? ticks(Path.of("/proc/" + nodePid + "/stat")) : 0, postgresTicks());
    } catch (IOException | RuntimeException e) {
      return new ProcCpu(0, 0, 1, 0, 0, 0);
    }
  }

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

  private static long postgresTicks() throws IOException {
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      return processes.filter(p -> p.getFileName().toString().matches("\\d+")).mapToLong(p -> {
        try {
          String stat = Files.readString(p.resolve("stat"));
          return stat.contains("(postgres)") ? ticksOf(stat) : 0;
        } catch (IOException | RuntimeException e) {
          return 0; // the process ended meanwhile
        }
      }).sum();
    }
  }

  /** Cores used on average since {@code earlier}, by each party. */
  Shares since(ProcCpu earlier) {
    double elapsed = total - earlier.total;
    if (elapsed <= 0) {
      return new Shares(0, 0, 0, 0, 0);
    }
    double generator = (self - earlier.self) / elapsed * cpus;
    double nodeCores = (node - earlier.node) / elapsed * cpus;
    double pg = (postgres - earlier.postgres) / elapsed * cpus;
    double busy = (elapsed - (idle - earlier.idle)) / elapsed * cpus;
    return new Shares(generator, nodeCores, pg, Math.max(0, busy - generator - nodeCores - pg), cpus - busy);
  }

  /** Average cores busy in each party, and idle. */
  record Shares(double generator, double node, double postgres, double others, double idle) {}
}
