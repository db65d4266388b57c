package arena.gateway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

/** The ranking alone: members with fake ages, no cluster. */
class PodDeletionCostTest {

  /** A member that came up as the {@code upNumber}-th; lower is older, as with Pekko's Member. */
  record FakeMember(String name, int upNumber) {}

  private static final BiPredicate<FakeMember, FakeMember> OLDER = (a, b) -> a.upNumber() < b.upNumber();

  private final FakeMember a = new FakeMember("a", 1);
  private final FakeMember b = new FakeMember("b", 2);
  private final FakeMember c = new FakeMember("c", 3);
  private final FakeMember d = new FakeMember("d", 7);
  private final FakeMember e = new FakeMember("e", 12);
  private final List<FakeMember> members = List.of(a, b, c, d, e);

  @Test
  void oldestMembersCostMostDescendingByAgeAndTheRestZero() {
    assertThat(members).extracting(m -> PodDeletionCost.costOf(m, members, OLDER, 3))
        .containsExactly(3, 2, 1, 0, 0);
  }

  @Test
  void costDependsOnAgeNotOnTheOrderMembersArriveIn() {
    List<FakeMember> shuffled = new ArrayList<>(members);
    Collections.shuffle(shuffled, new Random(42));
    assertThat(PodDeletionCost.costOf(a, shuffled, OLDER, 3)).isEqualTo(3);
    assertThat(PodDeletionCost.costOf(c, shuffled, OLDER, 3)).isEqualTo(1);
    assertThat(PodDeletionCost.costOf(e, shuffled, OLDER, 3)).isZero();
  }

  @Test
  void whenTheOldestLeavesTheNextOldestTakesItsCost() {
    List<FakeMember> afterA = List.of(e, d, c, b);
    assertThat(PodDeletionCost.costOf(b, afterA, OLDER, 3)).isEqualTo(3);
    assertThat(PodDeletionCost.costOf(d, afterA, OLDER, 3)).isEqualTo(1);
  }

  @Test
  void fewerMembersThanAnnotatedPodsStillRankOldestHighest() {
    List<FakeMember> two = List.of(d, b);
    assertThat(PodDeletionCost.costOf(b, two, OLDER, 3)).isEqualTo(3);
    assertThat(PodDeletionCost.costOf(d, two, OLDER, 3)).isEqualTo(2);
  }

  @Test
  void aNodeThatIsNotAMemberCostsNothing() {
    assertThat(PodDeletionCost.costOf(new FakeMember("joining", Integer.MAX_VALUE), members, OLDER, 3)).isZero();
    assertThat(PodDeletionCost.costOf(a, List.of(), OLDER, 3)).isZero();
  }

  @Test
  void zeroAnnotatedPodsAnnotatesNobody() {
    assertThat(PodDeletionCost.costOf(a, members, OLDER, 0)).isZero();
  }
}
