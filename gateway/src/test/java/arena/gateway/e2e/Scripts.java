package arena.gateway.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the repository's scripts/ as an operator or a CI job would, with a bound on the time. */
final class Scripts {

  /** What a script printed (stdout and stderr together) and how it exited. */
  record Run(int exitCode, String output) {}

  private Scripts() {}

  /** The project root: the first folder above the working directory that holds scripts/ and gateway/. */
  static Path root() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("scripts")) && Files.isRegularFile(dir.resolve("gateway/pom.xml"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no project root above " + Path.of("").toAbsolutePath());
  }

  /** Runs {@code scripts/<name> args...} with these environment variables added; fails after {@code limit}. */
  static Run run(Duration limit, Map<String, String> env, String name, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(root().resolve("scripts").resolve(name).toString());
    command.addAll(List.of(args));
    Path output = Files.createTempFile("arena-script-" + name, ".log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(root().toFile())
        .redirectErrorStream(true).redirectOutput(output.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().putAll(env);
    Process process = builder.start();
    try {
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError("scripts/" + name + " did not finish within " + limit + "; it printed:\n"
            + Files.readString(output, StandardCharsets.UTF_8));
      }
      return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
