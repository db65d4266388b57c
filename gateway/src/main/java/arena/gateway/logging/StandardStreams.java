package arena.gateway.logging;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * With {@code ARENA_LOG_FORMAT=json}, every line on stdout and stderr must be a JSON object, but
 * some libraries print (pekko-projection-jdbc 1.0.0 prints "# stop …" when a projection stops).
 * Their lines become log entries of the loggers {@code stdout} (INFO) and {@code stderr} (WARN).
 */
public final class StandardStreams {

  private StandardStreams() {}

  /** Sends {@code System.out} and {@code System.err} into the log when the format is json. */
  public static void captureIfJson(Map<String, String> environment) {
    if ("json".equals(environment.get(LogFormat.VARIABLE))) {
      PrintStream originalErr = System.err;
      System.setOut(lines(LoggerFactory.getLogger("stdout"), Level.INFO, originalErr));
      System.setErr(lines(LoggerFactory.getLogger("stderr"), Level.WARN, originalErr));
    }
  }

  private static PrintStream lines(Logger logger, Level level, PrintStream fallback) {
    return new PrintStream(new LineLogger(logger, level, fallback), true, StandardCharsets.UTF_8);
  }

  /** Logs each complete line written to it. */
  private static final class LineLogger extends OutputStream {
    /** Set while this thread logs a line: anything the logging itself prints goes to the fallback. */
    private static final ThreadLocal<Boolean> LOGGING = ThreadLocal.withInitial(() -> false);

    private final Logger logger;
    private final Level level;
    private final PrintStream fallback;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineLogger(Logger logger, Level level, PrintStream fallback) {
      this.logger = logger;
      this.level = level;
      this.fallback = fallback;
    }

    @Override
    public synchronized void write(int b) {
      if (LOGGING.get()) {
        fallback.write(b);
      } else if (b == '\n') {
        emit();
      } else {
        line.write(b);
      }
    }

    private void emit() {
      String text = line.toString(StandardCharsets.UTF_8);
      line.reset();
      if (text.endsWith("\r")) {
        text = text.substring(0, text.length() - 1);
      }
      LOGGING.set(true);
      try {
        logger.atLevel(level).log(text);
      } finally {
        LOGGING.set(false);
      }
    }
  }
}
