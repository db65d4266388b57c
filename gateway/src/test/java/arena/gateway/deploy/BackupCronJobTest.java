package arena.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The prod overlay's backup CronJob runs scripts/backup itself (the ConfigMap it mounts holds the
 * same bytes), against the database the nodes use (the same Secret keys), onto a volume the
 * overlay claims, one run at a time, in a pod the namespace's "restricted" policy admits; and
 * every image it runs, like the node's base images, is pinned by digest.
 */
class BackupCronJobTest {

  private static final String DIGEST = "@sha256:[0-9a-f]{64}$";

  private final Manifests prod = Kustomize.overlay("prod");

  private JsonNode cronJob() {
    return prod.get("CronJob", "arena-backup");
  }

  private JsonNode podSpec() {
    return cronJob().path("spec").path("jobTemplate").path("spec").path("template").path("spec");
  }

  private JsonNode container() {
    return podSpec().path("containers").get(0);
  }

  private JsonNode volume(String name) {
    for (JsonNode v : podSpec().path("volumes")) {
      if (v.path("name").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError("the backup pod has no volume " + name);
  }

  private String mountPath(String volume) {
    for (JsonNode m : container().path("volumeMounts")) {
      if (m.path("name").asText().equals(volume)) {
        return m.path("mountPath").asText();
      }
    }
    throw new AssertionError("the backup container does not mount " + volume);
  }

  @Test
  void runsTheRepositorysBackupScriptFromAConfigMap() {
    JsonNode configMap = prod.get("ConfigMap", volume("script").path("configMap").path("name").asText());
    assertThat(configMap.path("data").path("backup").asText())
        .as("k8s/overlays/prod/backup/backup is a copy of scripts/backup: copy it again after changing the script")
        .isEqualTo(Repository.read("scripts/backup"));
    StringBuilder command = new StringBuilder();
    container().path("command").forEach(word -> command.append(word.asText()).append(' '));
    container().path("args").forEach(word -> command.append(word.asText()).append(' '));
    assertThat(command).contains(mountPath("script") + "/backup ").contains(mountPath("backups") + "/arena-");
  }

  @Test
  void writesToAVolumeTheOverlayClaims() {
    String claim = volume("backups").path("persistentVolumeClaim").path("claimName").asText();
    JsonNode pvc = prod.get("PersistentVolumeClaim", claim);
    assertThat(pvc.path("spec").path("resources").path("requests").path("storage").asText()).isNotBlank();
  }

  @Test
  void findsTheDatabaseExactlyAsTheNodesDo() {
    Map<String, String> backup = secretRefs(container());
    Map<String, String> node = secretRefs(prod.container());
    for (String variable : new String[] {"ARENA_DB_URL", "ARENA_DB_USER", "ARENA_DB_PASSWORD"}) {
      assertThat(backup.get(variable)).as(variable).isNotNull().isEqualTo(node.get(variable));
    }
  }

  @Test
  void runsOneAtATimeOnASchedule() {
    JsonNode spec = cronJob().path("spec");
    assertThat(spec.path("schedule").asText()).matches("\\S+ \\S+ \\S+ \\S+ \\S+");
    assertThat(spec.path("concurrencyPolicy").asText()).isEqualTo("Forbid");
    assertThat(podSpec().path("restartPolicy").asText()).isEqualTo("Never");
  }

  @Test
  void meetsTheRestrictedPodSecurityStandard() {
    JsonNode pod = podSpec().path("securityContext");
    JsonNode c = container().path("securityContext");
    assertThat(pod.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.path("runAsUser").asInt()).isPositive();
    assertThat(pod.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
    assertThat(c.path("allowPrivilegeEscalation").isBoolean() && !c.path("allowPrivilegeEscalation").asBoolean()).isTrue();
    assertThat(c.path("capabilities").path("drop").toString()).contains("ALL");
    assertThat(podSpec().path("automountServiceAccountToken").asBoolean(true)).as("no API token for a database dump").isFalse();
  }

  @Test
  void imagesArePinnedByDigest() {
    assertThat(container().path("image").asText()).as("the backup image").matches("postgres:\\d+[^@]*" + DIGEST);
    Dockerfile dockerfile = Dockerfile.read();
    for (Dockerfile.Stage stage : dockerfile.stages()) {
      assertThat(stage.image()).as("FROM of stage " + stage.name()).matches("[^@]+" + DIGEST);
    }
  }

  /** Environment variables taken from Secrets: name -> "secret/key". */
  private static Map<String, String> secretRefs(JsonNode container) {
    Map<String, String> refs = new LinkedHashMap<>();
    for (JsonNode e : container.path("env")) {
      JsonNode ref = e.path("valueFrom").path("secretKeyRef");
      if (!ref.isMissingNode()) {
        refs.put(e.path("name").asText(), ref.path("name").asText() + "/" + ref.path("key").asText());
      }
    }
    return refs;
  }
}
