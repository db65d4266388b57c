package arena.gateway.ops;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * A readiness check of Pekko Management ({@code /ready}): ready only while the database answers,
 * and never again once the node has begun to shut down, so that load balancers stop sending
 * players here before the node leaves. It reads {@link DatabaseProbe}'s last result and so
 * answers at once, whatever players' queries are doing to the pools.
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
    DatabaseProbe probe = NodeState.get(Adapter.toTyped(system)).probe();
    return CompletableFuture.completedFuture(probe != null && probe.answers());
  }
}
