package arena.gateway.auth;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * The settings of {@code arena.auth}, checked at start-up: a wrong value stops the node with a
 * message naming its key. The secrets are never logged and never part of a message.
 *
 * @param secret the current key (empty: none configured)
 * @param previousSecret the key of before a rotation, still accepted (empty: none)
 */
public record AuthSettings(byte[] secret, byte[] previousSecret, Duration tokenTtl, Duration ticketTtl,
    Duration ticketClaimTimeout, Duration ticketPruneInterval, Duration ticketForgetAfter) {

  /** ARENA-SPEC §3: a WebSocket ticket is valid for a short time, at most 60 s. */
  public static final Duration MAX_TICKET_TTL = Duration.ofSeconds(60);

  public AuthSettings {
    positive(tokenTtl, "arena.auth.token-ttl (ARENA_TOKEN_TTL)");
    positive(ticketTtl, "arena.auth.ticket.ttl");
    if (ticketTtl.compareTo(MAX_TICKET_TTL) > 0) {
      throw new IllegalArgumentException("arena.auth.ticket.ttl must be at most 60s, was " + ticketTtl);
    }
    positive(ticketClaimTimeout, "arena.auth.ticket.claim-timeout");
    positive(ticketPruneInterval, "arena.auth.ticket.prune-interval");
    positive(ticketForgetAfter, "arena.auth.ticket.forget-after");
    if (secret.length == 0 && previousSecret.length > 0) {
      throw new IllegalArgumentException(SigningKeys.PREVIOUS + " is set but " + SigningKeys.CURRENT
          + " is not: the current secret signs, the previous one is only still accepted");
    }
    if (secret.length > 0) {
      SigningKeys.of(secret, previousSecret); // refuses a short key, naming its setting
    }
  }

  /** Whether a secret was configured; without one the node makes up a random key. */
  public boolean hasSecret() {
    return secret.length > 0;
  }

  public static AuthSettings fromConfig(Config config) {
    AuthSettings settings;
    try {
      settings = new AuthSettings(bytes(config.getString("arena.auth.secret")),
          bytes(config.getString("arena.auth.secret-previous")),
          config.getDuration("arena.auth.token-ttl"),
          config.getDuration("arena.auth.ticket.ttl"),
          config.getDuration("arena.auth.ticket.claim-timeout"),
          config.getDuration("arena.auth.ticket.prune-interval"),
          config.getDuration("arena.auth.ticket.forget-after"));
    } catch (ConfigException e) {
      throw new IllegalArgumentException("invalid configuration: " + e.getMessage(), e);
    }
    if (!settings.hasSecret() && clustered(config)) {
      throw new IllegalArgumentException("ARENA_AUTH_SECRET (arena.auth.secret) is not set, and this node is "
          + "clustered (ARENA_DISCOVERY=kubernetes-api or more than one ARENA_CONTACT_POINTS): every node of a "
          + "cluster must sign tokens with the same secret of at least " + SigningKeys.MIN_SECRET_BYTES
          + " bytes, or a player's token fails on the other nodes. Set ARENA_AUTH_SECRET, for example to the "
          + "output of `openssl rand -base64 48`.");
    }
    return settings;
  }

  /**
   * A node that may share players with other nodes: one found through the Kubernetes API, or
   * given more than one contact point. One node with no settings (the quick start) is not.
   */
  public static boolean clustered(Config config) {
    if (config.hasPath("arena.discovery") && config.getString("arena.discovery").trim().equals("kubernetes-api")) {
      return true;
    }
    if (!config.hasPath("arena.contact-points")) {
      return false;
    }
    return Arrays.stream(config.getString("arena.contact-points").split(","))
        .filter(point -> !point.isBlank())
        .count() > 1;
  }

  private static byte[] bytes(String secret) {
    return secret.getBytes(StandardCharsets.UTF_8);
  }

  private static void positive(Duration value, String key) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(key + " must be a positive duration, was " + value);
    }
  }

  /** Never prints the secrets. */
  @Override
  public String toString() {
    return "AuthSettings[secret=" + (hasSecret() ? "set" : "unset") + ", previousSecret="
        + (previousSecret.length > 0 ? "set" : "unset") + ", tokenTtl=" + tokenTtl + ", ticketTtl=" + ticketTtl
        + ", ticketClaimTimeout=" + ticketClaimTimeout + ", ticketPruneInterval=" + ticketPruneInterval
        + ", ticketForgetAfter=" + ticketForgetAfter + "]";
  }
}
