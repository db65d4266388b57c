package arena.gateway.logging;

import ch.qos.logback.classic.LoggerContext;
import java.util.Map;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * How the node writes its log: {@code ARENA_LOG_FORMAT=text} (the default: a line per entry for
 * a person at a terminal) or {@code json} (one JSON object per line for a log collector). The
 * choice itself is made in {@code logback.xml}, which picks the appender of that name; this class
 * refuses a value that names no appender (Logback alone would go silent) and fills in the fields
 * that every JSON line carries: the node's address and its app version.
 */
public final class LogFormat {

  /** The variable, as ARENA-SPEC §2 names it. */
  public static final String VARIABLE = "ARENA_LOG_FORMAT";

  private LogFormat() {}

  /** Stops start-up with a message naming the variable when its value is neither json nor text. */
  public static void check(Map<String, String> environment) {
    String value = environment.get(VARIABLE);
    if (value != null && !value.equals("json") && !value.equals("text")) {
      throw new IllegalArgumentException(VARIABLE + " must be json or text, was '" + value + "'");
    }
  }

  /**
   * Puts the node's Pekko address and app version on every later line (Logback context
   * properties, which the JSON encoder writes as {@code node} and {@code appVersion}).
   */
  public static void identifyNode(String address, String appVersion) {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (factory instanceof LoggerContext context) {
      context.putProperty("node", address);
      context.putProperty("appVersion", appVersion);
    }
  }
}
