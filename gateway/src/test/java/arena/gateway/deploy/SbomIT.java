package arena.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SBOM that {@code mvn package} writes (cyclonedx-maven-plugin, bound in gateway/pom.xml) and
 * scripts/sbom-scan scans: CycloneDX JSON describing the node with every library that goes into
 * arena-node.jar, each with a version and a package URL, and none that only the tests use.
 * (The plugin needs Maven online, as scripts/test.sh runs it; an offline build skips it.)
 */
class SbomIT {

  @Test
  void packageWritesACycloneDxSbomOfEveryLibraryInTheNodesJar() throws Exception {
    Path bom = Repository.path("gateway/target/bom.json");
    assertThat(bom).as("the SBOM; `mvn package` writes it when Maven is online (scripts/test.sh)").isRegularFile();
    JsonNode sbom = new ObjectMapper().readTree(Files.readString(bom));
    assertThat(sbom.path("bomFormat").asText()).isEqualTo("CycloneDX");
    assertThat(sbom.path("metadata").path("component").path("name").asText()).isEqualTo("gateway");
    List<String> purls = new ArrayList<>();
    for (JsonNode component : sbom.path("components")) {
      assertThat(component.path("version").asText()).as("version of %s", component.path("name").asText()).isNotBlank();
      purls.add(component.path("purl").asText());
    }
    assertThat(purls).anyMatch(p -> p.startsWith("pkg:maven/dev.arena/persistence@"))
        .anyMatch(p -> p.startsWith("pkg:maven/dev.arena/game-actors@"))
        .anyMatch(p -> p.startsWith("pkg:maven/org.apache.pekko/pekko-cluster-sharding-typed_2.13@"))
        .anyMatch(p -> p.startsWith("pkg:maven/org.postgresql/postgresql@"))
        .anyMatch(p -> p.startsWith("pkg:maven/ch.qos.logback/logback-classic@"))
        .noneMatch(p -> p.startsWith("pkg:maven/org.junit"))
        .noneMatch(p -> p.startsWith("pkg:maven/org.assertj"));
  }
}
