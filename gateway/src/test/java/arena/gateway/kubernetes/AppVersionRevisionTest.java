package arena.gateway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import arena.gateway.kubernetes.FakeApiServer.Request;
import arena.gateway.kubernetes.FakeApiServer.Response;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.util.Version;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The app version from pod → owning ReplicaSet → revision annotation, against a fake API server. */
class AppVersionRevisionTest {

  private static final String REPLICA_SET = "arena-7d9f8c6b5";
  private static final String REPLICA_SET_PATH =
      "/apis/apps/v1/namespaces/" + FakeApiServer.NAMESPACE + "/replicasets/" + REPLICA_SET;
  private static final Map<String, String> NO_ENV = Map.of();

  @TempDir
  Path folder;
  private FakeApiServer api;

  @BeforeEach
  void start() throws Exception {
    api = FakeApiServer.start(folder);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void derivesTheVersionFromTheRevisionOfTheOwningReplicaSet() throws Exception {
    api.answerNext(Response.ok(pod(REPLICA_SET)));
    api.answerNext(Response.ok(replicaSet("12")));

    assertThat(AppVersionRevision.derive(api.config(), NO_ENV)).contains("12");

    Request getPod = api.take();
    assertThat(getPod.method()).isEqualTo("GET");
    assertThat(getPod.path()).isEqualTo(FakeApiServer.POD_PATH);
    assertThat(getPod.header("Authorization")).isEqualTo("Bearer " + FakeApiServer.TOKEN);
    Request getReplicaSet = api.take();
    assertThat(getReplicaSet.method()).isEqualTo("GET");
    assertThat(getReplicaSet.path()).isEqualTo(REPLICA_SET_PATH);
    assertThat(getReplicaSet.header("Authorization")).isEqualTo("Bearer " + FakeApiServer.TOKEN);
  }

  @Test
  void setsBothTheArenaAndThePekkoAppVersion() {
    api.answerNext(Response.ok(pod(REPLICA_SET)));
    api.answerNext(Response.ok(replicaSet("7")));
    Config config = ConfigFactory.parseString("""
        arena.app-version = "1.0.0"
        pekko.cluster.app-version = "1.0.0"
        """).withFallback(api.config());

    Config derived = AppVersionRevision.withDerivedVersion(config, NO_ENV);

    assertThat(derived.getString("arena.app-version")).isEqualTo("7");
    assertThat(derived.getString("pekko.cluster.app-version")).isEqualTo("7");
  }

  @Test
  void anExplicitAppVersionWinsAndNothingIsAsked() throws Exception {
    Config config = ConfigFactory.parseString("arena.app-version = \"2.0.0\"").withFallback(api.config());

    assertThat(AppVersionRevision.derive(config, Map.of("ARENA_APP_VERSION", "2.0.0"))).isEmpty();
    assertThat(AppVersionRevision.withDerivedVersion(config, Map.of("ARENA_APP_VERSION", "2.0.0"))).isSameAs(config);
    api.assertNoRequestWithin(Duration.ofMillis(100));
  }

  @Test
  void outsideKubernetesNothingIsAsked() throws Exception {
    Config config = ConfigFactory.parseString("arena.discovery = config").withFallback(api.config());

    assertThat(AppVersionRevision.derive(config, NO_ENV)).isEmpty();
    api.assertNoRequestWithin(Duration.ofMillis(100));
  }

  @Test
  void aPodWithoutAReplicaSetOwnerStopsStartUpWithoutRetrying() throws Exception {
    api.answerNext(Response.ok("""
        {"kind":"Pod","metadata":{"name":"%s","ownerReferences":[
          {"apiVersion":"apps/v1","kind":"StatefulSet","name":"arena","controller":true}]}}
        """.formatted(FakeApiServer.POD)));

    assertThatThrownBy(() -> AppVersionRevision.derive(api.config(), NO_ENV))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no ownerReference of kind ReplicaSet")
        .hasMessageContaining("ARENA_APP_VERSION");
    api.take();
    api.assertNoRequestWithin(Duration.ofMillis(100));
  }

  @Test
  void aReplicaSetWithoutTheRevisionAnnotationStopsStartUp() throws Exception {
    api.answerNext(Response.ok(pod(REPLICA_SET)));
    api.answerNext(Response.ok("""
        {"kind":"ReplicaSet","metadata":{"name":"%s","annotations":{"deployment.kubernetes.io/desired-replicas":"3"}}}
        """.formatted(REPLICA_SET)));

    assertThatThrownBy(() -> AppVersionRevision.derive(api.config(), NO_ENV))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has no annotation deployment.kubernetes.io/revision");
    api.take();
    api.take();
    api.assertNoRequestWithin(Duration.ofMillis(100));
  }

  @Test
  void aRevisionThatIsNotAWholeNumberStopsStartUp() {
    api.answerNext(Response.ok(pod(REPLICA_SET)));
    api.answerNext(Response.ok(replicaSet("twelve")));

    assertThatThrownBy(() -> AppVersionRevision.derive(api.config(), NO_ENV))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("deployment.kubernetes.io/revision");
  }

  @Test
  void forbiddenStopsStartUpAtOnceNamingTheRbacItNeeds() throws Exception {
    api.answerNext(Response.status(403, "pods is forbidden: User cannot get resource pods"));

    assertThatThrownBy(() -> AppVersionRevision.derive(api.config(), NO_ENV))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("403")
        .hasMessageContaining("pods is forbidden")
        .hasMessageContaining("RBAC");
    api.take();
    api.assertNoRequestWithin(Duration.ofMillis(100));
  }

  @Test
  void retriesServerErrorsThenDerives() throws Exception {
    api.answerNext(Response.status(500, "etcdserver: request timed out"));
    api.answerNext(Response.ok(pod(REPLICA_SET)));
    api.answerNext(Response.status(429, "too many requests"));
    api.answerNext(Response.ok(pod(REPLICA_SET)));
    api.answerNext(Response.ok(replicaSet("3")));

    assertThat(AppVersionRevision.derive(api.config(), NO_ENV)).contains("3");
    assertThat(List.of(api.take().path(), api.take().path(), api.take().path(), api.take().path(), api.take().path()))
        .containsExactly(FakeApiServer.POD_PATH, FakeApiServer.POD_PATH, REPLICA_SET_PATH, FakeApiServer.POD_PATH,
            REPLICA_SET_PATH);
  }

  @Test
  void givesUpAfterTheBoundedAttempts() throws Exception {
    api.otherwise(request -> Response.status(503, "unavailable"));

    assertThatThrownBy(() -> AppVersionRevision.derive(api.config(), NO_ENV))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("503")
        .hasMessageContaining("after 3 attempts");
    for (int attempt = 1; attempt <= 3; attempt++) { // max-attempts = 3 in the test config
      api.take();
    }
    api.assertNoRequestWithin(Duration.ofMillis(100));
  }

  @Test
  void anApiServerThatDoesNotAnswerStopsStartUpAfterTheBoundedAttempts() {
    Config config = api.config();
    api.close();

    assertThatThrownBy(() -> AppVersionRevision.derive(config, NO_ENV))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("after 3 attempts");
  }

  @Test
  void revisionsOrderNumericallyAsPekkoVersions() {
    assertThat(new Version("10")).isGreaterThan(new Version("9"));
    assertThat(new Version("12")).isGreaterThan(new Version("9"));
    assertThat(new Version("100")).isGreaterThan(new Version("99"));
    assertThat(new Version("2")).isGreaterThan(new Version("1"));
    assertThat(new Version("10").compareTo(new Version("10"))).isZero();
    // what a string comparison would get wrong
    assertThat("10".compareTo("9")).isNegative();
  }

  @Test
  void aDerivedRevisionOrdersAboveTheOneBeforeIt() {
    api.answerNext(Response.ok(pod(REPLICA_SET)));
    api.answerNext(Response.ok(replicaSet("9")));
    api.answerNext(Response.ok(pod(REPLICA_SET)));
    api.answerNext(Response.ok(replicaSet("10")));

    Version before = new Version(AppVersionRevision.derive(api.config(), NO_ENV).orElseThrow());
    Version after = new Version(AppVersionRevision.derive(api.config(), NO_ENV).orElseThrow());

    assertThat(after).isGreaterThan(before);
  }

  @Test
  void picksTheControllingReplicaSetAmongOwners() {
    assertThat(AppVersionRevision.owningReplicaSet(json("""
        {"metadata":{"ownerReferences":[
          {"kind":"ReplicaSet","name":"other"},
          {"kind":"ReplicaSet","name":"arena-abc","controller":true}]}}
        """))).contains("arena-abc");
    assertThat(AppVersionRevision.owningReplicaSet(json("{\"metadata\":{}}"))).isEmpty();
    assertThat(AppVersionRevision.owningReplicaSet(json("""
        {"metadata":{"ownerReferences":[{"kind":"ReplicaSet","name":"../../secrets"}]}}
        """))).isEmpty();
  }

  private static String pod(String replicaSet) {
    return """
        {"kind":"Pod","apiVersion":"v1","metadata":{"name":"%s","namespace":"%s","ownerReferences":[
          {"apiVersion":"apps/v1","kind":"ReplicaSet","name":"%s","uid":"5c1f","controller":true,"blockOwnerDeletion":true}]},
         "spec":{},"status":{"phase":"Running"}}
        """.formatted(FakeApiServer.POD, FakeApiServer.NAMESPACE, replicaSet);
  }

  private static String replicaSet(String revision) {
    return """
        {"kind":"ReplicaSet","apiVersion":"apps/v1","metadata":{"name":"%s","namespace":"%s","annotations":{
          "deployment.kubernetes.io/desired-replicas":"3","deployment.kubernetes.io/max-replicas":"4",
          "deployment.kubernetes.io/revision":"%s"}}}
        """.formatted(REPLICA_SET, FakeApiServer.NAMESPACE, revision);
  }

  private static com.fasterxml.jackson.databind.JsonNode json(String text) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
