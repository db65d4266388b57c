package arena.loadtest;

import java.lang.management.ManagementFactory;

/** Used heap after full collections: what live objects occupy. */
final class Heap {

  private Heap() {}

  static long usedAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
