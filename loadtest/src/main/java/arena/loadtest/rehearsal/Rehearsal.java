package arena.loadtest.rehearsal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The rollout rehearsal and the chaos runs of issue 10, on one machine: real node processes on
 * PostgreSQL, players that behave like real clients ({@link Load}), an outside view of the cluster
 * ({@link Watch}), the journal checked against every ack ({@link Journal}), a report in Markdown
 * and JSON ({@link RunReport}).
 *
 * <pre>java -cp 'loadtest/target/loadtest-1.0.0.jar:loadtest/target/lib/*' arena.loadtest.rehearsal.Rehearsal
 *     rollout|kill9|db-stop|partition|freeze --current-jar J [--previous-jar J] [--games N] [--rate R] ...</pre>
 *
 * <p>Scenarios:
 * <ul>
 *   <li>{@code rollout}: {@code nodes} nodes of the previous release, then the rolling update a
 *       Deployment with {@code maxSurge: 1, maxUnavailable: 0} does — start a node of the current
 *       code, wait for its {@code /ready}, SIGTERM an old node (the others first, the oldest member
 *       last), wait for it to exit, {@code settle} seconds, repeat — then a second rollout (new
 *       app-version, same code) rolled back halfway (unless {@code --no-rollback}).</li>
 *   <li>{@code kill9}: SIGKILL of a node that is not the oldest; the survivors must down it.</li>
 *   <li>{@code db-stop}: {@code --db-stop-cmd}, {@code chaos-seconds} (15), {@code --db-start-cmd}.</li>
 *   <li>{@code partition}: a node (not the oldest) cut from the others for {@code chaos-seconds}
 *       (40) with {@code ip rule ... blackhole} between the nodes' addresses (needs root, and
 *       {@code --distinct-hosts}: node i binds 127.0.0.(10+i); run it in a network namespace of its
 *       own, see scripts/chaos).</li>
 *   <li>{@code freeze}: SIGSTOP of a node (not the oldest) for {@code chaos-seconds} (40), then SIGCONT.</li>
 * </ul>
 */
public final class Rehearsal {

  final Map<String, String> opt;
  final String scenario;
  final Path out;
  final long t0 = System.nanoTime();
  final List<String> steps = new CopyOnWriteArrayList<>();
  final Map<String, Object> measures = new LinkedHashMap<>();
  final Watch watch = new Watch(this);
  Load load;
  private int started;

