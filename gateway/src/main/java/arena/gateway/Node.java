package arena.gateway;

import arena.persistence.Database;
import arena.session.GameSession;
import arena.session.SessionSettings;
import java.time.Clock;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.http.javadsl.Http;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The node's guardian: joins the cluster, hosts game sessions and serves players over HTTP. */
final class Node {

  private static final Logger log = LoggerFactory.getLogger(Node.class);

  private Node() {}

  static Behavior<Void> create(NodeSettings settings, Database database) {
    return Behaviors.setup(ctx -> {
      ActorSystem<Void> system = ctx.getSystem();
      Cluster cluster = Cluster.get(system);
      cluster.manager().tell(Join.create(cluster.selfMember().address()));

      SessionSettings sessions = SessionSettings.fromConfig(system.settings().config());
      GameSession.init(system, sessions, Clock.systemUTC(), system.ignoreRef());

      Http.get(system)
          .newServerAt(settings.host(), settings.httpPort())
          .bind(new Routes().route())
          .thenApply(binding -> binding.addToCoordinatedShutdown(Duration.ofSeconds(10), system))
          .whenComplete((binding, failure) -> {
            if (failure != null) {
              log.error("cannot serve HTTP on {}:{}; stopping", settings.host(), settings.httpPort(), failure);
              system.terminate();
            } else {
              log.info("serving players on http://{}", binding.localAddress());
            }
          });
      return Behaviors.empty();
    });
  }

}
