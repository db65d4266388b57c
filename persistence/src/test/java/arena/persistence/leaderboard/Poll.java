package arena.persistence.leaderboard;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/** Bounded waiting for something the system does in the background. */
public final class Poll {

  private Poll() {}

  /**
   * Calls {@code probe} every 50 ms until {@code done} accepts its value and returns that value;
   * fails naming {@code what} and the last value seen when {@code within} runs out.
   */
  public static <T> T until(String what, Duration within, Callable<T> probe, Predicate<T> done)
      throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      T value = probe.call();
      if (done.test(value)) {
        return value;
      }
      if (System.nanoTime() > deadline) {
        return fail("waited %s for %s; last seen: %s", within, what, value);
      }
      Thread.sleep(50);
    }
  }
}
