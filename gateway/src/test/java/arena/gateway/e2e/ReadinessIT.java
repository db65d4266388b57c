package arena.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import arena.ErrorCode;
import arena.gateway.e2e.Http.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * /ready against a real node on a PostgreSQL of the test's own, which it stops and starts: it
 * stays 200 through a flood of leaderboard reads (which are refused with 503 once the bounded
 * query queue is full, never queued without end), answers 503 (not 500) while the database is
 * down and again from the start of shutdown. In order: the last test stops the node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadinessIT {

  private PrivatePostgres pg;
  private NodeProcess node;
  private String token;

  @BeforeAll
  void start() throws Exception {
    pg = PrivatePostgres.create();
    node = new NodeProcess("readiness", Map.of(
        "ARENA_DB_URL", pg.jdbcUrl(), "ARENA_DB_USER", "arena", "ARENA_DB_PASSWORD", "arena",
        "ARENA_PER_ADDRESS_LIMITS", "off",
        "JAVA_TOOL_OPTIONS", "-Darena.gateway.queries.threads=2 -Darena.gateway.queries.queue=4"
            + " -Darena.gateway.http-limits.per-player.per-second=1000000"
            + " -Darena.gateway.http-limits.per-player.burst=1000000")).start();
    node.awaitReady(Duration.ofSeconds(90));
    // a leaderboard big enough that limit=1000 is real work
    pg.sql("INSERT INTO leaderboard SELECT 'connect4', 'p' || g, 'player ' || g, 1200 + (g % 700), g % 50, g % 30, g % 7,"
        + " now() FROM generate_series(1, 50000) g");
    token = Http.send("POST", node.baseUrl() + "/api/v1/players", "{\"name\":\"reader\"}", null, null)
        .body().get("token").asText();
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (node != null) {
        node.close();
      }
    } finally {
      if (pg != null) {
        pg.close();
      }
    }
  }

  private String leaderboard() {
    return node.baseUrl() + "/api/v1/leaderboard?game=connect4&limit=1000";
  }

  @Test
  @Order(1)
  void readyStaysUpThroughAFloodOfLeaderboardReadsWhichAreBoundedNotQueued() throws Exception {
    Map<Integer, AtomicInteger> answers = new ConcurrentHashMap<>();
    AtomicBoolean flooding = new AtomicBoolean(true);
    ExecutorService flood = Executors.newFixedThreadPool(16);
    List<String> odd = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      flood.submit(() -> {
        while (flooding.get()) {
          Reply reply = Http.get(leaderboard(), token, null);
          answers.computeIfAbsent(reply.status(), s -> new AtomicInteger()).incrementAndGet();
          if (reply.status() == 503 && !reply.code().equals("unavailable")) {
            synchronized (odd) {
              odd.add(reply.text());
            }
          }
        }
      });
    }
    List<Integer> ready = new ArrayList<>();
    long slowest = 0;
    long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
    while (System.nanoTime() < until) {
      long t0 = System.nanoTime();
      ready.add(NodeProcess.status(node.managementPort, "/ready"));
      slowest = Math.max(slowest, System.nanoTime() - t0);
      assertThat(NodeProcess.status(node.managementPort, "/alive")).isEqualTo(200);
      Thread.sleep(100);
    }
    flooding.set(false);
    flood.shutdown();
    assertThat(flood.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

    System.out.printf("flood: leaderboard answers %s; /ready polled %d times, slowest %d ms%n",
        answers, ready.size(), slowest / 1_000_000);
    assertThat(ready).as("/ready during the flood").isNotEmpty().containsOnly(200);
    assertThat(answers.keySet()).as("leaderboard answers during the flood").containsOnly(200, 503);
    assertThat(answers.get(200).get()).isPositive();
    assertThat(answers.get(503).get()).as("reads refused once the query queue was full").isPositive();
    assertThat(odd).as("503 answers that are not the spec's unavailable").isEmpty();
  }

  @Test
  @Order(2)
  void readyIs503WhileTheDatabaseIsDownAndRecovers() throws Exception {
    pg.stop();
    List<Integer> seen = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while ((seen.isEmpty() || seen.get(seen.size() - 1) != 503) && System.nanoTime() < deadline) {
      seen.add(NodeProcess.status(node.managementPort, "/ready"));
      Thread.sleep(100);
    }
    assertThat(seen).as("/ready after PostgreSQL stopped").endsWith(503).containsOnly(200, 503);
    Reply read = Http.get(leaderboard(), token, null);
    assertThat(read.status()).as("%s", read).isEqualTo(503);
    assertThat(read.code()).isEqualTo(ErrorCode.UNAVAILABLE.wireName());
    for (int i = 0; i < 10; i++) {
      assertThat(NodeProcess.status(node.managementPort, "/ready")).isEqualTo(503);
      assertThat(NodeProcess.status(node.managementPort, "/alive")).isEqualTo(200);
    }

    pg.start();
    node.awaitReady(Duration.ofSeconds(60));
    assertThat(Http.get(leaderboard(), token, null).status()).isEqualTo(200);
  }

  @Test
  @Order(3)
  void readyIs503FromTheStartOfShutdown() throws Exception {
    assertThat(NodeProcess.status(node.managementPort, "/ready")).isEqualTo(200);
    node.signalTerm();
    List<Integer> seen = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (node.isAlive() && System.nanoTime() < deadline) {
      int status = NodeProcess.status(node.managementPort, "/ready");
      if (seen.isEmpty() || seen.get(seen.size() - 1) != status) {
        seen.add(status);
      }
      Thread.sleep(20);
    }
    assertThat(node.awaitExit(Duration.ofSeconds(60))).isZero();
    // 200 until the signal arrives, then 503 until the management port closes (-1)
    assertThat(seen).as("/ready from SIGTERM to exit, repeats collapsed").contains(503);
    assertThat(seen.subList(seen.indexOf(503), seen.size())).containsOnly(503, -1);
    assertThat(seen).as("nothing but 200, 503 and closed (a fast node may answer 503 from the first poll)")
        .isSubsetOf(200, 503, -1);
  }
}
