package arena.lobby;

import arena.ErrorCode;
import arena.session.GameSession;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Game sessions that answer create and join the way {@link GameSession} does (a repeated create by
 * the creator is accepted, a repeated join is {@code already_seated}), one actor per game id, with
 * switches for a session that does not answer or refuses.
 */
final class FakeSessions {

  /** A command a session received. */
  record Call(String gameId, GameSession.Command command) {}

  private final ActorTestKit testKit;
  private final Map<String, ActorRef<GameSession.Command>> sessions = new ConcurrentHashMap<>();
  final TestProbe<Call> calls;
  /** This many next commands get no answer (the ask times out). */
  final AtomicInteger unanswered = new AtomicInteger();
  /** Answer no command at all. */
  volatile boolean silent;
  /** If set, creates are refused with this code. */
  volatile ErrorCode refuseCreate;

  FakeSessions(ActorTestKit testKit) {
    this.testKit = testKit;
    this.calls = testKit.createTestProbe();
  }

  RecipientRef<GameSession.Command> session(String gameId) {
    return sessions.computeIfAbsent(gameId, id -> testKit.spawn(session(id, new HashSet<>())));
  }

  private Behavior<GameSession.Command> session(String gameId, Set<String> seated) {
    return Behaviors.receiveMessage(command -> {
      calls.ref().tell(new Call(gameId, command));
      if (silent || unanswered.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        return Behaviors.same();
      }
      if (command instanceof GameSession.Create create) {
        if (refuseCreate != null) {
          create.replyTo().tell(new GameSession.Rejected(refuseCreate, "refused by the test"));
        } else {
          seated.add(create.playerId());
          create.replyTo().tell(new GameSession.Accepted(1, 0, null));
        }
      } else if (command instanceof GameSession.Join join) {
        join.replyTo().tell(seated.add(join.playerId())
            ? new GameSession.Accepted(2, 1, null)
            : new GameSession.Rejected(ErrorCode.ALREADY_SEATED, "you already hold a seat in this game"));
      }
      return Behaviors.same();
    });
  }
}
