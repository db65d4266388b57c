package arena.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * scripts/deploy's decisions, with kubectl and kustomize replaced by recording stand-ins (there is
 * no cluster here) and the real scripts/smoke-test: it sets the image by digest, applies, waits for
 * the rollout, smoke-tests, and rolls back to the revision it found, exactly when the rollout or the
 * smoke test fails and the apply changed something.
 */
class DeployScriptIT {

  private static final String IMAGE = "registry.example.com:5000/arena/arena:3f2c1a9@sha256:" + "ab".repeat(32);

  /** A kubectl that answers the revision from a file, bumps it on apply, and fails rollout status when told to. */
  private static final String KUBECTL = """
      #!/usr/bin/env bash
      echo "kubectl $*" >> "$FAKE_LOG"
      case "$*" in
        *"get deploy/arena -o jsonpath="*) cat "$FAKE_DIR/revision" ;;
        "apply -k "*) [ "$FAKE_APPLY_CHANGES" = yes ] && echo 5 > "$FAKE_DIR/revision"; true ;;
        *"rollout status"*) [ -f "$FAKE_DIR/undone" ] && exit 0; exit "$FAKE_ROLLOUT_EXIT" ;;
        *"rollout undo"*) touch "$FAKE_DIR/undone" ;;
      esac
      """;

  private static final String KUSTOMIZE = """
      #!/usr/bin/env bash
      echo "kustomize $* (in $(basename "$PWD"))" >> "$FAKE_LOG"
      """;

  record Result(int exitCode, String output, List<String> calls) {}

  private static Result deploy(boolean rolloutSucceeds, boolean applyChangesTemplate) throws Exception {
    Path dir = Files.createTempDirectory("arena-deploy-test");
    try {
      Path bin = Files.createDirectories(dir.resolve("bin"));
      executable(bin.resolve("kubectl"), KUBECTL);
      executable(bin.resolve("kustomize"), KUSTOMIZE);
      Files.writeString(dir.resolve("revision"), "4\n");
      Path log = dir.resolve("calls.log");
      Files.writeString(log, "");
      ProcessBuilder builder = new ProcessBuilder(Repository.path("scripts/deploy").toString(), "prod", IMAGE,
          "http://127.0.0.1:" + freePort())
          .directory(Repository.root().toFile()).redirectErrorStream(true);
      builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
      builder.environment().put("FAKE_DIR", dir.toString());
      builder.environment().put("FAKE_LOG", log.toString());
      builder.environment().put("FAKE_ROLLOUT_EXIT", rolloutSucceeds ? "0" : "1");
      builder.environment().put("FAKE_APPLY_CHANGES", applyChangesTemplate ? "yes" : "no");
      builder.environment().remove("KUBE_CONFIG_DATA");
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("scripts/deploy finishes").isTrue();
      return new Result(process.exitValue(), output, Files.readAllLines(log));
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void aFailedRolloutIsRolledBackToTheRevisionBeforeWithoutASmokeTest() throws Exception {
    Result r = deploy(false, true);
    assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
    assertThat(r.calls()).as(r.output())
        .contains("kustomize edit set image arena=registry.example.com:5000/arena/arena@sha256:" + "ab".repeat(32) + " (in prod)")
        .contains("kubectl apply -k k8s/overlays/prod")
        .contains("kubectl -n arena rollout undo deploy/arena --to-revision=4");
    assertThat(r.output()).contains("the rollout did not complete").doesNotContain("smoke-test:");
  }

  @Test
  void aFailedSmokeTestIsRolledBack() throws Exception {
    Result r = deploy(true, true);
    assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
    assertThat(r.output()).contains("FAIL  the node answers GET /health").contains("the smoke test failed");
    assertThat(r.calls()).as(r.output()).contains("kubectl -n arena rollout undo deploy/arena --to-revision=4");
  }

  @Test
  void nothingIsRolledBackWhenTheApplyChangedNothing() throws Exception {
    Result r = deploy(true, false);
    assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
    assertThat(r.calls()).as(r.output()).noneMatch(c -> c.contains("rollout undo"));
    assertThat(r.output()).contains("nothing to roll back");
  }

  @Test
  void refusesAWrongCommandLine() throws Exception {
    Process p = new ProcessBuilder(Repository.path("scripts/deploy").toString(), "prod").redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(output).contains("usage: scripts/deploy OVERLAY IMAGE URL");
  }

  private static void executable(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
