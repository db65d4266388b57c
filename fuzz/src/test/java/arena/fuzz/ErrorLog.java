package arena.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Collects every ERROR logged while a fuzz input runs: a client's input must never cause one. */
public final class ErrorLog extends AppenderBase<ILoggingEvent> {

  private static final List<String> ERRORS = new CopyOnWriteArrayList<>();

  static void clear() {
    ERRORS.clear();
  }

  static List<String> errors() {
    return List.copyOf(ERRORS);
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
      ERRORS.add(event.getLoggerName() + ": " + event.getFormattedMessage());
    }
  }
}
