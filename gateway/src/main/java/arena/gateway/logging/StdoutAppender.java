package arena.gateway.logging;

import ch.qos.logback.core.OutputStreamAppender;
import java.io.FileDescriptor;
import java.io.FileOutputStream;

/**
 * Writes to the process's standard output itself, not to {@code System.out}: with the JSON format
 * the node points {@code System.out} at the log (see {@link StandardStreams}), and Logback's
 * ConsoleAppender, which writes through {@code System.out}, would then write into itself.
 */
public final class StdoutAppender<E> extends OutputStreamAppender<E> {

  @Override
  public void start() {
    setOutputStream(new FileOutputStream(FileDescriptor.out));
    super.start();
  }
}
