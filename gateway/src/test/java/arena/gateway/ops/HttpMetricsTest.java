package arena.gateway.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpMetricsTest {

  @Test
  void pathsBecomeTheSpecsRouteTemplatesWithoutIds() {
    assertThat(HttpMetrics.template("/api/v1/games/3f6c9a0e-1b2c-4d5e-8f90-123456789abc")).isEqualTo("/api/v1/games/{gameId}");
    assertThat(HttpMetrics.template("/api/v1/games/abc/events")).isEqualTo("/api/v1/games/{gameId}/events");
    assertThat(HttpMetrics.template("/api/v1/games/catalog")).isEqualTo("/api/v1/games/catalog");
    assertThat(HttpMetrics.template("/api/v1/games")).isEqualTo("/api/v1/games");
    assertThat(HttpMetrics.template("/api/v1/players/me/games")).isEqualTo("/api/v1/players/me/games");
    assertThat(HttpMetrics.template("/api/v1/ws-ticket")).isEqualTo("/api/v1/ws-ticket");
    assertThat(HttpMetrics.template("/ws")).isEqualTo("/ws");
    assertThat(HttpMetrics.template("/")).isEqualTo("/");
    assertThat(HttpMetrics.template("/app.js")).isEqualTo("static");
  }

  @Test
  void unknownPathsShareOneLabelWhateverTheySay() {
    assertThat(HttpMetrics.template("/wp-admin/setup.php")).isEqualTo("other");
    assertThat(HttpMetrics.template("/api/v1/games/a/b/c")).isEqualTo("other");
    assertThat(HttpMetrics.template("/api/v2/anything.js")).isEqualTo("other");
    assertThat(HttpMetrics.template("/" + "x".repeat(500))).isEqualTo("other");
  }
}
