package arena.gateway.reads;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class QueriesTest {

  @Test
  void aFullQueueAnswersBusyAtOnceInsteadOfWaiting() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (Queries queries = new Queries(null, new Queries.Settings(2, 3))) {
      List<CompletionStage<String>> accepted = new ArrayList<>();
      for (int i = 0; i < 5; i++) { // two running, three waiting
        accepted.add(queries.run(pool -> {
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return "ok";
        }));
      }
      CompletableFuture<String> refused = queries.<String>run(pool -> "never").toCompletableFuture();
      assertThat(refused).isCompletedExceptionally();
      assertThat(refused.handle((value, failure) -> Queries.isBusy(failure)).get()).isTrue();

      release.countDown();
      for (CompletionStage<String> query : accepted) {
        assertThat(query.toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo("ok");
      }
    }
  }
}