  Rehearsal(String scenario, Map<String, String> opt) {
    this.scenario = scenario;
    this.opt = opt;
    this.out = Path.of(opt.getOrDefault("out", "run/rehearsal/" + scenario));
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].startsWith("-")) {
      System.err.println("usage: Rehearsal rollout|kill9|db-stop|partition|freeze --current-jar JAR [--previous-jar JAR]"
          + " [--games 1000] [--rate 300] [--nodes 3] [--out DIR] ...");
      System.exit(2);
    }
    Map<String, String> opt = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      String key = args[i].replaceFirst("^--", "");
      if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        opt.put(key, args[++i]);
      } else {
        opt.put(key, "true");
      }
    }
    RunReport report = new Rehearsal(args[0], opt).run();
    System.out.println(report.summaryLine());
    System.exit(0);
  }

  int intOpt(String key, int fallback) {
    return Integer.parseInt(opt.getOrDefault(key, String.valueOf(fallback)));
  }

  /** How long a node may take to answer /ready (a busy 2-core machine needs minutes). */
  long readyMs() {
    return intOpt("ready-seconds", 420) * 1000L;
  }

  String env(String key, String fallback) {
    String v = System.getenv(key);
    return v == null || v.isBlank() ? fallback : v;
  }

  String clock() {
    return String.format(java.util.Locale.ROOT, "%7.1fs", (System.nanoTime() - t0) / 1e9);
  }

  long ms() {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  void step(String what) {
    String line = clock() + "  " + what;
    steps.add(line);
    say(line);
  }

  void say(String what) {
    System.err.println(java.time.LocalTime.now().withNano(0) + " rehearsal: " + what);
  }

  /** Runs the scenario and writes its report; nodes are stopped whatever happens. */
  RunReport run() throws Exception {
    Files.createDirectories(out);
    int nodes = intOpt("nodes", 3);
    int games = intOpt("games", 1000);
    double rate = Double.parseDouble(opt.getOrDefault("rate", "300"));
    String dbUrl = opt.getOrDefault("db-url", env("ARENA_DB_URL", env("ARENA_TEST_DB_URL",
        "jdbc:postgresql://127.0.0.1:5432/arena")));
    String dbUser = opt.getOrDefault("db-user", env("ARENA_DB_USER", env("ARENA_TEST_DB_USER", "arena")));
    String dbPassword = opt.getOrDefault("db-password", env("ARENA_DB_PASSWORD", env("ARENA_TEST_DB_PASSWORD", "arena")));
    Path current = Path.of(opt.getOrDefault("current-jar", "gateway/target/arena-node.jar"));
    Path previous = opt.containsKey("previous-jar") ? Path.of(opt.get("previous-jar")) : current;
    Instant began = Instant.now();
    RunReport report = new RunReport(this, began, games, rate, nodes);
    try {
      Map<String, String> env = new LinkedHashMap<>();
      env.put("ARENA_DB_URL", dbUrl);
      env.put("ARENA_DB_USER", dbUser);
      env.put("ARENA_DB_PASSWORD", dbPassword);
      env.put("ARENA_AUTH_SECRET", opt.getOrDefault("auth-secret", "rollout-rehearsal-shared-secret-of-32-bytes+"));
      boolean rollout = scenario.equals("rollout");
      String firstRelease = rollout ? "previous" : "current";
      Path firstJar = rollout ? previous : current;
      step("starting " + nodes + " nodes of the " + firstRelease + " release (" + firstJar + ")");
      List<NodeProc> first = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        first.add(node(firstRelease, "1.0.0", firstJar, env));
      }
      String contacts = String.join(",", first.stream().map(NodeProc::contactPoint).toList());
      for (NodeProc n : first) {
        n.start(contacts, nodes, ms());
        watch.nodes.add(n);
      }
      for (NodeProc n : first) {
        if (!n.awaitReady(readyMs())) {
          throw new IllegalStateException(n + " was not ready within " + readyMs() / 1000 + " s; see " + n.log);
        }
      }
      watch.start();
      step("cluster ready; setting up " + games + " games");
      load = new Load(watch, games, rate, t0);
      Thread.sleep(1500); // the watch marks the nodes routable
      load.setUp(intOpt("setup-seconds", 120 + games * 600 / 1000));
      step("games set up; playing at " + rate + " moves/s");
      load.play();
      Thread.sleep(intOpt("warmup", 15) * 1000L);
      report.movesBefore = load.acks.size();
      switch (scenario) {
        case "rollout" -> rollout(env, current, previous);
        case "kill9" -> kill9();
        case "db-stop" -> dbStop();
        case "partition" -> partition();
        case "freeze" -> freeze();
        default -> throw new IllegalArgumentException("unknown scenario " + scenario);
      }
      Thread.sleep(intOpt("observe", 15) * 1000L);
      step("stopping the load; waiting for the answers to the moves in flight");
      load.drain(20_000);
      report.inFlightAtEnd = load.movesInFlight();
      step("load stopped (" + report.inFlightAtEnd + " moves still unanswered)");
    } catch (Exception e) {
      report.failure = e.toString();
      step("FAILED: " + e);
    } finally {
      if (load != null) {
        load.stop();
      }
      watch.stop();
      stopAll();
    }
    try {
      if (load != null) {
        report.journal = Journal.check(dbUrl, dbUser, dbPassword, load.acks);
      }
    } catch (Exception e) {
      report.failure = (report.failure == null ? "" : report.failure + "; ") + "journal check: " + e;
    }
    report.write(out);
    return report;
  }

  private NodeProc node(String release, String appVersion, Path jar, Map<String, String> env) {
    started++;
    String host = opt.containsKey("distinct-hosts") ? "127.0.0." + (10 + started) : "127.0.0.1";
    String name = (release.equals("current") ? "cur" : release.equals("previous") ? "prev" : release) + "-v"
        + appVersion + "-" + started;
    List<String> jvm = new ArrayList<>(List.of("-Xmx" + opt.getOrDefault("heap", "512m"), "-XX:+UseSerialGC",
        // a starved machine may take more than the default 3 s to bind the remoting port
        "-Dpekko.remote.artery.bind.bind-timeout=60s"));
    return new NodeProc(name, release, appVersion, host, jar, out, env, jvm);
  }

  private List<NodeProc> live() {
    return watch.nodes.stream().filter(n -> n.alive() && !n.stopping).toList();
  }

  private void stopAll() {
    for (NodeProc n : watch.nodes) {
      if (n.alive()) {
        try {
          n.signal("CONT");
          n.signal("TERM");
        } catch (Exception e) {
          n.destroy();
        }
      }
    }
    for (NodeProc n : watch.nodes) {
      try {
        if (n.alive() && !n.awaitExit(60_000)) {
          n.destroy();
        }
      } catch (InterruptedException e) {
        n.destroy();
      }
    }
    if (scenario.equals("partition")) {
      heal();
    }
  }

  // ---- rollout ----

  private void rollout(Map<String, String> env, Path current, Path previous) throws Exception {
    int nodes = intOpt("nodes", 3);
    step("ROLLOUT 1: previous release -> current code (app-version 1.1.0)");
    roll(env, current, "current", "1.1.0", nodes);
    if (opt.containsKey("no-rollback")) {
      return;
    }
    step("ROLLOUT 2: current code app-version 1.1.0 -> 1.2.0, rolled back halfway");
    int half = (nodes + 1) / 2;
    roll(env, current, "current", "1.2.0", half);
    step("ROLLBACK: back to app-version 1.1.0");
    long toReplace = live().stream().filter(n -> n.appVersion.equals("1.2.0")).count();
    roll(env, current, "current", "1.1.0", (int) toReplace, "1.2.0");
  }

  private void roll(Map<String, String> env, Path jar, String release, String version, int count) throws Exception {
    roll(env, jar, release, version, count, null);
  }

  /**
   * {@code count} steps of a maxSurge 1 / maxUnavailable 0 rollout: start a node of the next
   * version, wait for /ready, SIGTERM an old one (not the oldest member while another old one is
   * left), wait for its exit, settle.
   */
  private void roll(Map<String, String> env, Path jar, String release, String version, int count, String onlyFrom)
      throws Exception {
    int settle = intOpt("settle", 10);
    for (int i = 0; i < count; i++) {
      List<NodeProc> old = live().stream().filter(n -> !n.appVersion.equals(version))
          .filter(n -> onlyFrom == null || n.appVersion.equals(onlyFrom)).toList();
      if (old.isEmpty()) {
        return;
      }
      NodeProc fresh = node(release, version, jar, env);
      String contacts = String.join(",", live().stream().map(NodeProc::contactPoint).toList());
      long t = ms();
      step("start " + fresh.name);
      fresh.start(contacts, 1, ms());
      watch.nodes.add(fresh);
      if (!fresh.awaitReady(readyMs())) {
        throw new IllegalStateException(fresh + " was not ready within " + readyMs() / 1000 + " s; see " + fresh.log);
      }
      step(fresh.name + " ready after " + (ms() - t) / 1000.0 + " s");
      String oldest = watch.oldestName();
      NodeProc victim = old.stream().filter(n -> !n.name.equals(oldest)).findFirst().orElse(old.get(0));
      stopGracefully(victim);
      Thread.sleep(settle * 1000L);
    }
  }

  private void stopGracefully(NodeProc victim) throws Exception {
    long t = ms();
    step("SIGTERM " + victim.name + (victim.name.equals(watch.oldestName()) ? " (the oldest member)" : ""));
    victim.stopping = true;
    victim.routable = false;
    victim.signal("TERM");
    if (!victim.awaitExit(120_000)) {
      step(victim.name + " did not exit within 120 s: SIGKILL");
      victim.destroy();
      victim.awaitExit(10_000);
    }
    victim.exitedAtMs = ms();
    step(victim.name + " exited with " + victim.exitCode() + " after " + (ms() - t) / 1000.0 + " s");
  }

  // ---- chaos ----

  /** A node that is not the oldest member (so the coordinator and singletons stay put). */
  private NodeProc victim() {
    String oldest = watch.oldestName();
    List<NodeProc> live = live();
    return live.stream().filter(n -> !n.name.equals(oldest)).reduce((a, b) -> b).orElse(live.get(live.size() - 1));
  }

  private void kill9() throws Exception {
    NodeProc v = victim();
    v.stopping = true;
    v.routable = false;
    long t = ms();
    step("SIGKILL " + v.name);
    v.signal("KILL");
    v.awaitExit(10_000);
    v.exitedAtMs = ms();
    long downed = awaitRemoved(v, 120_000);
    measures.put("downed_after_s", downed < 0 ? null : (downed - t) / 1000.0);
    step(downed < 0 ? v.name + " still a member after 120 s" : v.name + " removed from the members after "
        + (downed - t) / 1000.0 + " s");
  }

  /** Waits until no surviving node lists {@code v} as a member; the time (ms) or -1. */
  private long awaitRemoved(NodeProc v, long maxMs) throws InterruptedException {
    long deadline = ms() + maxMs;
    while (ms() < deadline) {
      boolean gone = true;
      for (NodeProc n : live()) {
        if (n == v) {
          continue;
        }
        String members = n.get("/cluster/members");
        if (members == null || members.contains("@" + v.host + ":" + v.remotingPort + "\"")) {
          gone = false;
        }
      }
      if (gone) {
        return ms();
      }
      Thread.sleep(250);
    }
    return -1;
  }

  private void dbStop() throws Exception {
    int seconds = intOpt("chaos-seconds", 15);
    List<NodeProc> before = live();
    Map<String, Long> pids = new LinkedHashMap<>();
    before.forEach(n -> pids.put(n.name, n.pid()));
    step("stopping PostgreSQL: " + opt.get("db-stop-cmd"));
    shell(opt.get("db-stop-cmd"));
    long stopped = ms();
    long notReady = -1;
    while (ms() - stopped < seconds * 1000L) {
      if (notReady < 0 && before.stream().anyMatch(n -> n.status("/ready") != 200)) {
        notReady = ms();
      }
      Thread.sleep(200);
    }
    measures.put("first_node_not_ready_after_s", notReady < 0 ? null : (notReady - stopped) / 1000.0);
    step("starting PostgreSQL again: " + opt.get("db-start-cmd"));
    shell(opt.get("db-start-cmd"));
    long back = ms();
    step("PostgreSQL is back");
    long ready = -1;
    while (ms() - back < 60_000) {
      if (before.stream().allMatch(n -> n.status("/ready") == 200)) {
        ready = ms();
        break;
      }
      Thread.sleep(200);
    }
    measures.put("all_ready_after_db_back_s", ready < 0 ? null : (ready - back) / 1000.0);
    step(ready < 0 ? "nodes not all ready 60 s after the database came back"
        : "every node ready " + (ready - back) / 1000.0 + " s after the database came back");
    // The first ack of a move sent after the database came back, and when acks flow at the offered rate again.
    Thread.sleep(10_000);
    long firstAck = load.acks.stream().filter(a -> a.atMs() - a.waitedMs() >= back).mapToLong(Load.Ack::atMs).min()
        .orElse(-1);
    measures.put("first_ack_of_a_fresh_move_after_db_back_s", firstAck < 0 ? null : (firstAck - back) / 1000.0);
    long lastStale = load.acks.stream().filter(a -> a.atMs() >= back && a.atMs() - a.waitedMs() < back)
        .mapToLong(Load.Ack::atMs).max().orElse(-1);
    measures.put("last_ack_of_a_move_sent_during_the_outage_after_db_back_s",
        lastStale < 0 ? null : (lastStale - back) / 1000.0);
    List<String> restarted = new ArrayList<>();
    before.forEach(n -> {
      if (!n.alive() || n.pid() != pids.get(n.name)) {
        restarted.add(n.name);
      }
    });
    measures.put("nodes_that_died_or_restarted", restarted);
  }

  private void partition() throws Exception {
    int seconds = intOpt("chaos-seconds", 40);
    NodeProc v = victim();
    List<NodeProc> others = live().stream().filter(n -> n != v).toList();
    step("cutting " + v.name + " (" + v.host + ") off from " + others.stream().map(n -> n.name).toList());
    shell("ip rule show | grep -q '^100:.*lookup local' || { ip rule add pref 100 lookup local && ip rule del pref 0; }");
    for (NodeProc o : others) {
      shell("ip rule add pref 10 from " + v.host + " to " + o.host + " blackhole");
      shell("ip rule add pref 10 from " + o.host + " to " + v.host + " blackhole");
    }
    cutRules = others.stream().map(o -> o.host).toList();
    cutHost = v.host;
    long cut = ms();
    long removed = -1;
    long exited = -1;
    while (ms() - cut < seconds * 1000L) {
      if (removed < 0 && others.stream().allMatch(o -> {
        String m = o.get("/cluster/members");
        return m != null && !m.contains("@" + v.host + ":" + v.remotingPort + "\"");
      })) {
        removed = ms();
        step("the majority removed " + v.name + " after " + (removed - cut) / 1000.0 + " s");
      }
      if (exited < 0 && !v.alive()) {
        exited = ms();
        v.exitedAtMs = exited;
        step(v.name + " exited after " + (exited - cut) / 1000.0 + " s");
      }
      if (!v.routable) {
        v.stopping = true; // a load balancer drops it once /ready fails
      }
      Thread.sleep(250);
    }
    heal();
    step("healed the partition after " + seconds + " s");
    Thread.sleep(5000);
    if (exited < 0 && !v.alive()) {
      exited = v.exitedAtMs = ms();
    }
    v.stopping = true;
    measures.put("majority_removed_cut_off_node_after_s", removed < 0 ? null : (removed - cut) / 1000.0);
    measures.put("cut_off_node_exited_after_s", exited < 0 ? null : (exited - cut) / 1000.0);
    var left = load.lastLeft.get(v.name);
    measures.put("cut_off_node_players_all_elsewhere_after_s", left == null ? null : (left.get() - cut) / 1000.0);
    var on = load.playersOn.get(v.name);
    measures.put("players_still_on_cut_off_node_at_heal", on == null ? 0 : on.get());
  }

  private List<String> cutRules = List.of();
  private String cutHost;

  private void heal() {
    for (String o : cutRules) {
      try {
        shell("ip rule del pref 10 from " + cutHost + " to " + o + " blackhole");
        shell("ip rule del pref 10 from " + o + " to " + cutHost + " blackhole");
      } catch (Exception e) {
        say("heal: " + e);
      }
    }
    cutRules = List.of();
  }

  private void freeze() throws Exception {
    int seconds = intOpt("chaos-seconds", 40);
    NodeProc v = victim();
    long stale = load.staleAnswers.sum();
    step("SIGSTOP " + v.name);
    v.signal("STOP");
    long frozen = ms();
    long removed = -1;
    while (ms() - frozen < seconds * 1000L) {
      if (removed < 0 && live().stream().filter(n -> n != v).allMatch(o -> {
        String m = o.get("/cluster/members");
        return m != null && !m.contains("@" + v.host + ":" + v.remotingPort + "\"");
      })) {
        removed = ms();
        step("the others removed " + v.name + " after " + (removed - frozen) / 1000.0 + " s");
      }
      Thread.sleep(250);
    }
    step("SIGCONT " + v.name);
    v.signal("CONT");
    long resumed = ms();
    long exited = -1;
    while (ms() - resumed < 30_000) {
      if (!v.alive()) {
        exited = ms();
        v.exitedAtMs = exited;
        step(v.name + " exited " + (exited - resumed) / 1000.0 + " s after it resumed");
        break;
      }
      Thread.sleep(100);
    }
    v.stopping = true;
    measures.put("others_removed_frozen_node_after_s", removed < 0 ? null : (removed - frozen) / 1000.0);
    measures.put("zombie_exited_after_resume_s", exited < 0 ? null : (exited - resumed) / 1000.0);
    measures.put("moves_answered_from_stale_state", load.staleAnswers.sum() - stale);
  }

  private void shell(String command) throws IOException, InterruptedException {
    if (command == null || command.isBlank()) {
      throw new IllegalArgumentException("a command is missing (see the usage of " + scenario + ")");
    }
    Process p = new ProcessBuilder("bash", "-c", command).inheritIO().start();
    int rc = p.waitFor();
    if (rc != 0) {
      throw new IllegalStateException("'" + command + "' exited with " + rc);
    }
  }
}
