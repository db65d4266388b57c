package arena.gateway;

import com.typesafe.config.Config;

/**
 * The node's own settings (ARENA-SPEC §2), validated at start-up: a wrong value stops the node
 * with a message naming its key.
 */
public record NodeSettings(String host, int httpPort, int managementPort, int remotingPort,
    String appVersion) {

  public NodeSettings {
    requirePort(httpPort, "arena.http.port (ARENA_HTTP_PORT)");
    requirePort(managementPort, "arena.management.port (ARENA_MANAGEMENT_PORT)");
    requirePort(remotingPort, "arena.remoting.port (ARENA_REMOTING_PORT)");
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("arena.host (ARENA_HOST) must not be empty");
    }
    if (appVersion == null || !appVersion.matches("[0-9A-Za-z.+-]+")) {
      throw new IllegalArgumentException("arena.app-version (ARENA_APP_VERSION) must be a version such as 1.2.3, was '" + appVersion + "'");
    }
  }

  public static NodeSettings fromConfig(Config config) {
    try {
      return new NodeSettings(config.getString("arena.host"), config.getInt("arena.http.port"),
          config.getInt("arena.management.port"), config.getInt("arena.remoting.port"),
          config.getString("arena.app-version"));
    } catch (com.typesafe.config.ConfigException e) {
      throw new IllegalArgumentException("invalid configuration: " + e.getMessage(), e);
    }
  }

  private static void requirePort(int port, String key) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(key + " must be a port 1-65535, was " + port);
    }
  }
}
