package arena.gateway.e2e;

import static arena.gateway.e2e.WsClient.frame;
import static org.assertj.core.api.Assertions.assertThat;

import arena.ErrorCode;
import arena.gateway.e2e.Http.Reply;
import arena.gateway.e2e.Players.Player;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The HTTP side of issue 13 against real nodes: the abuse limits (429 rate_limited with
 * Retry-After, counted in /metrics), X-Forwarded-For from trusted and untrusted peers, the
 * per-address switch, /events paging, forged game ids, duplicate JSON keys and management's write
 * routes. {@code limited} runs on PostgreSQL with small limits and trusts 127.0.0.1 as its proxy,
 * so each test picks its own client addresses in X-Forwarded-For; {@code unlimited} runs on H2 with
 * {@code ARENA_PER_ADDRESS_LIMITS=off}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpLimitsIT {

  private static final String SMALL_LIMITS = String.join(" ",
      "-Darena.gateway.http-limits.per-player.per-second=0.5",
      "-Darena.gateway.http-limits.per-player.burst=15",
      "-Darena.gateway.http-limits.per-address.per-second=0.5",
      "-Darena.gateway.http-limits.per-address.burst=20",
      "-Darena.gateway.http-limits.registrations-per-address.per-second=0.05",
      "-Darena.gateway.http-limits.registrations-per-address.burst=4");

  private NodeProcess limited;
  private NodeProcess unlimited;
  private Path h2;

  @BeforeAll
  void start() throws Exception {
    Map<String, String> env = new HashMap<>(NodeProcess.postgres());
    env.put("JAVA_TOOL_OPTIONS", SMALL_LIMITS + " -Darena.gateway.http-limits.trusted-proxies.0=127.0.0.1");
    limited = new NodeProcess("http-limits", env).start();
    h2 = Files.createTempDirectory("arena-http-limits");
    unlimited = new NodeProcess("http-limits-off", Map.of("JAVA_TOOL_OPTIONS", SMALL_LIMITS,
        "ARENA_PER_ADDRESS_LIMITS", "off", "ARENA_DATA_DIR", h2.toString())).start();
    limited.awaitReady(Duration.ofSeconds(90));
    unlimited.awaitReady(Duration.ofSeconds(90));
  }

  @AfterAll
  void stop() throws Exception {
    if (limited != null) {
      limited.close();
    }
    if (unlimited != null) {
      unlimited.close();
    }
  }

  private static String uniqueAddress() {
    int n = (int) (Math.random() * 250) + 1;
    int m = (int) (Math.random() * 250) + 1;
    return "198.18." + n + "." + m;
  }

  private static String register(NodeProcess node, String forwardedFor) {
    Reply reply = Http.send("POST", node.baseUrl() + "/api/v1/players", "{\"name\":\"limits\"}", null, forwardedFor);
    assertThat(reply.status()).as("registration: %s", reply).isEqualTo(201);
    return reply.body().get("token").asText();
  }

  private static void assertRateLimited(Reply reply) {
    assertThat(reply.status()).as("%s", reply).isEqualTo(429);
    assertThat(reply.code()).isEqualTo(ErrorCode.RATE_LIMITED.wireName());
    assertThat(reply.body().path("message").asText()).isNotBlank();
    assertThat(reply.retryAfter()).as("Retry-After of %s", reply).isPresent();
    assertThat(Long.parseLong(reply.retryAfter().get())).isBetween(1L, 3600L);
  }

  private static double metric(NodeProcess node, String limit) {
    String text = Http.get("http://127.0.0.1:" + node.managementPort + "/metrics", null, null).text();
    Matcher m = Pattern.compile("(?m)^arena_http_rate_limited_total\\{[^}]*limit=\"" + limit + "\"[^}]*\\} (\\S+)$")
        .matcher(text);
    assertThat(m.find()).as("arena_http_rate_limited_total{limit=%s} in /metrics", limit).isTrue();
    return Double.parseDouble(m.group(1));
  }

  /** Sends requests until one is refused (bounded); returns the answers. */
  private static List<Reply> untilRefused(int most, java.util.function.IntFunction<Reply> request) {
    List<Reply> replies = new ArrayList<>();
    for (int i = 0; i < most; i++) {
      Reply reply = request.apply(i);
      replies.add(reply);
      if (reply.status() == 429) {
        break;
      }
    }
    return replies;
  }

  @Test
  void onePlayerOverItsRequestRateIsRateLimitedFromAnyAddress() {
    String token = register(limited, uniqueAddress());
    double before = metric(limited, "player");
    // each request from another address: only the per-player bucket can refuse them
    List<Reply> replies = untilRefused(40, i -> Http.get(limited.baseUrl() + "/api/v1/games?status=open", token, uniqueAddress()));
    assertThat(replies.get(0).status()).isEqualTo(200);
    assertRateLimited(replies.get(replies.size() - 1));
    assertThat(replies.size()).as("requests until the first 429").isBetween(16, 30);
    assertThat(metric(limited, "player")).isGreaterThan(before);

    String other = register(limited, uniqueAddress());
    assertThat(Http.get(limited.baseUrl() + "/api/v1/games?status=open", other, uniqueAddress()).status()).isEqualTo(200);
  }

  @Test
  void oneAddressOverItsRequestRateIsRateLimitedAndOthersAreNot() {
    String address = uniqueAddress();
    double before = metric(limited, "address");
    List<Reply> replies = untilRefused(60, i -> Http.get(limited.baseUrl() + "/api/v1/games/catalog", null, address));
    assertRateLimited(replies.get(replies.size() - 1));
    assertThat(replies.size()).isBetween(21, 40);
    assertThat(metric(limited, "address")).isGreaterThan(before);
    // X-Forwarded-For from a trusted proxy (127.0.0.1) names the client: another client is served
    assertThat(Http.get(limited.baseUrl() + "/api/v1/games/catalog", null, uniqueAddress()).status()).isEqualTo(200);
    // the proxy appended the real client after what the client wrote itself
    assertThat(Http.get(limited.baseUrl() + "/api/v1/games/catalog", null, address + ", " + uniqueAddress()).status())
        .isEqualTo(200);
    assertThat(Http.get(limited.baseUrl() + "/api/v1/games/catalog", null, uniqueAddress() + ", " + address).status())
        .isEqualTo(429);
  }

  @Test
  void anUntrustedPeerCannotEscapeItsLimitWithXForwardedFor() throws Exception {
    // 127.0.0.2 is not a trusted proxy: whatever it writes in X-Forwarded-For, it is 127.0.0.2
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 60 && !statuses.contains(429); i++) {
      statuses.add(Http.statusFrom("127.0.0.2", limited.httpPort, "/api/v1/games/catalog", uniqueAddress()));
    }
    assertThat(statuses).contains(429);
    assertThat(statuses.size()).isBetween(21, 40);
    assertThat(statuses.subList(0, 20)).containsOnly(200);
  }

  @Test
  void registrationsPerAddressAreLimited() {
    String address = uniqueAddress();
    double before = metric(limited, "registration");
    List<Reply> replies = untilRefused(10,
        i -> Http.send("POST", limited.baseUrl() + "/api/v1/players", "{\"name\":\"n" + i + "\"}", null, address));
    assertThat(replies).hasSize(5);
    assertThat(replies.subList(0, 4)).extracting(Reply::status).containsOnly(201);
    assertRateLimited(replies.get(4));
    assertThat(metric(limited, "registration")).isGreaterThan(before);
    assertThat(Http.send("POST", limited.baseUrl() + "/api/v1/players", "{\"name\":\"x\"}", null, uniqueAddress()).status())
        .isEqualTo(201);
  }

  @Test
  void perAddressLimitsOffLeavesRegistrationsAndRequestsFreeButNotPlayers() {
    for (int i = 0; i < 12; i++) {
      register(unlimited, null);
    }
    for (int i = 0; i < 45; i++) {
      assertThat(Http.get(unlimited.baseUrl() + "/api/v1/games/catalog", null, null).status()).as("request %d", i)
          .isEqualTo(200);
    }
    String token = register(unlimited, null);
    List<Reply> replies = untilRefused(40, i -> Http.get(unlimited.baseUrl() + "/api/v1/games?status=open", token, null));
    assertRateLimited(replies.get(replies.size() - 1));
  }

  @Test
  void gameIdsArenaCannotHaveIssuedAreNotFound() {
    String token = register(limited, uniqueAddress());
    for (String forged : List.of("not-a-game", "../../etc", UUID.randomUUID().toString().toUpperCase(),
        "00000000-0000-0000-0000-000000000000", "x".repeat(128))) {
      for (String path : List.of("/api/v1/games/" + forged, "/api/v1/games/" + forged + "/events")) {
        Reply reply = Http.get(limited.baseUrl() + path, token, uniqueAddress());
        assertThat(reply.status()).as("%s: %s", path, reply).isEqualTo(404);
        assertThat(reply.code()).isEqualTo(ErrorCode.NOT_FOUND.wireName());
      }
    }
    String unknown = UUID.randomUUID().toString();
    assertThat(Http.get(limited.baseUrl() + "/api/v1/games/" + unknown + "/events", token, uniqueAddress()).code())
        .isEqualTo("not_found");
  }

  @Test
  void eventsPageByAfterSeqAndLimitAndRefuseOutOfRange() throws Exception {
    try (Player alice = Players.join(limited, "alice"); Player bob = Players.join(limited, "bob")) {
      String gameId = Players.startGame(alice, bob, "tictactoe", "public", 60);
      alice.move(gameId, Api.JSON.readTree("{\"cell\":0}"));
      bob.move(gameId, Api.JSON.readTree("{\"cell\":4}"));
      String events = limited.baseUrl() + "/api/v1/games/" + gameId + "/events";
      String token = alice.token();

      JsonNode all = Http.get(events, token, uniqueAddress()).body();
      assertThat(all).hasSize(5);
      for (int i = 0; i < all.size(); i++) {
        JsonNode entry = all.get(i);
        assertThat(entry.get("seq").asLong()).isEqualTo(i + 1);
        List<String> fields = new ArrayList<>();
        entry.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("seq", "event", "timestamp");
        assertThat(entry.get("timestamp").asText()).endsWith("Z");
      }
      assertThat(Http.get(events + "?afterSeq=0&limit=1000", token, uniqueAddress()).body()).isEqualTo(all);
      JsonNode page = Http.get(events + "?afterSeq=2&limit=2", token, uniqueAddress()).body();
      assertThat(page).hasSize(2);
      assertThat(page.get(0)).isEqualTo(all.get(2));
      assertThat(page.get(1)).isEqualTo(all.get(3));
      assertThat(Http.get(events + "?afterSeq=4", token, uniqueAddress()).body()).hasSize(1);
      Reply pastTheEnd = Http.get(events + "?afterSeq=5", token, uniqueAddress());
      assertThat(pastTheEnd.status()).isEqualTo(200);
      assertThat(pastTheEnd.body()).isEmpty();
      for (String bad : List.of("afterSeq=-1", "limit=0", "limit=1001", "limit=ten", "afterSeq=1.5", "afterSeq=")) {
        Reply reply = Http.get(events + "?" + bad, token, uniqueAddress());
        assertThat(reply.status()).as("%s: %s", bad, reply).isEqualTo(400);
        assertThat(reply.code()).isEqualTo(ErrorCode.BAD_REQUEST.wireName());
      }
    }
  }

  @Test
  void duplicateJsonKeysAreRefusedOverHttpAndWebSocket() throws Exception {
    Reply reply = Http.send("POST", limited.baseUrl() + "/api/v1/players", "{\"name\":\"alice\",\"name\":\"bob\"}",
        null, uniqueAddress());
    assertThat(reply.status()).as("%s", reply).isEqualTo(400);
    assertThat(reply.code()).isEqualTo(ErrorCode.BAD_REQUEST.wireName());
    String token = register(limited, uniqueAddress());
    Reply game = Http.send("POST", limited.baseUrl() + "/api/v1/games",
        "{\"game\":\"connect4\",\"visibility\":\"public\",\"visibility\":\"private\"}", token, uniqueAddress());
    assertThat(game.status()).as("%s", game).isEqualTo(400);

    try (WsClient ws = WsClient.connect(limited.baseUrl(), token)) {
      ws.sendText("{\"type\":\"create\",\"id\":\"d1\",\"game\":\"connect4\",\"game\":\"checkers\"}");
      JsonNode error = ws.awaitType("error");
      assertThat(error.path("code").asText()).as("%s", error).isEqualTo("bad_request");
      assertThat(ws.pending()).noneMatch(f -> f.path("type").asText().equals("created"));
    }
  }

  @Test
  void managementWriteRoutesAreOff() {
    String base = "http://127.0.0.1:" + limited.managementPort;
    JsonNode members = Http.get(base + "/cluster/members", null, null).body();
    String self = members.path("selfNode").asText();
    assertThat(self).isNotBlank();
    for (String method : List.of("PUT", "DELETE")) {
      for (String path : List.of("/cluster/members", "/cluster/members/"
          + java.net.URLEncoder.encode(self, java.nio.charset.StandardCharsets.UTF_8))) {
        Reply reply = Http.send(method, base + path, method.equals("PUT") ? "{\"operation\":\"leave\"}" : null, null, null);
        assertThat(reply.status()).as("%s %s: %s", method, path, reply).isIn(404, 405);
      }
    }
    Reply join = Http.send("POST", base + "/cluster/members", "{\"address\":\"pekko://arena@127.0.0.1:1\"}", null, null);
    assertThat(join.status()).as("POST /cluster/members: %s", join).isIn(404, 405);
    assertThat(Http.get(base + "/cluster/members", null, null).body().path("members").get(0).path("status").asText())
        .isEqualTo("Up");
    assertThat(NodeProcess.status(limited.managementPort, "/ready")).isEqualTo(200);
  }
}
