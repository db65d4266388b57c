package arena.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * scripts/smoke-test, the delivery pipeline's last gate, run as the pipeline runs it: against a
 * real node's public URL it passes, and against a URL where no Arena answers it fails.
 */
class SmokeTestIT {

  private static final Duration LIMIT = Duration.ofSeconds(120);

  @Test
  void smokeTestPassesAgainstARunningNodeAndSaysWhatItChecked() throws Exception {
    try (NodeProcess node = new NodeProcess("smoke-test", NodeProcess.postgres()).start()) {
      node.awaitReady(Duration.ofSeconds(60));
      Scripts.Run run = Scripts.run(LIMIT, Map.of(), "smoke-test", node.baseUrl());
      assertThat(run.exitCode()).as("exit code; it printed:\n%s", run.output()).isZero();
      assertThat(run.output())
          .contains("ok    two players register")
          .contains("ok    both players connect over WebSocket")
          .contains("ok    they play five moves, each acknowledged")
          .contains("ok    GET /events returns the whole game in order")
          .contains("ok    the leaderboard shows the win")
          .contains("smoke-test: PASS")
          .doesNotContain("FAIL");
    }
  }

  @Test
  void smokeTestFailsWhenNoArenaAnswers() throws Exception {
    String nowhere = "http://127.0.0.1:" + NodeProcess.freePort();
    Scripts.Run run = Scripts.run(LIMIT, Map.of(), "smoke-test", nowhere);
    assertThat(run.exitCode()).as("exit code; it printed:\n%s", run.output()).isEqualTo(1);
    assertThat(run.output()).contains("FAIL  the node answers GET /health").contains("smoke-test: FAILED");
  }

  @Test
  void smokeTestRefusesAMissingUrl() throws Exception {
    Scripts.Run run = Scripts.run(LIMIT, Map.of(), "smoke-test");
    assertThat(run.exitCode()).as("exit code; it printed:\n%s", run.output()).isEqualTo(2);
    assertThat(run.output()).contains("usage: scripts/smoke-test URL");
  }
}
