package arena.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.pekko.util.Version;
import org.junit.jupiter.api.Test;

/** The allocation rules that make a rolling update move each shard once. */
class RolloutAwareAllocationTest {

  @Test
  void newShardsGoToTheNewestVersionEvenWhenItHasMoreShards() {
    var old = new RolloutAwareAllocation.Region(null, false, Version.apply("1.0.0"), 0);
    var fresh = new RolloutAwareAllocation.Region(null, false, Version.apply("1.1.0"), 30);
    assertThat(List.of(old, fresh).stream().min(RolloutAwareAllocation.SUITABILITY)).contains(fresh);
  }

  @Test
  void membersOnTheirWayOutGetNoShards() {
    var leaving = new RolloutAwareAllocation.Region(null, true, Version.apply("2.0.0"), 0);
    var staying = new RolloutAwareAllocation.Region(null, false, Version.apply("1.0.0"), 50);
    assertThat(List.of(leaving, staying).stream().min(RolloutAwareAllocation.SUITABILITY)).contains(staying);
  }

  @Test
  void amongEqualsTheRegionWithFewestShardsWins() {
    var busy = new RolloutAwareAllocation.Region(null, false, Version.apply("1.0.0"), 5);
    var idle = new RolloutAwareAllocation.Region(null, false, Version.apply("1.0.0"), 2);
    assertThat(List.of(busy, idle).stream().min(RolloutAwareAllocation.SUITABILITY)).contains(idle);
  }

  @Test
  void revisionsCompareAsNumbers() {
    assertThat(Version.apply("10").compareTo(Version.apply("9"))).isPositive();
  }

  @Test
  void aSmallImbalanceLeftByARolloutIsNotRebalanced() {
    assertThat(RolloutAwareAllocation.toRebalance(Map.of(
        "a", List.of("1", "2", "3", "4"), "b", List.of("5", "6", "7"), "c", List.of("8", "9")), 2, 3))
        .isEmpty();
  }

  @Test
  void aRealImbalanceMovesHalfTheDifferenceAtMostThreeAtATime() {
    assertThat(RolloutAwareAllocation.toRebalance(Map.of(
        "a", List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10"), "b", List.of()), 2, 3))
        .hasSize(3);
    assertThat(RolloutAwareAllocation.toRebalance(Map.of(
        "a", List.of("1", "2", "3", "4"), "b", List.of("5")), 2, 3))
        .hasSize(1);
  }

  @Test
  void aDrainingRegionGivesItsShardsAwayAFewAtATime() {
    var draining = new RolloutAwareAllocation.Region(null, true, Version.apply("1.0.0"), 6);
    var staying = new RolloutAwareAllocation.Region(null, false, Version.apply("1.0.0"), 2);
    Map<RolloutAwareAllocation.Region, List<String>> shards = Map.of(
        draining, List.of("1", "2", "3", "4", "5", "6"), staying, List.of("7", "8"));
    assertThat(RolloutAwareAllocation.toDrain(shards, java.util.Set.of(), 4)).containsExactlyInAnyOrder("1", "2", "3", "4");
    assertThat(RolloutAwareAllocation.toDrain(shards, java.util.Set.of("1", "2", "3"), 4)).containsExactly("4");
    assertThat(RolloutAwareAllocation.toDrain(shards, java.util.Set.of("1", "2", "3", "4"), 4)).isEmpty();
  }

  @Test
  void nothingDrainsWhenNoRegionStays() {
    var one = new RolloutAwareAllocation.Region(null, true, Version.apply("1.0.0"), 2);
    var other = new RolloutAwareAllocation.Region(null, true, Version.apply("1.0.0"), 1);
    assertThat(RolloutAwareAllocation.toDrain(Map.of(one, List.of("1", "2"), other, List.of("3")),
        java.util.Set.of(), 4)).isEmpty();
  }
}
