package arena.persistence.leaderboard;

import arena.persistence.leaderboard.LeaderboardStore.Standing;
import arena.session.GameEvent;
import arena.session.GameEvent.GameOver;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts one finished game: both players' Elo ratings and win/loss/draw counts in its game type.
 * Runs in the transaction that also stores the projection's offset, so a game is counted exactly
 * when its offset moves past it.
 */
final class LeaderboardHandler extends JdbcHandler<EventEnvelope<GameEvent>, DataSourceJdbcSession> {

  private static final Logger log = LoggerFactory.getLogger(LeaderboardHandler.class);

  @Override
  public void process(DataSourceJdbcSession session, EventEnvelope<GameEvent> envelope) throws Exception {
    if (!(envelope.event() instanceof GameOver over)) {
      return; // the tag carries only game_over; anything else is not ours to count
    }
    String gameId = gameIdOf(envelope.persistenceId());
    String unfit = unfit(over);
    if (unfit != null) {
      // Skipped, not failed: one odd event must not stop the leaderboard for everyone.
      log.warn("leaderboard: not counting game {} ({})", gameId, unfit);
      return;
    }
    Instant at = over.at() != null ? over.at() : Instant.ofEpochMilli(envelope.timestamp());
    session.withConnection(connection -> {
      count(connection, gameId, over, at);
      return null;
    });
  }

  static void count(Connection c, String gameId, GameOver over, Instant at) throws SQLException {
    if (!LeaderboardStore.claim(c, gameId, over.game(), at)) {
      log.info("leaderboard: game {} was already counted", gameId);
      return;
    }
    GameEvent.Seat first = over.players().get(0);
    GameEvent.Seat second = over.players().get(1);
    double firstScore = scoreOf(over.result(), first.seat());
    // Rows are locked in player id order, so that two writers can never deadlock on a pair.
    boolean firstLocksFirst = first.playerId().compareTo(second.playerId()) < 0;
    Standing a;
    Standing b;
    if (firstLocksFirst) {
      a = LeaderboardStore.find(c, over.game(), first.playerId(), first.name());
      b = LeaderboardStore.find(c, over.game(), second.playerId(), second.name());
    } else {
      b = LeaderboardStore.find(c, over.game(), second.playerId(), second.name());
      a = LeaderboardStore.find(c, over.game(), first.playerId(), first.name());
    }
    LeaderboardStore.save(c, over.game(), a.after(b.rating(), firstScore, first.name()), at);
    LeaderboardStore.save(c, over.game(), b.after(a.rating(), Elo.WIN - firstScore, second.name()), at);
  }

  /** Why the event cannot be counted, or null when it can. */
  static String unfit(GameOver over) {
    if (over.game() == null || over.players() == null || over.result() == null) {
      return "no game type, players or result in the event";
    }
    if (over.players().size() != 2) {
      return "Elo needs two players, the event has " + over.players().size();
    }
    GameEvent.Seat first = over.players().get(0);
    GameEvent.Seat second = over.players().get(1);
    if (first == null || second == null || first.playerId() == null || second.playerId() == null
        || first.playerId().equals(second.playerId())) {
      return "the players are not two distinct ids";
    }
    String outcome = over.result().outcome();
    if ("draw".equals(outcome)) {
      return null;
    }
    Integer winner = over.result().winnerSeat();
    if (!"win".equals(outcome) || winner == null
        || (winner != first.seat() && winner != second.seat())) {
      return "result " + over.result() + " names no seated winner";
    }
    return null;
  }

  /** The score of {@code seat}: 1 for the winner (whatever the reason), 0.5 each for a draw. */
  private static double scoreOf(GameEvent.Result result, int seat) {
    if ("draw".equals(result.outcome())) {
      return Elo.DRAW;
    }
    return result.winnerSeat() == seat ? Elo.WIN : Elo.LOSS;
  }

  /** {@code game-session|<gameId>} to {@code <gameId>}. */
  static String gameIdOf(String persistenceId) {
    int bar = persistenceId.indexOf('|');
    return bar < 0 ? persistenceId : persistenceId.substring(bar + 1);
  }
}
