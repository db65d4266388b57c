package arena.loadtest;

import arena.session.GameSession;
import arena.session.GameSession.Accepted;
import arena.session.Visibility;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * Recovery of a long game: a checkers game of {@code events} events is played, resigned and left
 * to passivate; then a GetState is sent to the cold entity, timed from the ask to the reply
 * (sharding starts the entity, it loads its latest snapshot and replays the events after it), and
 * again after each passivation.
 */
final class RecoveryProbe {

  /** Events besides the moves: game_created, player_joined, game_started and game_over. */
  static final int FRAME_EVENTS = 4;

  /**
   * @param snapshotSeq the latest snapshot's sequence number, 0 if none
   * @param millis one cold recovery per sample
   */
  record Result(long events, long snapshotSeq, List<Double> millis) {
    double median() {
      List<Double> sorted = millis.stream().sorted().toList();
      int n = sorted.size();
      return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    double min() {
      return millis.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    double max() {
      return millis.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
  }

  private final BenchNode node;
  private final DbTarget db;

  RecoveryProbe(BenchNode node, DbTarget db) {
    this.node = node;
    this.db = db;
  }

  Result measure(String gameId, List<Map<String, Object>> moves, int samples) throws Exception {
    EntityRef<GameSession.Command> game = node.game(gameId);
    String[] players = {gameId + "-p0", gameId + "-p1"};
    expect(game, r -> new GameSession.Create("checkers", Visibility.PRIVATE, 3600, players[0], "bench", r));
    expect(game, r -> new GameSession.Join(players[1], "bench", r));
    for (int ply = 0; ply < moves.size(); ply++) {
      String player = players[ply % 2];
      String requestId = "m" + ply;
      Map<String, Object> move = moves.get(ply);
      expect(game, r -> new GameSession.MakeMove(player, requestId, move, r));
    }
    long events = expect(game, r -> new GameSession.Resign(players[0], "resign", r)).seq(); // game_over, the last
    awaitPassivated(gameId);

    List<Double> millis = new ArrayList<>(samples);
    for (int i = 0; i < samples; i++) {
      long asked = System.nanoTime();
      Accepted state = expect(game, GameSession.GetState::new);
      millis.add((System.nanoTime() - asked) / 1e6);
      if (state.state().seq() != events) {
        throw new IllegalStateException("recovered seq " + state.state().seq() + ", expected " + events);
      }
      awaitPassivated(gameId);
    }
    return new Result(events, latestSnapshot(gameId), millis);
  }

  private void awaitPassivated(String gameId) throws InterruptedException {
    if (!node.awaitNoLiveGames(gameId, Duration.ofMinutes(1))) {
      throw new IllegalStateException("game " + gameId + " did not passivate");
    }
  }

  private Accepted expect(EntityRef<GameSession.Command> game,
      Function<ActorRef<GameSession.Reply>, GameSession.Command> command) throws Exception {
    GameSession.Reply reply = node.ask(game, command).toCompletableFuture()
        .get(node.askTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    if (reply instanceof Accepted ok) {
      return ok;
    }
    throw new IllegalStateException("game refused a command of the recovery probe: " + reply);
  }

  private long latestSnapshot(String gameId) throws SQLException {
    try (Connection c = db.connect();
        PreparedStatement s = c.prepareStatement(
            "SELECT coalesce(max(sequence_number), 0) FROM snapshot WHERE persistence_id = ?")) {
      s.setString(1, GameSession.ENTITY_KEY.name() + "|" + gameId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
