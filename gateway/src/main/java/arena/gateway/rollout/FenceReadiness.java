package arena.gateway.rollout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/** A readiness check of Pekko Management ({@code /ready}): not ready while the node is fenced ({@link Fence}). */
public final class FenceReadiness implements Supplier<CompletionStage<Boolean>> {

  private final ActorSystem system;

  public FenceReadiness(ActorSystem system) {
    this.system = system;
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CompletableFuture.completedFuture(!Fence.get(Adapter.toTyped(system)).isFenced());
  }
}
