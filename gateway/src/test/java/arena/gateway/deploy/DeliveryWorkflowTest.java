package arena.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The GitHub Actions workflows under .github/workflows: they parse, every {@code run:} step is one
 * call of a script in scripts/ (so any CI can run the same steps), those scripts exist, are
 * executable and parse as bash, and docs/operations.md ("Delivery pipeline") describes exactly
 * them. The delivery workflow builds and tests with the README's command, pushes an image tagged
 * by commit, and deploys to dev before prod, prod behind its own environment.
 */
class DeliveryWorkflowTest {

  private static final Pattern SCRIPT_CALL = Pattern.compile("^scripts/([A-Za-z0-9._-]+)(\\s.*)?$");
  private static final Pattern DOCUMENTED_SCRIPT = Pattern.compile("`scripts/([A-Za-z0-9._-]+)");

  static Map<String, JsonNode> workflows() {
    Path dir = Repository.path(".github/workflows");
    Map<String, JsonNode> found = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(".yml") || name.endsWith(".yaml")) {
          found.put(name, Kustomize.YAML.readTree(Files.readString(file)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir, e);
    }
    return found;
  }

  /** Every step of every job of a workflow, as "job: step". */
  static Map<String, JsonNode> steps(JsonNode workflow) {
    Map<String, JsonNode> steps = new LinkedHashMap<>();
    workflow.path("jobs").fields().forEachRemaining(job -> {
      int n = 0;
      for (JsonNode step : job.getValue().path("steps")) {
        steps.put(job.getKey() + ": " + step.path("name").asText("step " + n), step);
        n++;
      }
    });
    return steps;
  }

  /** The scripts the workflows' run steps call. */
  static Set<String> calledScripts() {
    Set<String> scripts = new LinkedHashSet<>();
    workflows().values().forEach(w -> steps(w).values().forEach(step -> {
      Matcher m = SCRIPT_CALL.matcher(step.path("run").asText("").strip());
      if (m.matches()) {
        scripts.add(m.group(1));
      }
    }));
    return scripts;
  }

  @Test
  void workflowsParseWithTriggersAndJobs() {
    Map<String, JsonNode> workflows = workflows();
    assertThat(workflows).as("workflows in .github/workflows").containsKey("delivery.yml");
    workflows.forEach((name, workflow) -> {
      // YAML 1.1 reads the key `on` as true; GitHub reads it as "on".
      assertThat(workflow.has("on") || workflow.has("true")).as(name + " has triggers").isTrue();
      assertThat(workflow.path("jobs").size()).as(name + " has jobs").isPositive();
      steps(workflow).forEach((step, node) -> assertThat(node.has("run") ^ node.has("uses"))
          .as(name + " " + step + " either runs a script or uses an action").isTrue());
    });
  }

  @Test
  void everyRunStepIsOneCallOfAScriptThatExists() {
    workflows().forEach((name, workflow) -> steps(workflow).forEach((step, node) -> {
      if (!node.has("run")) {
        return;
      }
      String run = node.path("run").asText().strip();
      // ${{ ... }} expressions are GitHub's, expanded before the shell sees the line.
      String shell = run.replaceAll("\\$\\{\\{.*?}}", "EXPR");
      assertThat(shell).as(name + " " + step + ": one command").doesNotContain("\n").doesNotContain("&&").doesNotContain(";").doesNotContain("|");
      Matcher m = SCRIPT_CALL.matcher(run);
      assertThat(m.matches()).as(name + " " + step + " calls a script in scripts/: " + run).isTrue();
      Path script = Repository.path("scripts/" + m.group(1));
      assertThat(script).as(name + " " + step).isRegularFile();
      assertThat(Files.isExecutable(script)).as(script + " is executable").isTrue();
    }));
  }

  @Test
  void everyCalledScriptParsesAsBash() throws Exception {
    for (String script : calledScripts()) {
      Process bash = new ProcessBuilder("bash", "-n", Repository.path("scripts/" + script).toString())
          .redirectErrorStream(true).start();
      assertThat(bash.waitFor(30, TimeUnit.SECONDS)).as("bash -n " + script + " finishes").isTrue();
      assertThat(bash.exitValue()).as("bash -n scripts/" + script + ": " + new String(bash.getInputStream().readAllBytes())).isZero();
    }
  }

