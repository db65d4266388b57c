package arena.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code perft <game> <depth>}: the count alone on stdout's last line, exit 2 on a usage error. */
class RulesCliTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @ParameterizedTest(name = "perft {0} {1} prints {2}")
  @CsvSource({
      "tictactoe, 2, 72",
      "connect4, 3, 343",
      "checkers, 4, 1469",
      "checkers, 0, 1",
  })
  void perftPrintsTheCountAsABareNumberOnTheLastLine(String game, String depth, String count) {
    int status = run("perft", game, depth);

    assertThat(status).isZero();
    assertThat(lastLine(stdout())).isEqualTo(count);
  }

  @Test
  void timingGoesToStderrSoThatStdoutCanBePiped() {
    run("perft", "tictactoe", "3");

    assertThat(stdout()).isEqualTo("504" + System.lineSeparator());
    assertThat(stderr()).contains("perft tictactoe 3");
  }

  @Test
  void missingArgumentsAreAUsageError() {
    assertThat(run()).isEqualTo(2);
    assertThat(run("perft")).isEqualTo(2);
    assertThat(run("perft", "tictactoe")).isEqualTo(2);
    assertThat(stdout()).isEmpty();
    assertThat(stderr()).contains("usage: perft <game> <depth>").contains("tictactoe, connect4, checkers");
  }

  @Test
  void extraArgumentsAreAUsageError() {
    assertThat(run("perft", "tictactoe", "2", "3")).isEqualTo(2);
    assertThat(stdout()).isEmpty();
  }

  @Test
  void unknownCommandIsAUsageError() {
    assertThat(run("count", "tictactoe", "2")).isEqualTo(2);
    assertThat(stdout()).isEmpty();
  }

  @Test
  void unknownGameIsAUsageError() {
    assertThat(run("perft", "chess", "2")).isEqualTo(2);
    assertThat(stdout()).isEmpty();
    assertThat(stderr()).contains("unknown game 'chess'");
  }

  @Test
  void depthThatIsNotAWholeNumberOfZeroOrMoreIsAUsageError() {
    for (String depth : new String[] {"-1", "two", "1.5", "", "99999999999"}) {
      assertThat(run("perft", "tictactoe", depth)).as("depth '%s'", depth).isEqualTo(2);
    }
    assertThat(stdout()).isEmpty();
  }

  private int run(String... args) {
    return RulesCli.run(args, stream(out), stream(err));
  }

  private static PrintStream stream(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\\R");
    return lines[lines.length - 1];
  }
}
