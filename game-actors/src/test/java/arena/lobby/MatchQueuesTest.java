package arena.lobby;

import static org.assertj.core.api.Assertions.assertThat;

import arena.lobby.Matchmaker.Dequeued;
import arena.lobby.Matchmaker.Enqueued;
import arena.lobby.Matchmaker.GameReady;
import arena.lobby.Matchmaker.Paired;
import arena.lobby.Matchmaker.Waiting;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The matchmaker's state on its own: queue order, pairing, and the set-up limit. No actors. */
class MatchQueuesTest {

  private final AtomicInteger ids = new AtomicInteger();
  private final Supplier<String> gameIds = () -> "game-" + ids.incrementAndGet();

  private static MatchQueues queued(MatchQueues state, String game, String... players) {
    for (String player : players) {
      state = state.apply(new Enqueued(game, player, player.toUpperCase(), null));
    }
    return state;
  }

  private static List<String> ids(List<Waiting> queue) {
    return queue.stream().map(Waiting::playerId).toList();
  }

  @Test
  void pairsTheLongestWaitingPlayersFirstWithTheFirstOnSeatZero() {
    MatchQueues state = queued(MatchQueues.empty(), "connect4", "a", "b", "c");
    List<Paired> pairs = state.pairings(10, gameIds);
    assertThat(pairs).hasSize(1);
    assertThat(pairs.get(0).seat0().playerId()).isEqualTo("a");
    assertThat(pairs.get(0).seat1().playerId()).isEqualTo("b");
    MatchQueues after = state.apply(pairs.get(0));
    assertThat(ids(after.queue("connect4"))).containsExactly("c");
    assertThat(after.pending()).containsOnlyKeys("game-1");
  }

  @Test
  void aPlayerQueuedAgainKeepsTheirPlace() {
    MatchQueues state = queued(MatchQueues.empty(), "connect4", "a", "b", "a");
    assertThat(ids(state.queue("connect4"))).containsExactly("a", "b");
  }

  @Test
  void aDequeuedPlayerIsNotPaired() {
    MatchQueues state = queued(MatchQueues.empty(), "checkers", "a", "b", "c")
        .apply(new Dequeued("checkers", "a", "cancelled"));
    Paired pair = state.pairings(10, gameIds).get(0);
    assertThat(List.of(pair.seat0().playerId(), pair.seat1().playerId())).containsExactly("b", "c");
  }

  @Test
  void gameTypesTakeTurnsWhenSetupSlotsAreScarce() {
    MatchQueues state = queued(MatchQueues.empty(), "tictactoe", "t1", "t2", "t3", "t4");
    state = queued(state, "connect4", "c1", "c2");
    List<Paired> pairs = state.pairings(2, gameIds);
    assertThat(pairs).extracting(Paired::game).containsExactlyInAnyOrder("tictactoe", "connect4");
  }

  @Test
  void noPairsWhileEverySetupSlotIsTaken() {
    MatchQueues state = queued(MatchQueues.empty(), "tictactoe", "a", "b");
    state = state.apply(state.pairings(1, gameIds).get(0));
    state = queued(state, "tictactoe", "c", "d");
    assertThat(state.pairings(1, gameIds)).isEmpty();
    state = state.apply(new GameReady("game-1"));
    assertThat(state.pairings(1, gameIds)).hasSize(1);
  }

  @Test
  void aPlayerBeingMatchedIsNotQueuedAgain() {
    MatchQueues state = queued(MatchQueues.empty(), "tictactoe", "a", "b");
    state = state.apply(state.pairings(1, gameIds).get(0));
    state = queued(state, "tictactoe", "a");
    assertThat(state.queue("tictactoe")).isEmpty();
    assertThat(state.settingUp("tictactoe", "a")).isPresent();
  }
}