  @Test
  void theDeliveryPipelineSectionDescribesExactlyTheScriptsTheWorkflowsCall() {
    String section = deliveryPipelineSection();
    Set<String> documented = new LinkedHashSet<>();
    Matcher m = DOCUMENTED_SCRIPT.matcher(section);
    while (m.find()) {
      documented.add(m.group(1));
    }
    assertThat(documented).as("scripts named in docs/operations.md, Delivery pipeline")
        .containsAll(calledScripts());
    for (String script : documented) {
      assertThat(Repository.path("scripts/" + script)).as("docs/operations.md names scripts/" + script).isRegularFile();
    }
    assertThat(section).contains(".github/workflows/delivery.yml");
  }

  @Test
  void deliveryBuildsWithTheReadmesCommandThenShipsTheImageToDevBeforeProd() {
    JsonNode workflow = workflows().get("delivery.yml");
    JsonNode jobs = workflow.path("jobs");
    String readme = Repository.read("README.md");
    assertThat(readme).contains("scripts/test.sh");
    assertThat(runs(jobs.path("build"))).contains("scripts/test.sh").anyMatch(r -> r.startsWith("scripts/sbom-scan"));
    assertThat(runs(jobs.path("image"))).anyMatch(r -> r.startsWith("scripts/image-push") && r.contains("github.sha"));
    assertThat(needs(jobs.path("image"))).contains("build");

    assertThat(runs(jobs.path("deploy-dev"))).anyMatch(r -> r.startsWith("scripts/deploy dev "));
    assertThat(runs(jobs.path("deploy-prod"))).anyMatch(r -> r.startsWith("scripts/deploy prod "));
    assertThat(needs(jobs.path("deploy-dev"))).contains("image");
    assertThat(needs(jobs.path("deploy-prod"))).as("prod only after dev").contains("deploy-dev");
    assertThat(environment(jobs.path("deploy-dev"))).isEqualTo("dev");
    assertThat(environment(jobs.path("deploy-prod"))).as("prod's environment holds the required reviewers").isEqualTo("prod");
    // Pull requests build and scan; only main ships (the deploy jobs need the image job).
    assertThat(jobs.path("image").path("if").asText()).contains("refs/heads/main");
  }

  @Test
  void deployIsGivenTheImageByDigestThatImagePushPrinted() {
    JsonNode jobs = workflows().get("delivery.yml").path("jobs");
    assertThat(jobs.path("image").path("outputs").path("image").asText()).contains("steps.push.outputs.image");
    assertThat(runs(jobs.path("deploy-prod"))).anyMatch(r -> r.contains("needs.image.outputs.image"));
    assertThat(Repository.read("scripts/image-push")).contains("GITHUB_OUTPUT").contains("@$digest");
  }

  private static List<String> runs(JsonNode job) {
    List<String> runs = new ArrayList<>();
    job.path("steps").forEach(s -> {
      if (s.has("run")) {
        runs.add(s.path("run").asText().strip());
      }
    });
    return runs;
  }

  private static List<String> needs(JsonNode job) {
    JsonNode needs = job.path("needs");
    List<String> names = new ArrayList<>();
    if (needs.isTextual()) {
      names.add(needs.asText());
    }
    needs.forEach(n -> names.add(n.asText()));
    return names;
  }

  private static String environment(JsonNode job) {
    JsonNode env = job.path("environment");
    return env.isTextual() ? env.asText() : env.path("name").asText();
  }

  /** docs/operations.md from the heading "Delivery pipeline" to the next heading of its level. */
  static String deliveryPipelineSection() {
    String docs = Repository.read("docs/operations.md");
    int start = docs.indexOf("\n## Delivery pipeline");
    assertThat(start).as("docs/operations.md has a section \"## Delivery pipeline\"").isNotNegative();
    int end = docs.indexOf("\n## ", start + 1);
    return end < 0 ? docs.substring(start) : docs.substring(start, end);
  }
}
