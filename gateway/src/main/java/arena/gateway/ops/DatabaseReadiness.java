package arena.gateway.ops;

import arena.persistence.Database;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * A readiness check of Pekko Management ({@code /ready}): ready only while the database answers,
 * and never again once the node has begun to shut down, so that load balancers stop sending
 * players here before the node leaves.
 */
public final class DatabaseReadiness implements Supplier<CompletionStage<Boolean>> {

  private final ActorSystem system;

  public DatabaseReadiness(ActorSystem system) {
    this.system = system;
  }

  @Override
  public CompletionStage<Boolean> get() {
    if (CoordinatedShutdown.get(system).getShutdownReason().isPresent()) {
      return CompletableFuture.completedFuture(false);
    }
    DataSource database = NodeState.get(Adapter.toTyped(system)).database();
    if (database == null) {
      return CompletableFuture.completedFuture(false);
    }
    return CompletableFuture.supplyAsync(() -> Database.answers(database, 2),
        system.dispatchers().lookup("arena.gateway.blocking-dispatcher"));
  }
}
