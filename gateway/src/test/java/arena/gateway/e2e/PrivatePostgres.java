package arena.gateway.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of a test's own, which the test may stop and start (the suite's shared one
 * must never be stopped): initdb into a temporary directory with the PostgreSQL binaries of this
 * machine, run as user postgres, on a free port of 127.0.0.1, trust authentication, no fsync.
 * Needs root (runuser) or password-less sudo to user postgres; fails, never skips, without them.
 */
final class PrivatePostgres implements AutoCloseable {

  private final Path dir;
  private final Path data;
  private final Path bin;
  final int port;
  private boolean running;

  private PrivatePostgres(Path dir, Path bin, int port) {
    this.dir = dir;
    this.data = dir.resolve("data");
    this.bin = bin;
    this.port = port;
  }

  /** A new cluster, started, with role and database {@code arena} (password {@code arena}). */
  static PrivatePostgres create() throws IOException, InterruptedException {
    Path bin = binaries();
    Path dir = Files.createTempDirectory("arena-private-pg");
    run(List.of("chown", "postgres", dir.toString()), false);
    PrivatePostgres pg = new PrivatePostgres(dir, bin, NodeProcess.freePort());
    pg.asPostgres(bin.resolve("initdb").toString(), "-D", pg.data.toString(), "-A", "trust", "-U", "postgres",
        "-E", "UTF8", "--no-sync");
    pg.start();
    pg.sql("CREATE ROLE arena LOGIN PASSWORD 'arena'");
    pg.sql("CREATE DATABASE arena OWNER arena");
    return pg;
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/arena";
  }

  void start() throws IOException, InterruptedException {
    asPostgres(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
        "-w", "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
    running = true;
  }

  /** Stops at once, as a crash of the database would. */
  void stop() throws IOException, InterruptedException {
    asPostgres(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
    running = false;
  }

  /** Runs SQL in database arena as the superuser. */
  void sql(String statement) throws IOException, InterruptedException {
    asPostgres(bin.resolve("psql").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres",
        "-d", statement.startsWith("CREATE ROLE") || statement.startsWith("CREATE DATABASE") ? "postgres" : "arena",
        "-v", "ON_ERROR_STOP=1", "-qAtc", statement);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      if (running) {
        stop();
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  private void asPostgres(String... command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    } else {
      full.addAll(List.of("sudo", "-n", "-u", "postgres"));
    }
    full.addAll(List.of(command));
    run(full, true);
  }

  private static void run(List<String> command, boolean asPostgres) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("timed out: " + command);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue() + ": " + output);
    }
  }

  /** The newest PostgreSQL's binaries under /usr/lib/postgresql. */
  private static Path binaries() throws IOException {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      throw new IllegalStateException("no PostgreSQL binaries under " + root + ": run scripts/postgres.sh");
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
          .max(Comparator.comparing(v -> Integer.parseInt(v.getFileName().toString().replaceAll("\\D", "0"))))
          .map(v -> v.resolve("bin"))
          .orElseThrow(() -> new IllegalStateException("no initdb under " + root));
    }
  }
}
