package arena.loadtest.rehearsal;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Arena node process of the rehearsal: {@code java -jar <jar>} of one release, configured by
 * environment variables as a pod would be, its output in {@code <out>/nodes/<name>.log}.
 */
final class NodeProc {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final String name;
  final String release;
  final String appVersion;
  final String host;
  final int httpPort;
  final int managementPort;
  final int remotingPort;
  final Path jar;
  final Path log;
  private final Map<String, String> env;
  private final List<String> jvmArgs;
  private Process process;
  long startedAtMs = -1;
  long exitedAtMs = -1;
  volatile boolean routable;
  volatile boolean stopping;

  NodeProc(String name, String release, String appVersion, String host, Path jar, Path outDir, Map<String, String> env,
      List<String> jvmArgs) {
    this.name = name;
    this.release = release;
    this.appVersion = appVersion;
    this.host = host;
    this.httpPort = freePort(host);
    this.managementPort = freePort(host);
    this.remotingPort = freePort(host);
    this.jar = jar;
    this.log = outDir.resolve("nodes").resolve(name + ".log");
    this.env = env;
    this.jvmArgs = jvmArgs;
  }

  String baseUrl() {
    return "http://" + host + ":" + httpPort;
  }

  String managementUrl() {
    return "http://" + host + ":" + managementPort;
  }

  String contactPoint() {
    return host + ":" + managementPort;
  }

  void start(String contactPoints, int required, long nowMs) throws IOException {
    Files.createDirectories(log.getParent());
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    // Cluster traffic leaves from this node's own address, so that a partition can be cut by address.
    cmd.add("-Dpekko.remote.artery.advanced.tcp.outbound-client-hostname=" + host);
    cmd.add("-jar");
    cmd.add(jar.toString());
    ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    b.environment().putAll(env);
    b.environment().put("ARENA_HOST", host);
    b.environment().put("ARENA_HTTP_PORT", String.valueOf(httpPort));
    b.environment().put("ARENA_MANAGEMENT_PORT", String.valueOf(managementPort));
    b.environment().put("ARENA_REMOTING_PORT", String.valueOf(remotingPort));
    b.environment().put("ARENA_APP_VERSION", appVersion);
    b.environment().put("ARENA_CONTACT_POINTS", contactPoints);
    b.environment().put("ARENA_REQUIRED_CONTACT_POINTS", String.valueOf(required));
    b.environment().put("ARENA_PER_ADDRESS_LIMITS", "off");
    process = b.start();
    startedAtMs = nowMs;
  }

  long pid() {
    return process == null ? -1 : process.pid();
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  int exitCode() {
    return process.exitValue();
  }

  void signal(String sig) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + sig, String.valueOf(pid())).inheritIO().start().waitFor();
  }

  /** Waits for the process to exit; false if it still runs after {@code ms}. */
  boolean awaitExit(long ms) throws InterruptedException {
    return process.waitFor(ms, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  int status(String path) {
    try {
      HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(managementUrl() + path))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
      return r.statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  String get(String path) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(managementUrl() + path))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Waits until {@code /ready} answers 200; false when the node died or {@code ms} passed. */
  boolean awaitReady(long ms) throws InterruptedException {
    long deadline = System.currentTimeMillis() + ms;
    while (System.currentTimeMillis() < deadline) {
      if (!alive()) {
        return false;
      }
      if (status("/ready") == 200) {
        return true;
      }
      Thread.sleep(250);
    }
    return false;
  }

  void destroy() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
  }

  /** Ports handed out in this run: the OS may offer a port it just freed again (it did: two nodes shared one). */
  private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

  static int freePort(String host) {
    // Below the kernel's ephemeral range (32768 and up here): a port picked from that range can be
    // taken by one of the load's own client sockets before the node binds it (it was, once).
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    for (int tries = 0; tries < 1000; tries++) {
      int port = random.nextInt(20_000, 32_000);
      if (HANDED_OUT.contains(port)) {
        continue;
      }
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        if (HANDED_OUT.add(port)) {
          return port;
        }
      } catch (IOException e) {
        // in use: try another
      }
    }
    throw new IllegalStateException("no port on " + host + " that this run has not handed out already");
  }

  @Override
  public String toString() {
    return name + " (" + release + ", app-version " + appVersion + ", pid " + pid() + ")";
  }

  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java" + (File.separatorChar == '\\' ? ".exe" : ""))
        .toString();
  }
}
