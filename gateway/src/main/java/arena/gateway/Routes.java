package arena.gateway;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;

import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/** The players' HTTP API (ARENA-SPEC §3). */
final class Routes {

  Route route() {
    return path("health", () -> get(() -> complete(StatusCodes.OK, "ok")));
  }
}
