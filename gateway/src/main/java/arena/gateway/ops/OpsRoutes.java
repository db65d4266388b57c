package arena.gateway.ops;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import arena.gateway.protocol.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.javadsl.ManagementRouteProvider;
import org.apache.pekko.management.javadsl.ManagementRouteProviderSettings;

/**
 * Arena's own operator routes on the management port: {@code /arena/node} (this node at a glance)
 * and {@code /metrics} (Prometheus text format). Registered with Pekko Management in cluster.conf.
 */
public final class OpsRoutes implements ManagementRouteProvider {

  private final ExtendedActorSystem system;

  public OpsRoutes(ExtendedActorSystem system) {
    this.system = system;
  }

  @Override
  public Route routes(ManagementRouteProviderSettings settings) {
    NodeState state = NodeState.get(Adapter.toTyped(system));
    return concat(
        path(segment("arena").slash("node"), () -> get(() -> complete(json(node(state))))),
        path("metrics", () -> get(() -> complete(HttpResponse.create().withStatus(StatusCodes.OK)
            .withEntity(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, metrics(state)))))));
  }

  private static String metrics(NodeState state) {
    NodeMetrics metrics = state.metrics();
    return metrics == null ? "" : metrics.scrape();
  }

  private Map<String, Object> node(NodeState state) {
    Cluster cluster = Cluster.get(system);
    NodeMetrics metrics = state.metrics();
    Map<String, Object> node = new LinkedHashMap<>();
    node.put("address", cluster.selfAddress().toString());
    node.put("appVersion", cluster.selfMember().appVersion().version());
    node.put("status", cluster.selfMember().status().toString().toLowerCase(java.util.Locale.ROOT));
    node.put("activeGames", metrics == null ? 0 : metrics.liveGames());
    node.put("connections", state.connections() == null ? 0 : state.connections().count());
    node.put("shards", metrics == null ? 0 : metrics.shards());
    node.put("handOffs", Map.of("out", metrics == null ? 0 : metrics.handOffsOut(), "in", metrics == null ? 0 : metrics.handOffsIn()));
    return node;
  }

  private static HttpResponse json(Object body) {
    return HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, Json.write(body));
  }
}
