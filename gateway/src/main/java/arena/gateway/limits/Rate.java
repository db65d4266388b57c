package arena.gateway.limits;

import com.typesafe.config.Config;

/** A limit of the {@code arena.gateway.http-limits} config: a rate a second with bursts. */
public record Rate(double perSecond, int burst) {

  static Rate fromConfig(Config limits, String name) {
    Config c = limits.getConfig(name);
    Rate rate = new Rate(c.getDouble("per-second"), c.getInt("burst"));
    if (!(rate.perSecond > 0) || rate.burst < 1) {
      throw new IllegalArgumentException(
          "arena.gateway.http-limits." + name + ": per-second must be above 0 and burst at least 1");
    }
    return rate;
  }

  /** How long an idle bucket takes to fill again: after that it is as good as a new one. */
  long refillNanos() {
    return (long) Math.ceil(burst / perSecond * 1e9);
  }
}
