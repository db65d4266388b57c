package arena.gateway;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns ARENA_CONTACT_POINTS and ARENA_REQUIRED_CONTACT_POINTS into Pekko Discovery and Cluster
 * Bootstrap settings, which HOCON alone cannot do (a comma list into a list of endpoints).
 */
final class ClusterConfig {

  private ClusterConfig() {}

  static Config overlay(Config config, NodeSettings node) {
    String discovery = config.getString("arena.discovery");
    if (!discovery.equals("config") && !discovery.equals("kubernetes-api")) {
      throw new IllegalArgumentException("arena.discovery (ARENA_DISCOVERY) must be config or kubernetes-api, was '" + discovery + "'");
    }
    List<Map<String, Object>> endpoints = contactPoints(config.getString("arena.contact-points"), node);
    String required = config.getString("arena.required-contact-points").trim();
    int requiredCount;
    if (required.isEmpty()) {
      requiredCount = discovery.equals("config") ? endpoints.size() : 2;
    } else {
      try {
        requiredCount = Integer.parseInt(required);
      } catch (NumberFormatException e) {
        requiredCount = 0;
      }
      if (requiredCount < 1) {
        throw new IllegalArgumentException("arena.required-contact-points (ARENA_REQUIRED_CONTACT_POINTS) must be a whole number >= 1, was '" + required + "'");
      }
    }
    Config overlay = ConfigFactory.empty();
    if (discovery.equals("kubernetes-api")) {
      overlay = overlay.withValue("pekko.management.cluster.bootstrap.contact-point-discovery.port-name",
          ConfigValueFactory.fromAnyRef("management"));
    }
    return overlay
        .withValue("arena.required-contact-points", ConfigValueFactory.fromAnyRef(requiredCount))
        .withValue("pekko.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr",
            ConfigValueFactory.fromAnyRef(requiredCount))
        .withValue("pekko.discovery.config.services.arena.endpoints", ConfigValueFactory.fromIterable(endpoints));
  }

  private static List<Map<String, Object>> contactPoints(String list, NodeSettings node) {
    List<Map<String, Object>> endpoints = new ArrayList<>();
    if (list.isBlank()) {
      endpoints.add(Map.of("host", node.host(), "port", node.managementPort()));
      return endpoints;
    }
    for (String entry : list.split(",")) {
      String point = entry.trim();
      int colon = point.lastIndexOf(':');
      int port;
      try {
        port = colon > 0 ? Integer.parseInt(point.substring(colon + 1)) : -1;
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("arena.contact-points (ARENA_CONTACT_POINTS): '" + point + "' is not host:managementPort");
      }
      endpoints.add(Map.of("host", point.substring(0, colon), "port", port));
    }
    return endpoints;
  }
}
