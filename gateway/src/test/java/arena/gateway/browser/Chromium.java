package arena.gateway.browser;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Headless Chromium from Debian's {@code chromium} package, in its own process with a fresh
 * profile (so its localStorage, and thus its Arena player, is its own). {@link #close} kills it
 * with every process it started and deletes the profile; a shutdown hook does the same if the
 * test JVM exits first.
 */
final class Chromium implements AutoCloseable {

  static final Path BINARY = Path.of("/usr/bin/chromium");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String name;
  private final Process process;
  private final Path profile;
  private final Path log;
  private final Thread killer;
  private int devToolsPort;

  private Chromium(String name, Process process, Path profile, Path log) {
    this.name = name;
    this.process = process;
    this.profile = profile;
    this.log = log;
    this.killer = new Thread(this::kill, "kill-chromium-" + name);
    Runtime.getRuntime().addShutdownHook(killer);
  }

  /** Starts a browser and waits until its DevTools endpoint is up; its output goes to target/browser-logs/. */
  static Chromium launch(String name) throws IOException, InterruptedException {
    if (!Files.isExecutable(BINARY)) {
      throw new AssertionError(BINARY + " is missing: the browser tests need Debian's chromium package"
          + " (scripts/test.sh installs it; by hand: apt-get install chromium)");
    }
    Path profile = Files.createTempDirectory("arena-chromium-" + name + "-");
    Path log = Path.of("target", "browser-logs", name + ".log");
    Files.createDirectories(log.getParent());
    Process process = new ProcessBuilder(BINARY.toString(),
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
        .start();
    Chromium chromium = new Chromium(name, process, profile, log);
    try {
      chromium.devToolsPort = chromium.awaitDevToolsPort();
    } catch (RuntimeException | Error | InterruptedException e) {
      chromium.close();
      throw e;
    }
    return chromium;
  }

  /** Chromium writes its DevTools port (line 1) and browser path (line 2) to this file once it listens. */
  private int awaitDevToolsPort() throws InterruptedException {
    Path file = profile.resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      try {
        List<String> lines = Files.readAllLines(file);
        if (lines.size() >= 2) {
          return Integer.parseInt(lines.get(0).strip());
        }
      } catch (IOException | NumberFormatException e) {
        // not written yet
      }
      if (!process.isAlive()) {
        throw new AssertionError("chromium " + name + " exited with " + process.exitValue() + " while starting; see " + log);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("chromium " + name + " wrote no " + file + " within " + START_TIMEOUT.toSeconds() + " s; see " + log);
      }
      Thread.sleep(50);
    }
  }

  /** A DevTools session with the browser's first tab (about:blank). */
  Page openPage() throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + devToolsPort + "/json/list")).timeout(Cdp.TIMEOUT).build(),
        HttpResponse.BodyHandlers.ofString());
    for (JsonNode target : Cdp.JSON.readTree(response.body())) {
      if ("page".equals(target.path("type").asText()) && target.hasNonNull("webSocketDebuggerUrl")) {
        Cdp cdp = Cdp.connect(URI.create(target.get("webSocketDebuggerUrl").asText()));
        try {
          return new Page(name, cdp);
        } catch (RuntimeException e) {
          cdp.close();
          throw e;
        }
      }
    }
    throw new AssertionError("chromium " + name + " has no page target: " + response.body());
  }

  /**
   * A new tab of this browser, as a user opens one and types the address: it shares the browser's
   * localStorage and cookies with the other tabs but has its own sessionStorage.
   */
  Page newTab(String pageName) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + devToolsPort + "/json/new?about:blank"))
            .PUT(HttpRequest.BodyPublishers.noBody()).timeout(Cdp.TIMEOUT).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode target = Cdp.JSON.readTree(response.body());
    if (!target.hasNonNull("webSocketDebuggerUrl")) {
      throw new AssertionError("chromium " + name + " opened no new tab: " + response.statusCode() + " " + response.body());
    }
    Cdp cdp = Cdp.connect(URI.create(target.get("webSocketDebuggerUrl").asText()));
    try {
      return new Page(pageName, cdp);
    } catch (RuntimeException e) {
      cdp.close();
      throw e;
    }
  }

  @Override
  public void close() {
    kill();
    try {
      Runtime.getRuntime().removeShutdownHook(killer);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down
    }
    deleteProfile();
  }

  /**
   * SIGKILL to the browser and every process it started (zygotes, renderers, utilities), then a
   * bounded wait until each is gone. The others are not our children: once dead they stay zombies
   * until init reaps them, which counts as gone here.
   */
  private void kill() {
    List<ProcessHandle> family = process.descendants().toList();
    process.destroyForcibly();
    family.forEach(ProcessHandle::destroyForcibly);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    boolean interrupted = false;
    while (process.isAlive() || family.stream().anyMatch(member -> member.isAlive() && !isZombie(member))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("chromium " + name + " (pid " + process.pid() + ") or one of its processes survived SIGKILL");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        interrupted = true; // finish the kill first
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Linux: the state in /proc/<pid>/stat, after the parenthesised command name, is Z for a zombie. */
  private static boolean isZombie(ProcessHandle handle) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(handle.pid()), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
    } catch (IOException | RuntimeException e) {
      return !handle.isAlive(); // gone (and reaped) since
    }
  }

  private void deleteProfile() {
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // a leftover temp directory is harmless
    }
  }
}
