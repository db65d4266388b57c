package arena.session;

import static org.assertj.core.api.Assertions.assertThat;

import arena.session.GameSession.Accepted;
import arena.session.GameSession.Command;
import arena.session.GameSession.Reply;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A session writes its game to the {@link GameDirectory} on every lifecycle change (never on a
 * move) and answers the change only once that write completed, so the lists show what a player
 * was answered for.
 */
@ExtendWith({LogCapturingExtension.class, TestKitJUnit5Extension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GameSessionDirectoryTest {

  @JUnit5TestKit
  private final ActorTestKit testKit = new JUnit5TestKitBuilder().withCustomConfig(
      EventSourcedBehaviorTestKit.config()
          .withFallback(ConfigFactory.parseResources("serialization.conf"))
          .withFallback(ConfigFactory.parseString("pekko.actor.provider = local"))
          .withFallback(ConfigFactory.load())).build();

  private final SessionSettings settings =
      new SessionSettings(Duration.ofMinutes(10), Duration.ofSeconds(30), 100, 2, Duration.ofSeconds(3));

  /** One write the session asked for; the test decides when it completes. */
  private record Write(GameView game, Instant startedAt, CompletableFuture<Done> done) {}

  private final LinkedBlockingQueue<Write> writes = new LinkedBlockingQueue<>();

  private final GameDirectory directory = (game, startedAt) -> {
    CompletableFuture<Done> done = new CompletableFuture<>();
    writes.add(new Write(game, startedAt, done));
    return done;
  };

  private ActorRef<Command> session(String gameId) {
    TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
    SessionServices services = SessionServices.of(java.time.Clock.systemUTC()).withDirectory(directory);
    return testKit.spawn(GameSession.create(gameId, shard.ref(), settings, services));
  }

  private Write nextWrite() throws InterruptedException {
    Write write = writes.poll(5, TimeUnit.SECONDS);
    assertThat(write).as("a directory write").isNotNull();
    return write;
  }

  @Test
  void answersALifecycleChangeOnlyOnceItsDirectoryEntryIsStored() throws Exception {
    ActorRef<Command> game = session("directory-1");
    TestProbe<Reply> alice = testKit.createTestProbe();
    game.tell(new GameSession.Create("tictactoe", Visibility.PRIVATE, 60, "alice", "Alice", alice.ref()));
    Write created = nextWrite();
    assertThat(created.game().status()).isEqualTo(Status.WAITING);
    assertThat(created.game().visibility()).isEqualTo(Visibility.PRIVATE);
    alice.expectNoMessage(Duration.ofMillis(200));
    created.done().complete(Done.getInstance());
    assertThat(alice.expectMessageClass(Accepted.class).seq()).isEqualTo(1);

    TestProbe<Reply> bob = testKit.createTestProbe();
    game.tell(new GameSession.Join("bob", "Bob", bob.ref()));
    Write joined = nextWrite();
    assertThat(joined.game().status()).isEqualTo(Status.ACTIVE);
    assertThat(joined.game().players()).extracting(GameView.Seat::playerId).containsExactly("alice", "bob");
    assertThat(joined.startedAt()).as("the start of the game").isNotNull();
    bob.expectNoMessage(Duration.ofMillis(200));
    joined.done().completeExceptionally(new IllegalStateException("database down"));
    assertThat(bob.expectMessageClass(Accepted.class).seat())
        .as("a failed directory write still answers: the change itself is stored").isEqualTo(1);
  }

  @Test
  void movesAreAnsweredWithoutADirectoryWriteAndTheEndIsWritten() throws Exception {
    ActorRef<Command> game = session("directory-2");
    TestProbe<Reply> replies = testKit.createTestProbe();
    game.tell(new GameSession.Create("tictactoe", Visibility.PUBLIC, 60, "alice", "Alice", replies.ref()));
    nextWrite().done().complete(Done.getInstance());
    replies.expectMessageClass(Accepted.class);
    game.tell(new GameSession.Join("bob", "Bob", replies.ref()));
    nextWrite().done().complete(Done.getInstance());
    replies.expectMessageClass(Accepted.class);

    game.tell(new GameSession.MakeMove("alice", "m1", Map.of("cell", 4), replies.ref()));
    replies.expectMessageClass(Accepted.class);
    assertThat(writes).as("a move changes no list").isEmpty();

    game.tell(new GameSession.Resign("bob", "r1", replies.ref()));
    Write ended = nextWrite();
    assertThat(ended.game().status()).isEqualTo(Status.FINISHED);
    assertThat(ended.game().result().winnerSeat()).isZero();
    assertThat(ended.startedAt()).isNull();
    ended.done().complete(Done.getInstance());
    replies.expectMessageClass(Accepted.class);
  }

  @Test
  void subscribersGetALifecycleEventOnceItsEntryIsStoredAndEveryEventInOrder() throws Exception {
    ActorRef<Command> game = session("directory-4");
    TestProbe<Reply> replies = testKit.createTestProbe();
    TestProbe<GameSession.Update> watcher = testKit.createTestProbe();
    game.tell(new GameSession.Create("tictactoe", Visibility.PUBLIC, 60, "alice", "Alice", replies.ref()));
    nextWrite().done().complete(Done.getInstance());
    replies.expectMessageClass(Accepted.class);
    game.tell(new GameSession.Subscribe(watcher.ref(), "w", null));
    watcher.expectMessageClass(GameSession.Current.class);

    game.tell(new GameSession.Join("bob", "Bob", replies.ref()));
    Write joined = nextWrite();
    watcher.expectNoMessage(Duration.ofMillis(200));
    game.tell(new GameSession.MakeMove("alice", "m1", Map.of("cell", 4), replies.ref()));
    joined.done().complete(Done.getInstance());
    assertThat(List.of(watcher.expectMessageClass(GameSession.Applied.class).seq(),
        watcher.expectMessageClass(GameSession.Applied.class).seq(),
        watcher.expectMessageClass(GameSession.Applied.class).seq())).containsExactly(2L, 3L, 4L);
  }

  @Test
  void aRecoveredGameWritesItsEntryAgain() throws Exception {
    ActorRef<Command> game = session("directory-3");
    TestProbe<Reply> replies = testKit.createTestProbe();
    game.tell(new GameSession.Create("connect4", Visibility.PUBLIC, 60, "alice", "Alice", replies.ref()));
    nextWrite().done().complete(Done.getInstance());
    replies.expectMessageClass(Accepted.class);
    testKit.stop(game);

    ActorRef<Command> again = session("directory-3");
    Write recovered = nextWrite();
    assertThat(recovered.game().gameId()).isEqualTo("directory-3");
    assertThat(recovered.game().seq()).isEqualTo(1);
    recovered.done().complete(Done.getInstance());
    again.tell(new GameSession.GetState(replies.ref()));
    assertThat(replies.expectMessageClass(Accepted.class).state().status()).isEqualTo(Status.WAITING);
    assertThat(List.copyOf(writes)).isEmpty();
  }
}
