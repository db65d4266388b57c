package arena.session;

import static org.assertj.core.api.Assertions.assertThat;

import arena.ErrorCode;
import arena.session.GameSession.Command;
import arena.session.GameSession.Reply;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A game keeps at most {@code arena.session.max-subscribers} subscribers (2 here); beyond it a
 * spectator is refused with {@code rate_limited}, while a seated player always gets in.
 */
@ExtendWith({LogCapturingExtension.class, TestKitJUnit5Extension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubscriberLimitTest {

  @JUnit5TestKit
  private final ActorTestKit testKit = new JUnit5TestKitBuilder().withCustomConfig(
      EventSourcedBehaviorTestKit.config()
          .withFallback(ConfigFactory.parseString("arena.session.max-subscribers = 2"))
          .withFallback(ConfigFactory.parseResources("serialization.conf"))
          .withFallback(ConfigFactory.parseString("pekko.actor.provider = local"))
          .withFallback(ConfigFactory.load())).build();

  private final SessionSettings settings =
      new SessionSettings(Duration.ofMinutes(10), Duration.ofSeconds(30), 100, 2, Duration.ofSeconds(3));
  private final AtomicInteger refusals = new AtomicInteger();
  private EventSourcedBehaviorTestKit<Command, GameEvent, GameState> kit;

  @BeforeEach
  void setUp() {
    TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
    TestProbe<arena.lobby.Lobby.Command> lobby = testKit.createTestProbe();
    SessionMetrics metrics = new SessionMetrics() {
      @Override
      public void persisted(int events, long nanos, int moves) {}

      @Override
      public void subscriberRefused() {
        refusals.incrementAndGet();
      }
    };
    kit = EventSourcedBehaviorTestKit.create(testKit.system(), GameSession.create("g1", shard.ref(), settings,
        SessionServices.of(new TestClock(Instant.parse("2026-11-22T10:00:00Z"))).withMetrics(metrics)));
    kit.<Reply>runCommand(r -> new GameSession.Create("tictactoe", Visibility.PUBLIC, 60, "alice", "Alice", r));
    refusals.set(0);
  }

  private TestProbe<GameSession.Update> subscribe(String correlationId, String playerId) {
    TestProbe<GameSession.Update> watcher = testKit.createTestProbe();
    kit.runCommand(new GameSession.Subscribe(watcher.ref(), correlationId, playerId));
    return watcher;
  }

  @Test
  void aSpectatorBeyondTheLimitIsRefusedRateLimitedAndGetsNoEvents() {
    subscribe("s1", null).expectMessageClass(GameSession.Current.class);
    subscribe("s2", "carol").expectMessageClass(GameSession.Current.class);
    TestProbe<GameSession.Update> third = subscribe("s3", "dave");
    GameSession.Refused refused = third.expectMessageClass(GameSession.Refused.class);
    assertThat(refused.code()).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(refused.correlationId()).isEqualTo("s3");
    assertThat(refusals).hasValue(1);
    kit.<Reply>runCommand(r -> new GameSession.Join("bob", "Bob", r));
    third.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void aSeatedPlayerIsNeverRefused() {
    subscribe("s1", null).expectMessageClass(GameSession.Current.class);
    subscribe("s2", null).expectMessageClass(GameSession.Current.class);
    subscribe("s3", "alice").expectMessageClass(GameSession.Current.class);
    assertThat(refusals).hasValue(0);
  }

  @Test
  void aSubscriberAlreadyCountedMaySubscribeAgain() {
    TestProbe<GameSession.Update> first = subscribe("s1", null);
    first.expectMessageClass(GameSession.Current.class);
    subscribe("s2", null).expectMessageClass(GameSession.Current.class);
    kit.runCommand(new GameSession.Subscribe(first.ref(), "again", null));
    assertThat(first.expectMessageClass(GameSession.Current.class).correlationId()).isEqualTo("again");
  }

  @Test
  void anUnsubscribeFreesAPlace() {
    TestProbe<GameSession.Update> first = subscribe("s1", null);
    first.expectMessageClass(GameSession.Current.class);
    subscribe("s2", null).expectMessageClass(GameSession.Current.class);
    kit.runCommand(new GameSession.Unsubscribe(first.ref()));
    subscribe("s3", null).expectMessageClass(GameSession.Current.class);
  }

  @Test
  void aSubscribeFromAnOlderNodeWithoutPlayerIdStillReads() throws Exception {
    ObjectMapper mapper = JacksonObjectMapperProvider.get(testKit.system().classicSystem())
        .getOrCreate("jackson-json", scala.Option.empty());
    GameSession.Subscribe old = mapper.readValue("{\"subscriber\":null,\"correlationId\":\"c\"}", GameSession.Subscribe.class);
    assertThat(old.correlationId()).isEqualTo("c");
    assertThat(old.playerId()).isNull();
  }
}
