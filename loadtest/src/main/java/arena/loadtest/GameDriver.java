package arena.loadtest;

import arena.ErrorCode;
import arena.session.GameSession;
import arena.session.GameSession.Accepted;
import arena.session.GameSession.Rejected;
import arena.session.Status;
import arena.session.Visibility;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * Both players of one table, like two real clients: they create a connect4 game, join it and replay
 * the script move by move, each move sent only when the previous one was acknowledged (so a game
 * has at most one ask in flight), and start the next game when one ends.
 *
 * <p>The driver's fields are touched by one callback at a time: every step is chained to the reply
 * of the previous one.
 */
final class GameDriver {

  private static final String GAME = "connect4";
  /** The longest turn the spec allows, so no turn clock fires during a run. */
  private static final int TURN_SECONDS = 3600;

  private final BenchNode node;
  private final List<Map<String, Object>> script;
  private final Meter meter;
  private final String idPrefix;
  private final String[] players;
  private final BooleanSupplier running;
  private final Runnable firstGameStarted;
  private final CompletableFuture<Void> idle = new CompletableFuture<>();

  private int gameNo;
  private EntityRef<GameSession.Command> game;
  private int ply;
  private boolean inPlay;
  private boolean started;

  GameDriver(BenchNode node, List<Map<String, Object>> script, Meter meter, String idPrefix,
      BooleanSupplier running, Runnable firstGameStarted) {
    this.node = node;
    this.script = script;
    this.meter = meter;
    this.idPrefix = idPrefix;
    this.players = new String[] {idPrefix + "-p0", idPrefix + "-p1"};
    this.running = running;
    this.firstGameStarted = firstGameStarted;
  }

  void start() {
    newGame();
  }

  /** Completes when the driver has stopped sending (after {@code running} turned false). */
  CompletionStage<Void> idle() {
    return idle;
  }

  /** Once idle: resigns the game in play, so that it finishes and passivates. */
  CompletionStage<?> resignGameInPlay() {
    if (!inPlay) {
      return CompletableFuture.completedFuture(null);
    }
    inPlay = false;
    return node.ask(game, replyTo -> new GameSession.Resign(players[0], "resign", replyTo));
  }

  private void newGame() {
    if (!running.getAsBoolean()) {
      idle.complete(null);
      return;
    }
    gameNo++;
    game = node.game(idPrefix + "-g" + gameNo);
    ply = 0;
    create();
  }

  /** A create that timed out is sent again: the creator's retry is answered, not refused. */
  private void create() {
    node.ask(game, replyTo -> new GameSession.Create(GAME, Visibility.PRIVATE, TURN_SECONDS, players[0], "bench", replyTo))
        .whenComplete((reply, failure) -> {
          if (failure != null) {
            meter.error("create: " + failure.getClass().getSimpleName());
            create();
          } else if (reply instanceof Accepted) {
            meter.setup(1);
            join();
          } else {
            meter.error("create: " + ((Rejected) reply).code().wireName());
            newGame();
          }
        });
  }

  /** A join that timed out is sent again; "already_seated" then means the first one went through. */
  private void join() {
    node.ask(game, replyTo -> new GameSession.Join(players[1], "bench", replyTo))
        .whenComplete((reply, failure) -> {
          if (failure != null) {
            meter.error("join: " + failure.getClass().getSimpleName());
            join();
            return;
          }
          if (reply instanceof Accepted ok) {
            meter.setup(storedEvents(ok));
          } else if (((Rejected) reply).code() != ErrorCode.ALREADY_SEATED) {
            meter.error("join: " + ((Rejected) reply).code().wireName());
            newGame();
            return;
          }
          inPlay = true;
          if (!started) {
            started = true;
            firstGameStarted.run();
          }
          move();
        });
  }

  private void move() {
    if (!running.getAsBoolean()) {
      idle.complete(null);
      return;
    }
    String player = players[ply % 2];
    String requestId = "m" + ply;
    Map<String, Object> move = script.get(ply);
    long sent = System.nanoTime();
    node.ask(game, replyTo -> new GameSession.MakeMove(player, requestId, move, replyTo))
        .whenComplete((reply, failure) -> {
          if (failure != null) {
            meter.error("move: " + failure.getClass().getSimpleName());
            move(); // the same request id: applied at most once
          } else if (reply instanceof Accepted ok) {
            meter.move(System.nanoTime() - sent, storedEvents(ok));
            ply++;
            if (ok.status() == Status.FINISHED) {
              inPlay = false;
              meter.gameFinished();
              newGame();
            } else if (ply == script.size()) {
              meter.error("script ended, game did not");
              resignGameInPlay();
              newGame();
            } else {
              move();
            }
          } else {
            meter.error("move: " + ((Rejected) reply).code().wireName());
            resignGameInPlay();
            newGame();
          }
        });
  }

  /** Events a move stored: the move, and game_over when it ended the game (its ack has no state). */
  private static long storedEvents(Accepted ok) {
    return ok.status() != null && ok.status().isOver() ? 2 : 1;
  }
}
