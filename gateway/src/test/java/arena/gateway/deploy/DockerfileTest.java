package arena.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import arena.gateway.NodeSettings;
import arena.gateway.deploy.Dockerfile.Instruction;
import arena.gateway.deploy.Dockerfile.Stage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** docker/Dockerfile and .dockerignore, read as text and checked against the build and the node. */
class DockerfileTest {

  private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S+)");

  @Test
  void buildsWithMavenOnJdk17AndRunsOnAJre17() {
    Dockerfile file = Dockerfile.read();
    assertThat(file.stages()).as("stages").hasSizeGreaterThanOrEqualTo(2);
    Stage build = file.stages().get(0);
    assertThat(build.image()).contains("maven").contains("17");
    assertThat(build.name()).isNotBlank();
    assertThat(file.runtime().image()).startsWith("eclipse-temurin:17").contains("jre");
  }

  @Test
  void resolvesDependenciesInALayerOfTheirOwnBeforeCopyingSources() {
    Stage build = Dockerfile.read().stages().get(0);
    List<Instruction> steps = build.instructions();
    int firstMaven = indexOf(steps, i -> i.keyword().equals("RUN") && i.arguments().contains("mvn"));
    assertThat(firstMaven).as("a RUN mvn in the build stage").isNotNegative();
    Set<String> copiedPoms = new TreeSet<>();
    for (int n = 0; n < steps.size(); n++) {
      Instruction step = steps.get(n);
      if (!step.keyword().equals("COPY")) {
        continue;
      }
      String source = step.arguments().split("\\s+")[0];
      if (source.endsWith("pom.xml")) {
        assertThat(n).as(step.arguments() + " before the dependency layer").isLessThan(firstMaven);
        copiedPoms.add(source);
      } else {
        assertThat(n).as(step.arguments() + " after the dependency layer").isGreaterThan(firstMaven);
      }
    }
    List<String> expected = new ArrayList<>(List.of("pom.xml"));
    modules().forEach(module -> expected.add(module + "/pom.xml"));
    assertThat(copiedPoms).as("every module's POM (Maven reads the whole reactor)").containsExactlyInAnyOrderElementsOf(expected);
    assertThat(steps.subList(firstMaven + 1, steps.size()))
        .as("a second mvn run builds the jar from the sources").anyMatch(i -> i.keyword().equals("RUN") && i.arguments().contains("mvn"));
  }

  @Test
  void runtimeHoldsTheNodesJarFromTheBuildStage() {
    Dockerfile file = Dockerfile.read();
    String build = file.stages().get(0).name();
    assertThat(file.runtime().all("COPY"))
        .anyMatch(c -> c.arguments().startsWith("--from=" + build + " ") && c.arguments().contains("gateway/target/arena-node.jar"));
    assertThat(Repository.read("gateway/pom.xml")).contains("<finalName>arena-node</finalName>");
  }

  @Test
  void runsAsANonRootNumericUser() {
    assertThat(runtimeUid()).isPositive();
  }

  @Test
  void exposesTheNodesThreePorts() {
    NodeSettings node = NodeContract.settings(NodeContract.defaults());
    Set<Integer> exposed = new TreeSet<>();
    for (Instruction expose : Dockerfile.read().runtime().all("EXPOSE")) {
      for (String port : expose.arguments().split("\\s+")) {
        exposed.add(Integer.parseInt(port.replace("/tcp", "")));
      }
    }
    assertThat(exposed).containsExactlyInAnyOrder(node.httpPort(), node.managementPort(), node.remotingPort());
  }

  @Test
  void healthcheckAsksAliveOnTheManagementPortWithoutCurl() throws IOException {
    Stage runtime = Dockerfile.read().runtime();
    Instruction check = runtime.last("HEALTHCHECK");
    assertThat(check).as("HEALTHCHECK").isNotNull();
    String cmd = check.arguments().substring(check.arguments().indexOf("CMD") + 3).strip();
    JsonNode command = new ObjectMapper().readTree(cmd);
    assertThat(command.isArray()).as("exec form: " + cmd).isTrue();
    String script = command.get(0).asText();
    assertThat(command.toString()).contains(NodeContract.livenessPath());
    assertThat(runtime.all("COPY")).as("the script is copied to " + script)
        .anyMatch(c -> c.arguments().contains("docker/arena-mgmt.sh") && c.arguments().endsWith(script));
    // The script asks the same address and port the node listens on, with the node's defaults.
    NodeSettings node = NodeContract.settings(NodeContract.defaults());
    String text = Repository.read("docker/arena-mgmt.sh");
    assertThat(text).contains("${ARENA_HOST:-" + node.host() + "}")
        .contains("${ARENA_MANAGEMENT_PORT:-" + node.managementPort() + "}");
    assertThat(text.lines().filter(l -> !l.strip().startsWith("#")))
        .as("commands of the script").noneMatch(l -> l.matches(".*\\b(curl|wget)\\b.*"));
  }

  @Test
  void entrypointIsExecFormSoTheJvmItselfReceivesSigterm() throws IOException {
    Instruction entrypoint = Dockerfile.read().runtime().last("ENTRYPOINT");
    JsonNode command = new ObjectMapper().readTree(entrypoint.arguments());
    assertThat(command.isArray()).isTrue();
    assertThat(command.get(0).asText()).isEqualTo("java");
    assertThat(command.toString()).contains("-jar").contains("arena-node.jar");
  }

  @Test
  void heapFollowsTheContainersMemoryLimit() {
    assertThat(env(Dockerfile.read().runtime())).extractingByKey("JAVA_TOOL_OPTIONS").asString()
        .contains("-XX:MaxRAMPercentage=").contains("-XX:+ExitOnOutOfMemoryError");
  }

  @Test
  void everyArenaVariableIsOneTheNodeReads() {
    Set<String> arena = new TreeSet<>(env(Dockerfile.read().runtime()).keySet());
    arena.removeIf(name -> !name.startsWith("ARENA_"));
    assertThat(NodeContract.environmentVariables()).containsAll(arena);
  }

  @Test
  void dockerignoreLeavesBuildOutputOutAndWhatTheBuildCopiesIn() {
    List<String> patterns = Repository.read(".dockerignore").lines()
        .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    assertThat(ignored(patterns, "gateway/target/arena-node.jar")).isTrue();
    assertThat(ignored(patterns, ".git/HEAD")).isTrue();
    for (Instruction copy : Dockerfile.read().stages().stream().flatMap(s -> s.all("COPY").stream()).toList()) {
      String[] words = copy.arguments().split("\\s+");
      if (copy.arguments().startsWith("--from=")) {
        continue;
      }
      for (int n = 0; n < words.length - 1; n++) {
        if (words[n].startsWith("--")) {
          continue;
        }
        Path source = Repository.path(words[n]);
        assertThat(source).as("COPY source " + words[n]).exists();
        for (String file : files(source)) {
          assertThat(ignored(patterns, file)).as(file + " is sent to the build").isFalse();
        }
      }
    }
  }

  /** The runtime stage's numeric user id (USER must be numeric for Kubernetes' runAsNonRoot check). */
  static long runtimeUid() {
    Instruction user = Dockerfile.read().runtime().last("USER");
    assertThat(user).as("USER in the runtime stage").isNotNull();
    String uid = user.arguments().split(":")[0];
    assertThat(uid).as("numeric USER").matches("[0-9]+");
    return Long.parseLong(uid);
  }

  /** The ENV settings of a stage. */
  static Map<String, String> env(Stage stage) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Instruction instruction : stage.all("ENV")) {
      Matcher m = ENV_PAIR.matcher(instruction.arguments());
      while (m.find()) {
        String value = m.group(2);
        env.put(m.group(1), value.startsWith("\"") ? value.substring(1, value.length() - 1) : value);
      }
    }
    return env;
  }

  static List<String> modules() {
    List<String> modules = new ArrayList<>();
    Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(Repository.read("pom.xml"));
    while (m.find()) {
      modules.add(m.group(1).strip());
    }
    return modules;
  }

  /** .dockerignore matching: a path is out when it or a folder above it matches; later lines win, ! re-includes. */
  static boolean ignored(List<String> patterns, String path) {
    boolean ignored = false;
    for (String line : patterns) {
      boolean negate = line.startsWith("!");
      String pattern = (negate ? line.substring(1) : line).replaceAll("^/+", "").replaceAll("/+$", "");
      if (matchesPathOrParent(pattern, path)) {
        ignored = !negate;
      }
    }
    return ignored;
  }

  private static boolean matchesPathOrParent(String pattern, String path) {
    List<String> globs = new ArrayList<>(List.of(pattern));
    if (pattern.startsWith("**/")) {
      globs.add(pattern.substring(3));
    }
    for (String glob : globs) {
      var matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
      for (Path p = Path.of(path); p != null; p = p.getParent()) {
        if (matcher.matches(p)) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<String> files(Path source) {
    if (Files.isRegularFile(source)) {
      return List.of(Repository.root().relativize(source).toString());
    }
    try (Stream<Path> walk = Files.walk(source)) {
      return walk.filter(Files::isRegularFile).map(p -> Repository.root().relativize(p).toString()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int indexOf(List<Instruction> steps, java.util.function.Predicate<Instruction> test) {
    for (int n = 0; n < steps.size(); n++) {
      if (test.test(steps.get(n))) {
        return n;
      }
    }
    return -1;
  }
}
