package arena.session;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.ORSet;
import org.apache.pekko.cluster.ddata.ORSetKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * Which members are draining: about to stop, giving their game-session shards away a few at a
 * time while they still serve ({@link RolloutAwareAllocation} moves them and sends no new shard
 * there). The set is replicated with Distributed Data under its own key, so every node, and the
 * shard coordinator's in particular, knows it without a round trip; nodes of a version without
 * this class replicate the key without reading it. Members are named by their unique address
 * (address and incarnation), so a node that starts again on the same host and port is not draining;
 * a removed member's entry is dropped by the nodes that see it go.
 */
public final class Draining implements Extension {

  static final Key<ORSet<String>> KEY = ORSetKey.create("arena-draining-members");

  private final ActorRef<Command> replica;
  private volatile Set<String> draining = Set.of();

  private Draining(ActorSystem<?> system) {
    replica = system.systemActorOf(Behaviors.<Command>setup(ctx -> {
      Cluster.get(system).subscriptions().tell(Subscribe.create(
          ctx.messageAdapter(ClusterEvent.MemberRemoved.class, Removed::new), ClusterEvent.MemberRemoved.class));
      return DistributedData.<Command, ORSet<String>>withReplicatorMessageAdapter(replicator -> {
        replicator.subscribe(KEY, Changed::new);
        return running(replicator, DistributedData.get(system).selfUniqueAddress());
      });
    }), "arena-draining", Props.empty());
  }

  public static Draining get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  /** Whether {@code member} has said it is draining. */
  public boolean isDraining(UniqueAddress member) {
    return draining.contains(name(member));
  }

  /** Whether any member is draining. */
  public boolean anyDraining() {
    return !draining.isEmpty();
  }

  /**
   * Marks this member as draining; completes once a majority knows it, or after {@code timeout}
   * (the local write still spreads by gossip).
   */
  public CompletionStage<Done> drainSelf(Duration timeout) {
    CompletableFuture<Done> done = new CompletableFuture<>();
    replica.tell(new DrainSelf(timeout, done));
    return done;
  }

  static String name(UniqueAddress member) {
    return member.address() + "#" + member.longUid();
  }

  // ---- the replica actor ----

  interface Command {}

  private record DrainSelf(Duration timeout, CompletableFuture<Done> done) implements Command {}

  private record Changed(Replicator.SubscribeResponse<ORSet<String>> change) implements Command {}

  private record Removed(ClusterEvent.MemberRemoved event) implements Command {}

  private record Written(Replicator.UpdateResponse<ORSet<String>> response, CompletableFuture<Done> done)
      implements Command {}

  private Behavior<Command> running(ReplicatorMessageAdapter<Command, ORSet<String>> replicator,
      SelfUniqueAddress self) {
    return Behaviors.receive(Command.class)
        .onMessage(DrainSelf.class, m -> {
          String me = name(self.uniqueAddress());
          Set<String> now = new HashSet<>(draining);
          now.add(me);
          draining = Set.copyOf(now); // this node knows at once, whatever the write's fate
          replicator.askUpdate(replyTo -> new Replicator.Update<>(KEY, ORSet.empty(),
                  new Replicator.WriteMajority(m.timeout()), replyTo, set -> set.add(self, me)),
              response -> new Written(response, m.done()));
          return Behaviors.same();
        })
        .onMessage(Written.class, m -> {
          m.done().complete(Done.getInstance());
          return Behaviors.same();
        })
        .onMessage(Changed.class, m -> {
          if (m.change() instanceof Replicator.Changed<ORSet<String>> changed) {
            draining = Set.copyOf(changed.get(KEY).getElements());
          }
          return Behaviors.same();
        })
        .onMessage(Removed.class, m -> {
          String gone = name(m.event().member().uniqueAddress());
          if (draining.contains(gone)) {
            replicator.askUpdate(replyTo -> new Replicator.Update<>(KEY, ORSet.empty(),
                    Replicator.writeLocal(), replyTo, set -> set.remove(self, gone)),
                response -> new Written(response, new CompletableFuture<>()));
          }
          return Behaviors.same();
        })
        .build();
  }

  /** The extension's id. */
  public static final class Id extends ExtensionId<Draining> {
    static final Id INSTANCE = new Id();

    @Override
    public Draining createExtension(ActorSystem<?> system) {
      return new Draining(system);
    }
  }
}
