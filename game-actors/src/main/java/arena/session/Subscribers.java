package arena.session;

import arena.ErrorCode;
import arena.session.GameSession.Applied;
import arena.session.GameSession.Command;
import arena.session.GameSession.Current;
import arena.session.GameSession.Refused;
import arena.session.GameSession.SubscriberGone;
import arena.session.GameSession.Subscribe;
import arena.session.GameSession.Update;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * Who receives a session's events (player connections and spectators, on any node), and in what
 * order: every event in sequence order with the state after it, and a lifecycle change only once
 * the game directory shows it too (so a player who hears of it finds it in the lists).
 */
final class Subscribers {

  private final String gameId;
  private final ActorContext<Command> ctx;
  private final SessionMetrics metrics;
  /** Subscribers beyond this are refused, unless they hold a seat (arena.session.max-subscribers). */
  private final int max;
  private final Set<ActorRef<Update>> subscribers = new HashSet<>();
  /** The directory write of the latest change, which that change's answer and events wait for. */
  private CompletionStage<?> listed = CompletableFuture.completedFuture(null);
  /** Events held back for {@link #listed}, which later events follow. */
  private CompletionStage<?> delivered = listed;

  Subscribers(String gameId, ActorContext<Command> ctx, SessionMetrics metrics) {
    this.gameId = gameId;
    this.ctx = ctx;
    this.metrics = metrics;
    this.max = ctx.getSystem().settings().config().getInt("arena.session.max-subscribers");
  }

  boolean isEmpty() {
    return subscribers.isEmpty();
  }

  /** Sends the current state to a new (or repeated) subscriber, or refuses it when there are too many. */
  void subscribe(GameState state, Subscribe cmd) {
    if (!subscribers.contains(cmd.subscriber()) && subscribers.size() >= max
        && (cmd.playerId() == null || state.seatOf(cmd.playerId()) < 0)) {
      metrics.subscriberRefused();
      cmd.subscriber().tell(new Refused(gameId, cmd.correlationId(), ErrorCode.RATE_LIMITED,
          "game " + gameId + " has " + max + " subscribers; try again later"));
      return;
    }
    if (subscribers.add(cmd.subscriber())) {
      ctx.watchWith(cmd.subscriber(), new SubscriberGone(cmd.subscriber()));
    }
    cmd.subscriber().tell(new Current(gameId, cmd.correlationId(), state.view(), ctx.getSelf()));
  }

  void unsubscribe(ActorRef<Update> subscriber) {
    if (subscribers.remove(subscriber)) {
      ctx.unwatch(subscriber);
    }
  }

  /** The directory is writing the latest change: answers and events of it wait for {@code write}. */
  void listing(CompletionStage<?> write) {
    listed = write;
  }

  /** Runs {@code answer} once the latest change is in the directory. */
  void afterListed(Runnable answer) {
    listed.whenComplete((done, failure) -> answer.run());
  }

  /** Sends every subscriber each stored event with the state right after it. */
  void publish(List<GameEvent> events, List<GameState> states) {
    if (subscribers.isEmpty()) {
      return; // no views to build
    }
    List<Applied> updates = new java.util.ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      updates.add(new Applied(gameId, states.get(i).seq(), events.get(i), states.get(i).view()));
    }
    List<ActorRef<Update>> to = List.copyOf(subscribers);
    Runnable send = () -> updates.forEach(applied -> to.forEach(subscriber -> subscriber.tell(applied)));
    if (delivered.toCompletableFuture().isDone() && listed.toCompletableFuture().isDone()) {
      send.run();
    } else {
      delivered = delivered.thenCombine(listed, (x, y) -> null).thenRun(send);
    }
  }
}
