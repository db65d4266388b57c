package arena.loadtest.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The open loop's schedule on the real clock, with games that never get ready (no server). */
class OpenLoadScheduleTest {

  @Test
  void aStepOffersItsRateWhateverTheGamesAnswerAndGivesUpWhatTheyCouldNotSend() {
    OpenLoad load = new OpenLoad("http://127.0.0.1:1", 2, List.of("{\"column\":0}"));
    OpenGame[] games = new OpenGame[20];
    for (int i = 0; i < games.length; i++) {
      games[i] = new OpenGame(load, new Socket(load), new Socket(load), 0, "connect4", List.of("{\"column\":0}"));
    }
    load.use(games);
    StepStats step = new StepStats(500);
    long start = System.nanoTime();
    load.runStep(step, 500, 0.4); // 200 moves due: 10 per game, one every 40 ms each
    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(seconds).isBetween(0.39, 2.0);
    assertThat(step.due.sum()).isEqualTo(200);
    assertThat(step.sent.sum()).isZero(); // no game was ever started
    assertThat(step.unsent.sum()).isEqualTo(200);
    // each was given up at the step's end, with at least the time from its schedule to the end
    assertThat(step.ack.getTotalCount()).isEqualTo(200);
    assertThat(step.ack.getMinValue()).isLessThan(TimeUnit.MILLISECONDS.toNanos(100));
    assertThat(step.ack.getMaxValue()).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(350));
    assertThat(step.lag.getTotalCount()).isEqualTo(200);
    for (OpenGame game : games) {
      assertThat(game.backlog()).isZero();
    }
    load.stop();
  }
}
