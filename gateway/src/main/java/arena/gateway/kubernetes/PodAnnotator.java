package arena.gateway.kubernetes;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Keeps this pod's {@code controller.kubernetes.io/pod-deletion-cost} annotation at the latest
 * cost it was told, with at most one PATCH in flight.
 *
 * <p>Only the newest value matters, so values that arrive while a PATCH is in flight or a retry is
 * waiting are not queued: when the PATCH ends, the latest wanted cost is sent if it differs from
 * what the API server confirmed. A PATCH that fails with a passing error (no answer, 5xx, 408,
 * 409, 429) is retried with jittered exponential backoff up to {@code max-attempts}; then, or at
 * once for any other 4xx, the annotator gives up and logs an ERROR until the next cost arrives.
 */
final class PodAnnotator extends AbstractBehavior<PodAnnotator.Command> {

  static final String ANNOTATION = "controller.kubernetes.io/pod-deletion-cost";

  sealed interface Command {}

  /** The cost this pod should carry now; no reply. */
  record SetCost(int cost) implements Command {}

  private record Patched(int cost) implements Command {}

  private record PatchFailed(int cost, Throwable cause) implements Command {}

  private enum Retry implements Command { INSTANCE }

  private final KubernetesApi api;
  private final Backoff backoff;
  private final String podPath;
  private final TimerScheduler<Command> timers;

  private Integer wanted;
  /** What the API server last acknowledged; null when unknown (at start, after a failure). */
  private Integer confirmed;
  private boolean inFlight;
  private boolean retryScheduled;
  private int failedAttempts;

  static Behavior<Command> create(KubernetesApi api) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new PodAnnotator(ctx, timers, api)));
  }

  private PodAnnotator(ActorContext<Command> ctx, TimerScheduler<Command> timers, KubernetesApi api) {
    super(ctx);
    this.api = api;
    this.timers = timers;
    this.backoff = api.settings().annotateRetry();
    this.podPath = api.settings().podPath(api.settings().podName());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(SetCost.class, this::onSetCost)
        .onMessage(Patched.class, this::onPatched)
        .onMessage(PatchFailed.class, this::onPatchFailed)
        .onMessageEquals(Retry.INSTANCE, this::onRetry)
        .build();
  }

  private Behavior<Command> onSetCost(SetCost set) {
    wanted = set.cost();
    sendIfNeeded();
    return this;
  }

  private Behavior<Command> onPatched(Patched patched) {
    inFlight = false;
    failedAttempts = 0;
    confirmed = patched.cost();
    getContext().getLog().info("pod {}: {} = {}", api.settings().podName(), ANNOTATION, patched.cost());
    sendIfNeeded();
    return this;
  }

  private Behavior<Command> onPatchFailed(PatchFailed failed) {
    inFlight = false;
    confirmed = null; // a timed-out PATCH may or may not have been applied
    failedAttempts++;
    Throwable cause = failed.cause();
    if (!KubernetesApi.retryable(cause)) {
      getContext().getLog().error("pod {}: cannot set {} to {}, not retrying: {}",
          api.settings().podName(), ANNOTATION, failed.cost(), cause.toString());
      failedAttempts = 0;
    } else if (failedAttempts >= backoff.maxAttempts()) {
      getContext().getLog().error("pod {}: giving up setting {} to {} after {} attempts: {}",
          api.settings().podName(), ANNOTATION, failed.cost(), failedAttempts, cause.toString());
      failedAttempts = 0;
    } else {
      Duration delay = backoff.delayAfter(failedAttempts);
      getContext().getLog().warn("pod {}: setting {} to {} failed (attempt {} of {}), retrying in {} ms: {}",
          api.settings().podName(), ANNOTATION, failed.cost(), failedAttempts, backoff.maxAttempts(),
          delay.toMillis(), cause.toString());
      retryScheduled = true;
      timers.startSingleTimer(Retry.INSTANCE, delay);
    }
    return this;
  }

  private Behavior<Command> onRetry() {
    retryScheduled = false;
    sendIfNeeded();
    return this;
  }

  private void sendIfNeeded() {
    if (inFlight || retryScheduled || wanted == null || wanted.equals(confirmed)) {
      return;
    }
    int cost = wanted;
    inFlight = true;
    getContext().pipeToSelf(api.mergePatch(podPath, patch(cost)),
        (ok, failure) -> failure == null ? new Patched(cost) : new PatchFailed(cost, unwrap(failure)));
  }

  /** {@code {"metadata":{"annotations":{"controller.kubernetes.io/pod-deletion-cost":"<cost>"}}}}: annotation values are strings. */
  static ObjectNode patch(int cost) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    patch.putObject("metadata").putObject("annotations").put(ANNOTATION, Integer.toString(cost));
    return patch;
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }
}
