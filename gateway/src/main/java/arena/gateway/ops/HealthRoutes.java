package arena.gateway.ops;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onComplete;
import static org.apache.pekko.http.javadsl.server.Directives.path;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.HealthCheckSettings;
import org.apache.pekko.management.javadsl.HealthChecks;
import org.apache.pekko.management.javadsl.ManagementRouteProvider;
import org.apache.pekko.management.javadsl.ManagementRouteProviderSettings;

/**
 * {@code /ready} and {@code /alive} on the management port, in place of Pekko Management's own
 * routes, which answer 500 for "not ready". Here a node that is not ready (not an Up member, no
 * running shard region, database not answering, shutting down) answers 503, as load balancers and
 * ARENA-SPEC §7 expect; from the first phase of shutdown without asking any check.
 */
public final class HealthRoutes implements ManagementRouteProvider {

  private final ExtendedActorSystem system;
  private final HealthChecks checks;

  public HealthRoutes(ExtendedActorSystem system) {
    this.system = system;
    this.checks = new HealthChecks(system,
        HealthCheckSettings.create(system.settings().config().getConfig("pekko.management.health-checks")));
  }

  @Override
  public Route routes(ManagementRouteProviderSettings settings) {
    return concat(
        path("ready", () -> get(() -> answer(ready()))),
        path("alive", () -> get(() -> answer(checks.alive()))));
  }

  private CompletionStage<Boolean> ready() {
    if (CoordinatedShutdown.get(system).getShutdownReason().isPresent()) {
      return CompletableFuture.completedFuture(false);
    }
    return checks.ready();
  }

  private static Route answer(CompletionStage<Boolean> check) {
    return onComplete(check, result -> result.isSuccess() && Boolean.TRUE.equals(result.get())
        ? complete(StatusCodes.OK, "ok")
        : complete(StatusCodes.SERVICE_UNAVAILABLE, "not ready"));
  }
}
