package arena.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import arena.gateway.HttpApi;
import arena.gateway.Sessions;
import arena.gateway.auth.Player;
import arena.gateway.auth.Tokens;
import arena.gateway.e2e.WsClient;
import arena.session.GameIds;
import arena.session.GameSession;
import arena.session.GameView;
import arena.session.Status;
import arena.session.Visibility;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a player's socket does when a game's shard does not answer, as in a hand-off: a
 * subscription whose Subscribe is lost on the way is sent again, and the client gets one answer;
 * one the game never answers is answered {@code unavailable}; a create nobody answers is made
 * again under another game id. Real sockets, real Cluster Sharding, stand-in sessions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HandOffSocketTest {

  private static final Config CONFIG = ConfigFactory.parseString("""
      pekko.actor.provider = cluster
      pekko.remote.artery.canonical { hostname = "127.0.0.1", port = 0 }
      pekko.loglevel = WARNING
      pekko.cluster.sharding.remember-entities = off
      """).withFallback(ConfigFactory.load());

  private final ActorTestKit kit = ActorTestKit.create("hand-off-socket", CONFIG);
  /** Subscribes each stand-in received, by game. */
  private final Map<String, AtomicInteger> subscribes = new ConcurrentHashMap<>();
  /** Current answers each stand-in sent, by game. */
  private final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
  private final Set<String> dropFirst = ConcurrentHashMap.newKeySet();
  private final Set<String> answerBoth = ConcurrentHashMap.newKeySet();
  private final Set<String> silent = ConcurrentHashMap.newKeySet();
  /** Whether the next Create is left unanswered (the game it was for, once it came). */
  private final java.util.concurrent.atomic.AtomicBoolean silenceNextCreate = new java.util.concurrent.atomic.AtomicBoolean();
  private final Set<String> unansweredCreates = ConcurrentHashMap.newKeySet();
  private final Set<String> leftGames = ConcurrentHashMap.newKeySet();
  private ServerBinding binding;
  private String baseUrl;
  private String token;

  @BeforeAll
  void start() throws Exception {
    Cluster.get(kit.system()).manager().tell(Join.create(Cluster.get(kit.system()).selfMember().address()));
    ClusterSharding.get(kit.system()).init(Entity.of(GameSession.ENTITY_KEY, entity -> Behaviors.<GameSession.Command>setup(
        ctx -> Behaviors.receiveMessage(command -> {
      String id = entity.getEntityId();
      if (command instanceof GameSession.Create create) {
        if (silenceNextCreate.compareAndSet(true, false)) {
          unansweredCreates.add(id); // this game's shard answers nothing, resends included
        } else if (!unansweredCreates.contains(id)) {
          create.replyTo().tell(new GameSession.Accepted(1, 0, view(id)));
        }
      } else if (command instanceof GameSession.Leave) {
        leftGames.add(id);
      } else if (command instanceof GameSession.Subscribe subscribe) {
        int n = subscribes.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        boolean answer = !silent.contains(id) && !(n == 1 && dropFirst.contains(id))
            && (n == 1 || !answerBoth.contains(id) || n == 2);
        if (answerBoth.contains(id) && n == 1) {
          // Answered late, after the resend: both answers reach the connection.
          ctx.scheduleOnce(Duration.ofMillis(700), subscribe.subscriber(),
              new GameSession.Current(id, subscribe.correlationId(), view(id), ctx.getSelf()));
          answers.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        } else if (answer) {
          subscribe.subscriber().tell(new GameSession.Current(id, subscribe.correlationId(), view(id), ctx.getSelf()));
          answers.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        }
      }
      return Behaviors.same();
    }))));
    Sessions sessions = new Sessions(kit.system(), Duration.ofSeconds(2), Duration.ofMillis(300), () -> false);
    Tokens tokens = new Tokens("hand-off-socket-secret-of-32-bytes!!".getBytes(StandardCharsets.UTF_8),
        Duration.ofHours(1), Clock.systemUTC());
    PlayerSockets sockets = new PlayerSockets(kit.system(), sessions, kit.system().ignoreRef(),
        WsSettings.fromConfig(CONFIG), new ConnectionRegistry(), nanos -> {});
    HttpApi api = new HttpApi(kit.system(), tokens, sessions, kit.system().ignoreRef(), null, sockets,
        Duration.ofSeconds(2));
    binding = Http.get(kit.system()).newServerAt("127.0.0.1", 0).bind(api.route())
        .toCompletableFuture().get(20, TimeUnit.SECONDS);
    baseUrl = "http://127.0.0.1:" + binding.localAddress().getPort();
    token = tokens.issue(new Player("p1", "alice"));
  }

  @AfterAll
  void stop() {
    if (binding != null) {
      binding.unbind();
    }
    kit.shutdownTestKit();
  }

  @Test
  void aCreateNobodyAnswersIsMadeAgainUnderAnotherIdAndTheFirstIsLeft() throws InterruptedException {
    silenceNextCreate.set(true);
    try (WsClient client = WsClient.connect(baseUrl, token)) {
      JsonNode answer = client.answer(client.send(WsClient.frame("create").put("game", "connect4")));
      assertThat(answer.path("type").asText()).as(answer.toString()).isEqualTo("created");
      assertThat(unansweredCreates).hasSize(1);
      String abandoned = unansweredCreates.iterator().next();
      assertThat(answer.path("gameId").asText()).isNotEqualTo(abandoned);
      long deadline = System.nanoTime() + WsClient.WAIT.toNanos();
      while (!leftGames.contains(abandoned)) {
        assertThat(System.nanoTime()).as("the abandoned game is left").isLessThan(deadline);
        TimeUnit.MILLISECONDS.sleep(10); // polling a condition, bounded above
      }
    }
  }

  private static GameView view(String gameId) {
    return new GameView(gameId, "connect4", Status.ACTIVE, 3, Visibility.PRIVATE, 60,
        java.util.Arrays.asList(new GameView.Seat(0, "p0", "a"), new GameView.Seat(1, "p1", "b")),
        0, null, null, null, null, null);
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode subscribe(String gameId) {
    return WsClient.frame("subscribe").put("gameId", gameId);
  }

  @Test
  void aSubscribeLostOnTheWayIsSentAgainAndAnswered() {
    String game = GameIds.newId();
    dropFirst.add(game);
    try (WsClient client = WsClient.connect(baseUrl, token)) {
      long started = System.nanoTime();
      JsonNode answer = client.answer(client.send(subscribe(game)));
      assertThat(answer.path("type").asText()).isEqualTo("state");
      assertThat(answer.path("state").path("seq").asLong()).isEqualTo(3);
      assertThat(subscribes.get(game).get()).as("the lost Subscribe and its resend").isEqualTo(2);
      assertThat((System.nanoTime() - started) / 1_000_000).as("answered after an attempt (300 ms), not the 2 s timeout")
          .isLessThan(1_900);
    }
  }

  @Test
  void aResentSubscribeAnsweredTwiceIsAnsweredToTheClientOnce() throws InterruptedException {
    String game = GameIds.newId();
    answerBoth.add(game);
    try (WsClient client = WsClient.connect(baseUrl, token)) {
      String id = client.send(subscribe(game));
      assertThat(client.answer(id).path("type").asText()).isEqualTo("state");
      long deadline = System.nanoTime() + WsClient.WAIT.toNanos();
      while (answers.getOrDefault(game, new AtomicInteger()).get() < 2) {
        assertThat(System.nanoTime()).as("the stand-in answered both Subscribes").isLessThan(deadline);
        TimeUnit.MILLISECONDS.sleep(10); // polling a condition, bounded above
      }
      // Both Currents are in the connection's mailbox before this ping: its pong comes after them.
      String ping = client.send(WsClient.frame("ping"));
      client.answer(ping);
      assertThat(client.pending()).as("no second answer to " + id)
          .noneMatch(f -> id.equals(f.path("re").asText(null)) || "state".equals(f.path("type").asText()));
    }
  }

  @Test
  void aSubscribeNeverAnsweredIsAnsweredUnavailableAfterTheAskTimeout() {
    String game = GameIds.newId();
    silent.add(game);
    try (WsClient client = WsClient.connect(baseUrl, token)) {
      JsonNode answer = client.answer(client.send(subscribe(game)));
      assertThat(answer.path("type").asText()).isEqualTo("error");
      assertThat(answer.path("code").asText()).isEqualTo("unavailable");
      assertThat(subscribes.get(game).get()).as("sent again while unanswered").isGreaterThanOrEqualTo(2);
    }
  }
}
