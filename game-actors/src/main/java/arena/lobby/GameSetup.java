package arena.lobby;

import arena.ErrorCode;
import arena.lobby.MatchQueues.Pairing;
import arena.lobby.Matchmaker.SetupOutcome;
import arena.lobby.Matchmaker.SetupReady;
import arena.lobby.Matchmaker.SetupRefused;
import arena.session.GameSession;
import arena.session.Visibility;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * Sets up a matched game through its session: seat 0 creates it, private with 60-second turns
 * (ARENA-SPEC §4), then seat 1 joins and the game starts. Both steps are idempotent (a repeated
 * create by the same creator is accepted again; a repeated join is refused as
 * {@code already_seated}, which means it is done), so a set-up can simply be run again after a
 * timeout or a failover.
 */
final class GameSetup {

  /** Quickmatch games are private with this turn time (ARENA-SPEC §4). */
  static final int TURN_SECONDS = 60;

  private GameSetup() {}

  static CompletionStage<SetupOutcome> run(RecipientRef<GameSession.Command> session, Pairing pairing,
      Duration timeout, Scheduler scheduler) {
    CompletionStage<GameSession.Reply> created = AskPattern.ask(session,
        replyTo -> new GameSession.Create(pairing.game(), Visibility.PRIVATE, TURN_SECONDS,
            pairing.seat0().playerId(), pairing.seat0().name(), replyTo),
        timeout, scheduler);
    return created.thenCompose(reply -> {
      if (reply instanceof GameSession.Rejected refused) {
        return CompletableFuture.completedFuture(new SetupRefused(refused.code(), refused.message()));
      }
      CompletionStage<GameSession.Reply> joined = AskPattern.ask(session,
          replyTo -> new GameSession.Join(pairing.seat1().playerId(), pairing.seat1().name(), replyTo),
          timeout, scheduler);
      return joined.thenApply(GameSetup::afterJoin);
    });
  }

  private static SetupOutcome afterJoin(GameSession.Reply reply) {
    if (reply instanceof GameSession.Rejected refused && refused.code() != ErrorCode.ALREADY_SEATED) {
      return new SetupRefused(refused.code(), refused.message());
    }
    return new SetupReady();
  }
}
