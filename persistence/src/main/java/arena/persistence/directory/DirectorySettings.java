package arena.persistence.directory;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of the game directory, read from {@code arena.directory} (see {@code reference.conf}).
 *
 * @param readThreads threads that run list queries
 * @param readQueue list queries that may wait for a thread; one beyond is refused (unavailable)
 * @param writeThreads threads that write sessions' entries
 * @param writeQueue entries that may wait for a writer; one beyond is retried later
 * @param answerWait longest a session's answer waits for its entry to be stored
 * @param retryMinBackoff first wait before a failed write is tried again, doubling...
 * @param retryMaxBackoff ...up to this
 * @param writeAttempts attempts at one entry before it is given up
 * @param queryTimeout longest one SQL statement may run
 */
public record DirectorySettings(int readThreads, int readQueue, int writeThreads, int writeQueue,
    Duration answerWait, Duration retryMinBackoff, Duration retryMaxBackoff, int writeAttempts,
    Duration queryTimeout) {

  public DirectorySettings {
    if (readThreads < 1 || readQueue < 1 || writeThreads < 1 || writeQueue < 1 || writeAttempts < 1) {
      throw new IllegalArgumentException("arena.directory: read-threads, read-queue, write-threads, "
          + "write-queue and write-attempts must be at least 1");
    }
    for (Duration d : new Duration[] {answerWait, retryMinBackoff, retryMaxBackoff, queryTimeout}) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("arena.directory: durations must be positive, was " + d);
      }
    }
  }

  public static DirectorySettings fromConfig(Config root) {
    Config c = root.getConfig("arena.directory");
    return new DirectorySettings(c.getInt("read-threads"), c.getInt("read-queue"), c.getInt("write-threads"),
        c.getInt("write-queue"), c.getDuration("answer-wait"), c.getDuration("retry-min-backoff"),
        c.getDuration("retry-max-backoff"), c.getInt("write-attempts"), c.getDuration("query-timeout"));
  }
}
