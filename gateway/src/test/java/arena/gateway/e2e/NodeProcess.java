package arena.gateway.e2e;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Arena node: {@code java -jar gateway/target/arena-node.jar} in its own JVM, configured
 * by environment variables as an operator would, its log in {@code target/node-logs/}.
 */
public final class NodeProcess implements AutoCloseable {

  /** 90 s; {@code -Darena.e2e.start-seconds=N} gives a machine under heavy load longer. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(Long.getLong("arena.e2e.start-seconds", 90));
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public final String name;
  public final int httpPort;
  public final int managementPort;
  public final int remotingPort;
  private final Map<String, String> env;
  private final Path log;
  private Process process;

  public NodeProcess(String name, Map<String, String> extraEnv) {
    this(name, freePort(), freePort(), freePort(), extraEnv);
  }

  public NodeProcess(String name, int httpPort, int managementPort, int remotingPort, Map<String, String> extraEnv) {
    this.name = name;
    this.httpPort = httpPort;
    this.managementPort = managementPort;
    this.remotingPort = remotingPort;
    this.env = new HashMap<>();
    env.put("ARENA_HOST", "127.0.0.1");
    env.put("ARENA_HTTP_PORT", String.valueOf(httpPort));
    env.put("ARENA_MANAGEMENT_PORT", String.valueOf(managementPort));
    env.put("ARENA_REMOTING_PORT", String.valueOf(remotingPort));
    env.put("ARENA_AUTH_SECRET", "end-to-end-tests-share-this-secret-of-32+-bytes");
    env.putAll(extraEnv);
    this.log = Path.of("target", "node-logs", name + ".log");
  }

  /** The environment of a node on the suite's PostgreSQL. */
  public static Map<String, String> postgres() {
    String url = System.getenv("ARENA_TEST_DB_URL");
    if (url == null || url.isBlank()) {
      throw new IllegalStateException("ARENA_TEST_DB_URL is not set: run the suite with scripts/test.sh");
    }
    Map<String, String> env = new HashMap<>();
    env.put("ARENA_DB_URL", url);
    env.put("ARENA_DB_USER", envOr("ARENA_TEST_DB_USER", "arena"));
    env.put("ARENA_DB_PASSWORD", envOr("ARENA_TEST_DB_PASSWORD", "arena"));
    return env;
  }

  /**
   * A database of its own on the test server (the one {@code ARENA_TEST_DB_URL} names), empty, for
   * a cluster that must not restart the games other tests left behind: with remembered entities,
   * every unfinished game of the shared database starts again with its shard, and on a cold
   * cluster that delays the test's own requests. Drop it with {@link #dropDatabase}.
   */
  public static Map<String, String> freshPostgres(String label) {
    Map<String, String> env = postgres();
    String url = env.get("ARENA_DB_URL");
    String name = "arena_e2e_" + label.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "_")
        + "_" + Long.toHexString(System.nanoTime());
    admin(env, "CREATE DATABASE " + name);
    int slash = url.lastIndexOf('/');
    int query = url.indexOf('?', slash);
    env.put("ARENA_DB_URL", url.substring(0, slash + 1) + name + (query < 0 ? "" : url.substring(query)));
    return env;
  }

  /** Drops a database made by {@link #freshPostgres}, once its nodes are gone. */
  public static void dropDatabase(Map<String, String> env) {
    String url = env.get("ARENA_DB_URL");
    int slash = url.lastIndexOf('/');
    int query = url.indexOf('?', slash);
    String name = url.substring(slash + 1, query < 0 ? url.length() : query);
    if (name.startsWith("arena_e2e_")) {
      admin(postgres(), "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }

  private static void admin(Map<String, String> env, String sql) {
    try (java.sql.Connection db = java.sql.DriverManager.getConnection(env.get("ARENA_DB_URL"),
        env.get("ARENA_DB_USER"), env.get("ARENA_DB_PASSWORD"));
        java.sql.Statement statement = db.createStatement()) {
      statement.execute(sql);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot run '" + sql + "' on the test server", e);
    }
  }

  /** Starts the JVM and waits until it serves {@code /health}. */
  public NodeProcess start() throws IOException, InterruptedException {
    Path jar = Path.of("target", "arena-node.jar").toAbsolutePath();
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: the end-to-end tests run after `mvn package`");
    }
    Files.createDirectories(log.getParent());
    ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-Xmx512m", "-jar", jar.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    process = builder.start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!serves("/health")) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + " while starting; see " + log);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " did not serve /health within " + START_TIMEOUT + "; see " + log);
      }
      Thread.sleep(100);
    }
    return this;
  }

  /** Waits until {@code /ready} answers 200 on the management port. */
  public void awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (status(managementPort, "/ready") != 200) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(name + " was not ready within " + timeout + "; see " + log);
      }
      Thread.sleep(100);
    }
  }

  public boolean serves(String path) {
    return status(httpPort, path) == 200;
  }

  public static int status(int port, String path) {
    try {
      HttpResponse<Void> response = HTTP.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding());
      return response.statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** SIGTERM, then the exit code (bounded wait). */
  public int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(name + " did not exit within " + timeout + " of SIGTERM; see " + log);
    }
    return process.exitValue();
  }

  /** SIGTERM without waiting: the node starts to leave (see {@link #terminate} to wait for it). */
  public void signalTerm() {
    process.destroy();
  }

  /** The exit code, waiting at most {@code timeout}. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(name + " did not exit within " + timeout + "; see " + log);
    }
    return process.exitValue();
  }

  /** SIGKILL: the node dies at once, as on a crash. */
  public void kill() throws InterruptedException {
    if (process == null) {
      return; // never started
    }
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGSTOP: the node freezes, as in a stalled VM or a very long GC pause. */
  public void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT: a paused node runs again. */
  public void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  /** Waits until the process has exited; whether it did. */
  /** Whether the process exited within {@code timeout} (it is left running if not). */
  public boolean exitsWithin(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public Path log() {
    return log;
  }

  @Override
  public void close() throws InterruptedException {
    if (isAlive()) {
      process.destroy();
      if (!process.waitFor(40, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /** Ports handed out in this JVM: the OS may offer a port it just freed again, to the next node. */
  private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public static int freePort() {
    // Below the kernel's ephemeral range (32768 and up on Linux): a port picked from that range can
    // be taken by a client socket of the test before the node binds it.
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    for (int tries = 0; tries < 1000; tries++) {
      int port = random.nextInt(20_000, 32_000);
      if (HANDED_OUT.contains(port)) {
        continue;
      }
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new java.net.InetSocketAddress("127.0.0.1", port));
        if (HANDED_OUT.add(port)) {
          return port;
        }
      } catch (IOException e) {
        // in use: try another
      }
    }
    throw new IllegalStateException("no port that this JVM has not handed out already");
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java" + (File.separatorChar == '\\' ? ".exe" : "")).toString();
  }

  private static String envOr(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
