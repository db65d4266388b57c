package arena.gateway.deploy;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Renders a kustomization with {@code kubectl kustomize}, as {@code kubectl apply -k} would, and
 * parses the result. The kubectl used is {@code $KUBECTL}, else {@code kubectl} on the PATH
 * (scripts/test.sh installs Debian's when there is none).
 */
final class Kustomize {

  static final YAMLMapper YAML = new YAMLMapper();

  private static final Map<String, Manifests> RENDERED = new ConcurrentHashMap<>();

  private Kustomize() {}

  /** The overlays under k8s/overlays, by folder name. */
  static List<String> overlays() {
    try (Stream<Path> dirs = Files.list(Repository.path("k8s/overlays"))) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml")))
          .map(d -> d.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Manifests overlay(String name) {
    return render("k8s/overlays/" + name);
  }

  /** The objects of one kustomization folder (relative to the project root), rendered once per run. */
  static Manifests render(String folder) {
    return RENDERED.computeIfAbsent(folder, f -> new Manifests(f, parse(run(f))));
  }

  private static String run(String folder) {
    String kubectl = System.getenv().getOrDefault("KUBECTL", "kubectl");
    Process process;
    try {
      process = new ProcessBuilder(kubectl, "kustomize", Repository.path(folder).toString())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
    } catch (IOException e) {
      throw new AssertionError("kubectl is needed to render " + folder + " but '" + kubectl
          + "' cannot be started (" + e.getMessage() + "). scripts/test.sh installs Debian's kubectl "
          + "(apt-get install kubernetes-client); or point KUBECTL at one.", e);
    }
    CompletableFuture<String> out = readAsync(process.getInputStream());
    CompletableFuture<String> err = readAsync(process.getErrorStream());
    try {
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail(kubectl + " kustomize " + folder + " did not finish within 120 s");
      }
      if (process.exitValue() != 0) {
        fail(kubectl + " kustomize " + folder + " failed with exit code " + process.exitValue() + ":\n" + err.join());
      }
      return out.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while rendering " + folder, e);
    }
  }

  private static CompletableFuture<String> readAsync(java.io.InputStream stream) {
    return CompletableFuture.supplyAsync(() -> {
      try (stream) {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  static List<JsonNode> parse(String yaml) {
    List<JsonNode> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc != null && doc.isObject() && doc.size() > 0) {
          objects.add(doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse rendered YAML", e);
    }
    return objects;
  }
}
