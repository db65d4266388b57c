package arena.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/** Several node processes that bootstrap one cluster, and what their management ports show. */
final class Cluster implements AutoCloseable {

  static final Duration FORM = Duration.ofSeconds(Long.getLong("arena.e2e.start-seconds", 90));
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  final List<NodeProcess> nodes = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final String contactPoints;
  private final int required;
  private final Map<String, String> extraEnv;
  /** The cluster's own empty database (see NodeProcess.freshPostgres), dropped on close. */
  private final Map<String, String> database;

  /** Plans {@code size} nodes whose contact points are each other's management ports. */
  Cluster(String name, int size) {
    this(name, size, Map.of());
  }

  /** As above, every node with these further environment variables. */
  Cluster(String name, int size, Map<String, String> extraEnv) {
    this.extraEnv = Map.copyOf(extraEnv);
    this.database = NodeProcess.freshPostgres(name);
    List<String> points = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      NodeProcess node = new NodeProcess(name + "-" + i, env(null, "1.0.0"));
      nodes.add(node);
      points.add("127.0.0.1:" + node.managementPort);
    }
    this.contactPoints = String.join(",", points);
    this.required = size;
    for (int i = 0; i < size; i++) {
      NodeProcess planned = nodes.get(i);
      nodes.set(i, new NodeProcess(planned.name, planned.httpPort, planned.managementPort, planned.remotingPort,
          env(contactPoints, "1.0.0")));
    }
  }

  private Map<String, String> env(String contacts, String version) {
    Map<String, String> env = new HashMap<>(database);
    if (contacts != null) {
      env.put("ARENA_CONTACT_POINTS", contacts);
      env.put("ARENA_REQUIRED_CONTACT_POINTS", String.valueOf(required));
    }
    env.put("ARENA_APP_VERSION", version);
    env.putAll(extraEnv);
    return env;
  }

  /**
   * Starts every planned node at the same moment. If one does not start, all are killed: the
   * caller's try-with-resources never got the cluster to close.
   */
  Cluster startAll() throws Exception {
    try {
      return startAllOrFail();
    } catch (Exception | AssertionError e) {
      close();
      throw e;
    }
  }

  private Cluster startAllOrFail() throws Exception {
    List<Thread> starting = new ArrayList<>();
    List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (NodeProcess node : nodes) {
      Thread t = new Thread(() -> {
        try {
          node.start();
        } catch (Exception e) {
          failures.add(e);
        }
      });
      t.start();
      starting.add(t);
    }
    for (Thread t : starting) {
      t.join();
    }
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
    for (NodeProcess node : nodes) {
      node.awaitReady(FORM);
    }
    return this;
  }

  /** A new node that joins the running cluster through its contact points, with this app version. */
  NodeProcess add(String name, String appVersion) throws Exception {
    NodeProcess node = new NodeProcess(name, env(contactPoints, appVersion)).start();
    nodes.add(node);
    node.awaitReady(FORM);
    return node;
  }

  static JsonNode get(int port, String path) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Api.JSON.readTree(response.body()) : null;
    } catch (Exception e) {
      return null;
    }
  }

  /** Addresses of the members {@code node} sees as Up. */
  static Set<String> upMembers(NodeProcess node) {
    JsonNode members = get(node.managementPort, "/cluster/members");
    Set<String> up = new TreeSet<>();
    if (members != null) {
      members.path("members").forEach(m -> {
        if (m.path("status").asText().equals("Up")) {
          up.add(m.path("node").asText());
        }
      });
    }
    return up;
  }

  /** The shards of game sessions that {@code node} hosts right now, or null when it does not answer. */
  static Set<String> shards(NodeProcess node) {
    JsonNode shards = get(node.managementPort, "/cluster/shards/game-session");
    if (shards == null) {
      return null;
    }
    Set<String> ids = new TreeSet<>();
    shards.path("regions").forEach(region -> ids.add(region.path("shardId").asText()));
    return ids;
  }

  /** The shard Pekko's default extractor gives a game (100 shards, see sharding.conf). */
  static String shardOf(String gameId) {
    return String.valueOf(Math.abs(gameId.hashCode() % 100));
  }

  static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " did not happen within " + timeout);
      }
      Thread.sleep(200);
    }
  }

  @Override
  public void close() throws Exception {
    for (NodeProcess node : nodes) {
      node.kill();
    }
    NodeProcess.dropDatabase(database);
  }
}
