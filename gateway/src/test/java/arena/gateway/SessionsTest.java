package arena.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import arena.ErrorCode;
import arena.session.GameSession;
import arena.session.GameSession.Reply;
import arena.session.GameView;
import arena.session.Status;
import arena.session.Visibility;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * How the gateway asks game sessions when a command is lost on the way (as in a shard hand-off),
 * against stand-in sessions registered with real Cluster Sharding on a one-node cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionsTest {

  private ActorTestKit kit;
  /** Per game: how many commands its stand-in has received. */
  private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
  /** Games whose stand-in drops the first command it receives. */
  private final Map<String, Boolean> dropFirst = new ConcurrentHashMap<>();
  private final AtomicBoolean fenced = new AtomicBoolean();
  private Sessions sessions;

  @BeforeAll
  void start() {
    kit = ActorTestKit.create("sessions", ConfigFactory.parseString("""
        pekko.actor.provider = cluster
        pekko.remote.artery.canonical { hostname = "127.0.0.1", port = 0 }
        pekko.loglevel = WARNING
        pekko.cluster.sharding.remember-entities = off
        """).withFallback(ConfigFactory.load()));
    Cluster.get(kit.system()).manager().tell(Join.create(Cluster.get(kit.system()).selfMember().address()));
    ClusterSharding.get(kit.system()).init(Entity.of(GameSession.ENTITY_KEY, ctx -> Behaviors.receiveMessage(command -> {
      String id = ctx.getEntityId();
      int n = received.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
      if (n == 1 && dropFirst.containsKey(id)) {
        return Behaviors.same(); // lost, as a command queued at a shard that is handed off
      }
      if (command instanceof GameSession.MakeMove move) {
        move.replyTo().tell(new GameSession.Accepted(7, 0, null));
      } else if (command instanceof GameSession.Join join) {
        join.replyTo().tell(new GameSession.Rejected(ErrorCode.ALREADY_SEATED, "seated"));
      } else if (command instanceof GameSession.GetState get) {
        get.replyTo().tell(new GameSession.Accepted(3, null, view(id)));
      } else if (command instanceof GameSession.Leave leave) {
        leave.replyTo().tell(new GameSession.Accepted(4, 1, null));
      }
      return Behaviors.same();
    })));
    sessions = new Sessions(kit.system(), Duration.ofSeconds(3), Duration.ofMillis(300), fenced::get);
  }

  @AfterAll
  void stop() {
    kit.shutdownTestKit();
  }

  private static GameView view(String gameId) {
    return new GameView(gameId, "connect4", Status.ACTIVE, 3, Visibility.PRIVATE, 60,
        java.util.Arrays.asList(new GameView.Seat(0, "p0", "a"), new GameView.Seat(1, "p1", "b")),
        0, null, null, null, null, null);
  }

  private Reply ask(String gameId, java.util.function.Function<org.apache.pekko.actor.typed.ActorRef<Reply>,
      GameSession.Command> command) throws Exception {
    return sessions.ask(gameId, command).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aMoveLostOnTheWayIsSentAgainAndAnsweredWithinTheAttemptTimeoutNotTheWholeTimeout() throws Exception {
    dropFirst.put("lost-move", true);
    long started = System.nanoTime();
    Reply reply = ask("lost-move", r -> new GameSession.MakeMove("p0", "m1", Map.of("column", 1), r));
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertThat(reply).isInstanceOf(GameSession.Accepted.class);
    assertThat(received.get("lost-move").get()).isEqualTo(2);
    assertThat(tookMs).as("answered after one attempt timeout (300 ms), not the whole 3 s").isLessThan(2_000);
  }

  @Test
  void aResentJoinThatFindsItsSenderSeatedIsAnsweredWithTheSeatTheFirstAttemptTook() throws Exception {
    dropFirst.put("lost-join", true);
    Reply reply = ask("lost-join", r -> new GameSession.Join("p1", "b", r));
    assertThat(reply).isInstanceOf(GameSession.Accepted.class);
    assertThat(((GameSession.Accepted) reply).seat()).isEqualTo(1);
  }

  @Test
  void aJoinRefusedAtTheFirstAttemptStaysRefused() throws Exception {
    Reply reply = ask("seated-join", r -> new GameSession.Join("p1", "b", r));
    assertThat(reply).isEqualTo(new GameSession.Rejected(ErrorCode.ALREADY_SEATED, "seated"));
  }

  @Test
  void aLeaveIsSentOnceSinceLeavingAWaitingGameTwiceIsNotTheSame() throws Exception {
    dropFirst.put("lost-leave", true);
    Reply reply = ask("lost-leave", r -> new GameSession.Leave("p0", "l1", r));
    assertThat(reply).isInstanceOf(GameSession.Rejected.class);
    assertThat(((GameSession.Rejected) reply).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(received.get("lost-leave").get()).isEqualTo(1);
  }

  @Test
  void aFencedNodeAsksNothingAndAnswersUnavailable() throws Exception {
    fenced.set(true);
    try {
      Reply reply = ask("fenced", r -> new GameSession.MakeMove("p0", "m1", Map.of("column", 1), r));
      assertThat(reply).isInstanceOf(GameSession.Rejected.class);
      assertThat(((GameSession.Rejected) reply).code()).isEqualTo(ErrorCode.UNAVAILABLE);
      assertThat(received.get("fenced")).isNull();
    } finally {
      fenced.set(false);
    }
  }

  @Test
  void whileNoShardMayMoveALateAnswerIsAwaitedNotAskedForAgain() throws Exception {
    // A settled cluster: a late answer means a busy node, which a resend would only load more.
    Sessions settled = new Sessions(kit.system(), Duration.ofSeconds(1), Duration.ofMillis(200), () -> false,
        () -> false, PlayerGamesLimit.NONE, arena.session.GameIds::newId);
    dropFirst.put("settled-move", true);
    Reply reply = settled.ask("settled-move", r -> new GameSession.MakeMove("p0", "m1", Map.of("column", 1), r))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(reply).isInstanceOf(GameSession.Rejected.class);
    assertThat(((GameSession.Rejected) reply).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(received.get("settled-move").get()).as("sent once").isEqualTo(1);
  }
}
