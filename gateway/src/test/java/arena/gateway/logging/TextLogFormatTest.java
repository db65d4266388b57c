package arena.gateway.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The node's logback.xml in its default (text) format, configured into a context of its own. */
class TextLogFormatTest {

  private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLW9mLWEtdGVzdC10b2tlbg";

  @Test
  void textLinesStartWithDateAndTimeAndNeverShowAToken() throws Exception {
    String out = logWithTheNodesConfiguration(log -> {
      log.info("upgrade for /ws?token={} refused", TOKEN);
      log.warn("header was Bearer {}", TOKEN.replace('.', '-'));
      log.error("request failed", new IllegalStateException("bad uri /ws?ticket=single-use-ticket-value&x=1"));
    });
    String[] lines = out.split("\n");
    assertThat(lines[0]).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} INFO  .*");
    assertThat(out).contains("/ws?token=*** refused", "Bearer ***", "/ws?ticket=***&x=1", "IllegalStateException")
        .doesNotContain(TOKEN).doesNotContain(TOKEN.replace('.', '-')).doesNotContain("single-use-ticket-value");
  }

  @Test
  void onlyJsonAndTextAreFormats() {
    LogFormat.check(Map.of());
    LogFormat.check(Map.of("ARENA_LOG_FORMAT", "json"));
    LogFormat.check(Map.of("ARENA_LOG_FORMAT", "text"));
    assertThatThrownBy(() -> LogFormat.check(Map.of("ARENA_LOG_FORMAT", "JSON")))
        .hasMessage("ARENA_LOG_FORMAT must be json or text, was 'JSON'");
    assertThatThrownBy(() -> LogFormat.check(Map.of("ARENA_LOG_FORMAT", "")))
        .hasMessageContaining("ARENA_LOG_FORMAT");
  }

  private static String logWithTheNodesConfiguration(java.util.function.Consumer<Logger> body) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      context.putProperty("ARENA_LOG_FORMAT", "text"); // whatever the environment of the test says
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(TextLogFormatTest.class.getClassLoader().getResource("logback.xml"));
      body.accept(context.getLogger("arena.test"));
      context.stop(); // drains the async appender
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
