package arena.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import arena.gateway.e2e.Api.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Single-use WebSocket tickets and token refresh (ARENA-SPEC §3, §4) on a real cluster of two
 * node processes on PostgreSQL: a ticket from one node opens one socket on any node, once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WsTicketIT {

  /** Short, so that the expiry test waits seconds, yet long enough to use a ticket on a busy machine. */
  private static final Duration TICKET_TTL = Duration.ofSeconds(6);

  private Cluster cluster;
  private NodeProcess a;
  private NodeProcess b;
  private Api apiA;
  private Api apiB;

  @BeforeAll
  void start() throws Exception {
    cluster = new Cluster("tickets", 2,
        Map.of("JAVA_TOOL_OPTIONS", "-Darena.auth.ticket.ttl=" + TICKET_TTL.toSeconds() + "s")).startAll();
    a = cluster.nodes.get(0);
    b = cluster.nodes.get(1);
    apiA = new Api(a.baseUrl());
    apiB = new Api(b.baseUrl());
    Cluster.await(() -> Cluster.upMembers(a).size() == 2 && Cluster.upMembers(b).size() == 2, Cluster.FORM,
        "both nodes seeing two Up members");
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String ticketFor(Api api, String token) throws Exception {
    Answer answer = api.post("/api/v1/ws-ticket", "", token);
    assertThat(answer.status()).as("ws-ticket answered %s", answer).isEqualTo(200);
    return answer.body().path("ticket").asText();
  }

  private static String query(String name, String value) {
    return "/ws?" + name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Test
  void aTicketFromOneNodeOpensOneSocketOnAnotherAndNoSecondAnywhere() throws Exception {
    JsonNode alice = apiA.newPlayer("alice");
    Answer minted = apiA.post("/api/v1/ws-ticket", "", alice.get("token").asText());
    assertThat(minted.status()).isEqualTo(200);
    assertThat(minted.body().path("expiresInMs").asLong()).isEqualTo(TICKET_TTL.toMillis());
    String ticket = minted.body().path("ticket").asText();
    assertThat(ticket).isNotBlank().doesNotContain(alice.get("token").asText());

    try (WsClient socket = WsClient.connectWithTicket(b.baseUrl(), ticket)) {
      JsonNode created = socket.request(WsClient.frame("create").put("game", "tictactoe"));
      assertThat(created.path("type").asText()).as("answer %s", created).isEqualTo("created");
      JsonNode state = socket.awaitType("state");
      assertThat(state.path("state").path("players").get(0).path("playerId").asText())
          .as("the socket is the ticket's player").isEqualTo(alice.get("playerId").asText());
    }
    assertThat(WsClient.upgradeStatus(a.baseUrl(), query("ticket", ticket))).as("second use, minting node").isEqualTo(401);
    assertThat(WsClient.upgradeStatus(b.baseUrl(), query("ticket", ticket))).as("second use, same node").isEqualTo(401);
  }

  @Test
  void concurrentUsesOfOneTicketOnBothNodesOpenAtMostOneSocket() throws Exception {
    String token = apiA.newPlayer("mallory").get("token").asText();
    for (int round = 0; round < 3; round++) {
      String ticket = ticketFor(apiB, token);
      ExecutorService pool = Executors.newFixedThreadPool(6);
      try {
        List<CompletableFuture<Integer>> uses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          String base = (i % 2 == 0 ? a : b).baseUrl();
          uses.add(CompletableFuture.supplyAsync(() -> WsClient.upgradeStatus(base, query("ticket", ticket)), pool));
        }
        List<Integer> statuses = uses.stream().map(CompletableFuture::join).toList();
        assertThat(statuses).as("round %d", round).allMatch(s -> s == 101 || s == 401);
        assertThat(statuses.stream().filter(s -> s == 101).count()).as("sockets opened, round %d: %s", round, statuses)
            .isLessThanOrEqualTo(1);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void anExpiredTicketIsRefused() throws Exception {
    String token = apiA.newPlayer("late").get("token").asText();
    Answer minted = apiA.post("/api/v1/ws-ticket", "", token);
    String ticket = minted.body().path("ticket").asText();
    // The one behaviour here is the passing of time: any attempt before the expiry would use
    // the ticket up, so this waits for its lifetime (plus a margin for the two processes' clocks).
    Thread.sleep(minted.body().path("expiresInMs").asLong() + 500);
    assertThat(WsClient.upgradeStatus(b.baseUrl(), query("ticket", ticket))).isEqualTo(401);
    assertThat(WsClient.upgradeStatus(a.baseUrl(), query("ticket", ticket))).isEqualTo(401);
  }

  @Test
  void forgedTicketsAndTokensPassedAsTicketsAreRefused() throws Exception {
    JsonNode eve = apiA.newPlayer("eve");
    String token = eve.get("token").asText();
    String ticket = ticketFor(apiA, token);
    String[] parts = ticket.split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
        payload.replace(eve.get("playerId").asText(), "00000000-0000-4000-8000-000000000000")
            .getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    for (String bad : List.of(forged, token, "not-a-ticket", "")) {
      assertThat(WsClient.upgradeStatus(b.baseUrl(), query("ticket", bad))).as(bad).isEqualTo(401);
    }
    assertThat(apiA.get("/api/v1/games?status=open", ticket).status()).as("a ticket is no bearer token").isEqualTo(401);
    assertThat(apiB.get(query("ticket", ticket), null).status()).as("a plain GET, no upgrade").isEqualTo(400);
    assertThat(WsClient.upgradeStatus(b.baseUrl(), query("ticket", ticket))).as("the real one still works once")
        .isEqualTo(101);
  }

  @Test
  void aTicketNeedsAValidToken() throws Exception {
    assertThat(apiA.post("/api/v1/ws-ticket", "", null).status()).isEqualTo(401);
    assertThat(apiA.post("/api/v1/ws-ticket", "", "forged.token.here").status()).isEqualTo(401);
  }

  @Test
  void theTokenInTheUrlStaysAccepted() throws Exception {
    String token = apiB.newPlayer("legacy").get("token").asText();
    assertThat(WsClient.upgradeStatus(a.baseUrl(), query("token", token))).isEqualTo(101);
    assertThat(WsClient.upgradeStatus(a.baseUrl(), "/ws")).isEqualTo(401);
  }

  @Test
  void refreshGivesAFreshTokenForTheSamePlayerOnAnyNode() throws Exception {
    JsonNode bob = apiA.newPlayer("bob");
    Answer refreshed = apiB.post("/api/v1/players/me/token", "", bob.get("token").asText());
    assertThat(refreshed.status()).isEqualTo(200);
    assertThat(refreshed.body().path("playerId").asText()).isEqualTo(bob.get("playerId").asText());
    assertThat(refreshed.body().path("name").asText()).isEqualTo("bob");
    String fresh = refreshed.body().path("token").asText();
    assertThat(fresh).isNotEqualTo(bob.get("token").asText());
    assertThat(apiA.get("/api/v1/games?status=open", fresh).status()).isEqualTo(200);
    Answer again = apiA.post("/api/v1/players/me/token", "", fresh);
    assertThat(again.body().path("playerId").asText()).isEqualTo(bob.get("playerId").asText());

    assertThat(apiA.post("/api/v1/players/me/token", "", null).status()).isEqualTo(401);
    assertThat(apiA.post("/api/v1/players/me/token", "", ticketFor(apiA, fresh)).status())
        .as("a ticket cannot be turned into a token").isEqualTo(401);
  }
}
