package arena.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void aBurstPassesThenOneTokenPerIntervalWithTheWaitReported() {
    TokenBucket bucket = new TokenBucket(2, 3, 0);
    assertThat(bucket.tryTake(0)).isZero();
    assertThat(bucket.tryTake(0)).isZero();
    assertThat(bucket.tryTake(0)).isZero();
    assertThat(bucket.tryTake(0)).isEqualTo(SECOND / 2);
    assertThat(bucket.tryTake(SECOND / 2)).isZero();
    assertThat(bucket.tryTake(10 * SECOND)).isZero(); // refilled, but never beyond the burst
    assertThat(bucket.tryTake(10 * SECOND)).isZero();
    assertThat(bucket.tryTake(10 * SECOND)).isZero();
    assertThat(bucket.tryTake(10 * SECOND)).isPositive();
  }

  @Test
  void bucketsAreKeptPerKeyAndTheirNumberIsBounded() {
    Buckets buckets = new Buckets(new Rate(1, 1), 100, Duration.ofMinutes(10));
    assertThat(buckets.tryTake("alice", 0)).isZero();
    assertThat(buckets.tryTake("alice", 0)).isPositive();
    assertThat(buckets.tryTake("bob", 0)).isZero();
    for (int i = 0; i < 10_000; i++) {
      buckets.tryTake("address-" + i, 0);
    }
    assertThat(buckets.size()).isLessThanOrEqualTo(100);
  }
}
