package arena.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Who used the machine's CPU during a window, from Linux's /proc: this JVM, PostgreSQL's
 * processes, everything else. Tells where the bottleneck is, and whether other work on the machine
 * disturbed the measurement. All zero where /proc cannot be read.
 */
record CpuUse(long total, long idle, long jvm, long children, long postgres) {

  static CpuUse read() {
    try {
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < cpu.length && i <= 8; i++) { // user nice system idle iowait irq softirq steal
        total += Long.parseLong(cpu[i]);
      }
      long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
      List<String> self = fields(Files.readString(Path.of("/proc/self/stat")));
      long jvm = Long.parseLong(self.get(11)) + Long.parseLong(self.get(12));
      long children = Long.parseLong(self.get(13)) + Long.parseLong(self.get(14));
      return new CpuUse(total, idle, jvm, children, postgresTicks());
    } catch (IOException | RuntimeException e) {
      return new CpuUse(0, 0, 0, 0, 0);
    }
  }

  private static long postgresTicks() throws IOException {
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      return processes.filter(p -> p.getFileName().toString().matches("\\d+"))
          .mapToLong(p -> {
            try {
              String stat = Files.readString(p.resolve("stat"));
              if (!stat.contains("(postgres)")) {
                return 0;
              }
              List<String> fields = fields(stat);
              return Long.parseLong(fields.get(11)) + Long.parseLong(fields.get(12));
            } catch (IOException | RuntimeException e) {
              return 0; // the process ended meanwhile
            }
          }).sum();
    }
  }

  /**
   * The fields after the parenthesised command name: utime and stime at 11 and 12 (fields 14 and
   * 15 of proc(5)), the reaped children's cutime and cstime at 13 and 14.
   */
  private static List<String> fields(String stat) {
    return List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
  }

  /** Cores used on average between {@code earlier} and this reading, for each party. */
  Shares since(CpuUse earlier) {
    double elapsed = total - earlier.total;
    if (elapsed <= 0) {
      return new Shares(0, 0, 0, 0, 0);
    }
    double cores = Runtime.getRuntime().availableProcessors();
    double jvmCores = (jvm - earlier.jvm) / elapsed * cores;
    double childCores = (children - earlier.children) / elapsed * cores;
    double pgCores = (postgres - earlier.postgres) / elapsed * cores;
    double busyCores = (elapsed - (idle - earlier.idle)) / elapsed * cores;
    return new Shares(jvmCores, childCores, pgCores,
        Math.max(0, busyCores - jvmCores - childCores - pgCores), cores - busyCores);
  }

  /**
   * Average cores busy in each party, and idle. {@code children} are processes this JVM started
   * and waited for (pgbench).
   */
  record Shares(double jvm, double children, double postgres, double others, double idle) {}
}
