package arena.gateway.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import arena.gateway.rollout.Fence.Seen;
import java.util.List;
import org.apache.pekko.actor.Address;
import org.junit.jupiter.api.Test;

/** When a node counts itself on the side that the split brain resolver (keep-majority) downs. */
class FenceTest {

  private static final Address A = new Address("pekko", "arena", "127.0.0.1", 2551);
  private static final Address B = new Address("pekko", "arena", "127.0.0.1", 2552);
  private static final Address C = new Address("pekko", "arena", "127.0.0.1", 2553);

  @Test
  void aNodeCutOffFromTheTwoOthersIsInTheMinority() {
    assertThat(Fence.inMinority(C, List.of(new Seen(A, true, false), new Seen(B, true, false), new Seen(C, true, true))))
        .isTrue();
  }

  @Test
  void theTwoNodesThatLostTheThirdAreTheMajority() {
    assertThat(Fence.inMinority(A, List.of(new Seen(A, true, true), new Seen(B, true, true), new Seen(C, true, false))))
        .isFalse();
  }

  @Test
  void anEvenSplitIsLostBySideWithoutTheLowestAddress() {
    List<Seen> fromB = List.of(new Seen(A, true, false), new Seen(B, true, true));
    List<Seen> fromA = List.of(new Seen(A, true, true), new Seen(B, true, false));
    assertThat(Fence.inMinority(B, fromB)).isTrue();
    assertThat(Fence.inMinority(A, fromA)).isFalse();
  }

  @Test
  void nobodyUnreachableIsNoMinority() {
    assertThat(Fence.inMinority(A, List.of(new Seen(A, true, true), new Seen(B, true, true)))).isFalse();
  }

  @Test
  void joiningMembersDoNotCount() {
    // C is still joining: A and B split evenly and A has the lowest address.
    assertThat(Fence.inMinority(A, List.of(new Seen(A, true, true), new Seen(B, true, false), new Seen(C, false, false))))
        .isFalse();
  }
}
