package arena.loadtest.rehearsal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Watches the cluster from outside, once a second per node, as an SRE's dashboard would, and routes
 * players as a Kubernetes Service does (to nodes whose {@code /ready} answers 200):
 * <ul>
 *   <li>every node's {@code /ready} (a node leaves the routing set the moment it answers 503 or
 *       nothing);</li>
 *   <li>every node's {@code /cluster/shards/game-session}: which node hosts which shard; a shard
 *       seen on another node than before is a shard move;</li>
 *   <li>the members' {@code oldest}: the node that hosts the shard coordinator and the singletons
 *       (lobby, matchmaker, leaderboard, wake-ups); every change is a coordinator move.</li>
 * </ul>
 */
final class Watch implements Load.Router {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Every node ever started, in start order; the index is the router's node number. */
  final List<NodeProc> nodes = new CopyOnWriteArrayList<>();
  private final Rehearsal run;
  final Map<String, String> shardOwner = new TreeMap<>();
  final Map<String, Integer> shardMoves = new TreeMap<>();
  final List<String> oldestChanges = new ArrayList<>();
  private String oldest;
  private volatile boolean stopped;
  private Thread thread;

  Watch(Rehearsal run) {
    this.run = run;
  }

  void start() {
    thread = new Thread(this::loop, "watch");
    thread.setDaemon(true);
    thread.start();
  }

  void stop() {
    stopped = true;
  }

  private void loop() {
    while (!stopped) {
      long began = System.currentTimeMillis();
      try {
        poll();
      } catch (RuntimeException e) {
        run.say("watch: " + e);
      }
      long left = 500 - (System.currentTimeMillis() - began);
      if (left > 0) {
        try {
          Thread.sleep(left);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private void poll() {
    Map<String, String> seen = new HashMap<>();
    String newOldest = null;
    for (NodeProc n : nodes) {
      if (!n.alive()) {
        n.routable = false;
        continue;
      }
      n.routable = !n.stopping && n.status("/ready") == 200;
      String shards = n.get("/cluster/shards/game-session");
      if (shards != null) {
        try {
          for (JsonNode r : JSON.readTree(shards).path("regions")) {
            seen.put(r.path("shardId").asText(), n.name);
          }
        } catch (Exception e) {
          // a node stopping may answer half a body
        }
      }
      if (newOldest == null && n.routable) {
        String members = n.get("/cluster/members");
        if (members != null) {
          try {
            JsonNode m = JSON.readTree(members);
            newOldest = m.path("oldest").asText(null);
          } catch (Exception e) {
            // ignore
          }
        }
      }
    }
    synchronized (this) {
      seen.forEach((shard, node) -> {
        String before = shardOwner.put(shard, node);
        if (before != null && !before.equals(node)) {
          shardMoves.merge(shard, 1, Integer::sum);
        }
      });
      if (newOldest != null && !newOldest.equals(oldest)) {
        String who = nodeNameOf(newOldest);
        if (oldest != null) {
          oldestChanges.add(run.clock() + " oldest member: " + nodeNameOf(oldest) + " -> " + who);
          run.step("the oldest member (shard coordinator, singletons) is now " + who);
        }
        oldest = newOldest;
      }
    }
  }

  /** The node name of a Pekko address such as {@code pekko://arena@127.0.0.1:34567}. */
  String nodeNameOf(String address) {
    for (NodeProc n : nodes) {
      if (address.endsWith("@" + n.host + ":" + n.remotingPort)) {
        return n.name;
      }
    }
    return address;
  }

  synchronized String oldestName() {
    return oldest == null ? null : nodeNameOf(oldest);
  }

  synchronized Map<String, Integer> shardMovesCopy() {
    Map<String, Integer> all = new TreeMap<>();
    shardOwner.keySet().forEach(s -> all.put(s, shardMoves.getOrDefault(s, 0)));
    return all;
  }

  synchronized List<String> oldestChangesCopy() {
    return new ArrayList<>(oldestChanges);
  }

  @Override
  public int pick(int avoid) {
    List<Integer> ready = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      NodeProc n = nodes.get(i);
      if (n.routable && !n.stopping && i != avoid) {
        ready.add(i);
      }
    }
    if (ready.isEmpty()) {
      if (avoid >= 0 && avoid < nodes.size() && nodes.get(avoid).routable && !nodes.get(avoid).stopping) {
        return avoid;
      }
      return -1;
    }
    return ready.get(ThreadLocalRandom.current().nextInt(ready.size()));
  }

  @Override
  public String baseUrl(int node) {
    return nodes.get(node).baseUrl();
  }

  @Override
  public String name(int node) {
    return nodes.get(node).name;
  }
}
