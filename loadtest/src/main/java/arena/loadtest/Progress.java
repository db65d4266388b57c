package arena.loadtest;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** Progress lines on standard error; standard output is kept for the results. */
final class Progress {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private Progress() {}

  static void say(String format, Object... args) {
    System.err.println(TIME.format(LocalTime.now()) + " bench: " + String.format(format, args));
  }
}
