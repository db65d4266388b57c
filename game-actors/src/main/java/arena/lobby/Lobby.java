package arena.lobby;

import arena.JsonSerializable;
import arena.session.GameView;
import arena.session.PublicGames;
import arena.session.Status;
import arena.session.Visibility;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;

/**
 * The cluster-wide list of open public games: one lobby actor per node, all sharing one
 * replicated map (Pekko Distributed Data).
 *
 * <p><b>Writes.</b> Game sessions {@link Publish} every change of a public game to their node's
 * lobby, and again when they recover. A waiting public game is put into the map as an
 * {@link OpenGame}; any other state removes it. The map is an {@link LWWMap} from game id to
 * {@code OpenGame}, split by game id over {@value #PARTITIONS} top-level keys so that no single
 * entry grows large: Distributed Data ships a key's full state when a delta cannot be applied and
 * during gossip, and one key holding 10,000 games would pass Artery's frame size. A game has one
 * writer at a time (its session, on one node), so last-writer-wins never has to decide between
 * real conflicts.
 *
 * <p><b>Reads.</b> The lobby subscribes to every partition and keeps the value it was last
 * notified of, so {@link ListOpen} is answered from the local replica (what a {@code ReadLocal}
 * get would return, at most {@code notify-subscribers-interval} older) with no round trip.
 *
 * <p><b>Convergence within 2 s.</b> Writes are {@code WriteLocal}: a change is applied here at
 * once and spread by delta propagation, which runs every {@code gossip-interval / 5} (at least
 * 200 ms) and sends all pending deltas, batched, to up to 10 nodes per round. {@code lobby.conf}
 * sets {@code gossip-interval = 1s} and {@code notify-subscribers-interval = 100ms}, so every
 * node of a cluster of up to about 50 nodes sees a change within about a second; full-state
 * gossip (one random peer per second) repairs whatever a delta missed, for instance at a node
 * that was unreachable. {@code WriteAll} would push each change to every node directly, but costs
 * a message, an acknowledgement and an aggregator actor per node per change, and re-sends the
 * partition's full state to nodes that do not acknowledge within a fifth of its timeout; batched
 * deltas meet the bound for far less.
 *
 * <p><b>Bounds.</b> The map holds only games that wait for players, and a waiting game expires
 * after {@code arena.session.waiting-expiry}. On top of that: at most
 * {@code arena.lobby.max-open-games} entries (a public game created beyond it is still playable
 * by its id but is not listed, and the node logs a warning); a listing returns at most
 * {@code arena.lobby.max-listing} games; an entry older than the waiting expiry plus
 * {@code arena.lobby.stale-grace} (its removal was lost, say with a crashed node) is never listed
 * and is pruned by every node every {@code arena.lobby.prune-interval}.
 */
public final class Lobby {

  private Lobby() {}

  /** What the node's lobby actor understands. */
  public sealed interface Command extends JsonSerializable {}

  /**
   * A public game's state changed (or a session recovered): the lobby lists it while it is
   * waiting and forgets it otherwise.
   */
  public record Publish(GameView state) implements Command {}

  /** Replies the open games, newest first, of one game type or all ({@code game} null). */
  public record ListOpen(String game, int limit, ActorRef<OpenGames> replyTo) implements Command {}

  /** The answer to {@link ListOpen}. */
  public record OpenGames(List<OpenGame> games) implements JsonSerializable {}

  /** One open game as the listing shows it (ARENA-SPEC §3). */
  public record OpenGame(String gameId, String game, List<GameView.Seat> players, int turnSeconds,
      Instant createdAt) implements JsonSerializable {

    static OpenGame of(GameView view) {
      return new OpenGame(view.gameId(), view.game(), List.copyOf(view.players()), view.turnSeconds(),
          view.createdAt());
    }
  }

  /** The local replica of one partition changed. */
  private record PartitionChanged(Replicator.SubscribeResponse<LWWMap<String, OpenGame>> change)
      implements Command {}

  /** The replicator's answer to a write. */
  private record Written(Replicator.UpdateResponse<LWWMap<String, OpenGame>> response)
      implements Command {}

  private enum Prune implements Command {
    TICK
  }

  /** How many top-level Distributed Data keys the map is split over; all nodes must agree. */
  static final int PARTITIONS = 32;

  /** A game this young that leaves "waiting" is removed even if this node has not seen it listed. */
  private static final Duration YOUNG = Duration.ofSeconds(10);

  static final Comparator<OpenGame> NEWEST_FIRST = Comparator
      .comparing(OpenGame::createdAt, Comparator.nullsLast(Comparator.reverseOrder()))
      .thenComparing(OpenGame::gameId);

  /** The lobby with the settings of {@code arena.lobby} and the system clock. */
  /** What the node's game sessions report their public games to: this lobby actor. */
  public static PublicGames listing(ActorRef<Command> lobby) {
    return game -> lobby.tell(new Publish(game));
  }

  public static Behavior<Command> create() {
    return Behaviors.setup(ctx -> create(LobbySettings.fromConfig(ctx.getSystem().settings().config()),
        Clock.systemUTC()));
  }

  public static Behavior<Command> create(LobbySettings settings, Clock clock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Prune.TICK, settings.pruneInterval());
      return DistributedData.<Command, LWWMap<String, OpenGame>>withReplicatorMessageAdapter(
          replicator -> new Replica(ctx, replicator, settings, clock));
    }));
  }

  static Key<LWWMap<String, OpenGame>> partitionOf(String gameId) {
    return partition(Math.floorMod(gameId.hashCode(), PARTITIONS));
  }

  private static Key<LWWMap<String, OpenGame>> partition(int index) {
    return LWWMapKey.create("arena-lobby-" + index);
  }

  private static boolean listable(GameView view) {
    return view.status() == Status.WAITING && view.visibility() == Visibility.PUBLIC;
  }

  /** The lobby actor: writes to the replicated map and answers from its last notified state. */
  private static final class Replica extends AbstractBehavior<Command> {

    private final ReplicatorMessageAdapter<Command, LWWMap<String, OpenGame>> replicator;
    private final SelfUniqueAddress self;
    private final LobbySettings settings;
    private final Clock clock;
    /** The last notified state of each partition (only partitions that have entries). */
    private final Map<Key<LWWMap<String, OpenGame>>, Map<String, OpenGame>> replica = new HashMap<>();
    /** Games this lobby put lately, whose removal must not wait for their notification. */
    private final Map<String, Instant> listedHere = new HashMap<>();
    private int size;
    private boolean warnedFull;

    Replica(ActorContext<Command> ctx, ReplicatorMessageAdapter<Command, LWWMap<String, OpenGame>> replicator,
        LobbySettings settings, Clock clock) {
      super(ctx);
      this.replicator = replicator;
      this.self = DistributedData.get(ctx.getSystem()).selfUniqueAddress();
      this.settings = settings;
      this.clock = clock;
      for (int i = 0; i < PARTITIONS; i++) {
        replicator.subscribe(partition(i), PartitionChanged::new);
      }
    }

    @Override
    public Receive<Command> createReceive() {
      return newReceiveBuilder()
          .onMessage(Publish.class, p -> publish(p.state()))
          .onMessage(ListOpen.class, this::list)
          .onMessage(PartitionChanged.class, this::changed)
          .onMessage(Written.class, this::written)
          .onMessageEquals(Prune.TICK, this::prune)
          .build();
    }

    private Behavior<Command> publish(GameView view) {
      String gameId = view.gameId();
      Key<LWWMap<String, OpenGame>> key = partitionOf(gameId);
      OpenGame known = replica.getOrDefault(key, Map.of()).get(gameId);
      if (listable(view)) {
        OpenGame open = OpenGame.of(view);
        if (open.equals(known)) {
          return this; // a recovered session lists itself again: nothing changed
        }
        if (known == null && !listedHere.containsKey(gameId) && size >= settings.maxOpenGames()) {
          warnFull(gameId);
          return this;
        }
        listedHere.put(gameId, clock.instant());
        write(key, map -> sameValue(map, gameId, open) ? map : map.put(self, gameId, open));
      } else {
        // Every change of a started public game comes here: write only if it may be listed. The
        // local replica lags behind this node's own writes, hence listedHere and the young check.
        boolean young = view.createdAt() != null
            && view.createdAt().isAfter(clock.instant().minus(YOUNG));
        if (listedHere.remove(gameId) != null || known != null || young) {
          write(key, map -> map.contains(gameId) ? map.remove(self, gameId) : map);
        }
      }
      return this;
    }

    private static boolean sameValue(LWWMap<String, OpenGame> map, String gameId, OpenGame open) {
      scala.Option<OpenGame> current = map.get(gameId);
      return current.isDefined() && current.get().equals(open);
    }

    private void write(Key<LWWMap<String, OpenGame>> key,
        java.util.function.Function<LWWMap<String, OpenGame>, LWWMap<String, OpenGame>> modify) {
      replicator.askUpdate(
          replyTo -> new Replicator.Update<>(key, LWWMap.empty(), Replicator.writeLocal(), replyTo, modify),
          Written::new);
    }

    private void warnFull(String gameId) {
      if (!warnedFull) {
        warnedFull = true;
        getContext().getLog().warn("The lobby lists {} games (arena.lobby.max-open-games): game {} and "
            + "further new public games are not listed for now", size, gameId);
      }
    }

    private Behavior<Command> list(ListOpen request) {
      int limit = Math.max(0, Math.min(request.limit(), settings.maxListing()));
      Instant staleBefore = clock.instant().minus(settings.staleAfter());
      List<OpenGame> games = new ArrayList<>();
      for (Map<String, OpenGame> entries : replica.values()) {
        for (OpenGame open : entries.values()) {
          if ((request.game() == null || request.game().equals(open.game())) && !stale(open, staleBefore)) {
            games.add(open);
          }
        }
      }
      games.sort(NEWEST_FIRST);
      request.replyTo().tell(new OpenGames(List.copyOf(games.subList(0, Math.min(limit, games.size())))));
      return this;
    }

    private static boolean stale(OpenGame open, Instant staleBefore) {
      return open.createdAt() != null && open.createdAt().isBefore(staleBefore);
    }

    private Behavior<Command> changed(PartitionChanged message) {
      if (message.change() instanceof Replicator.Changed<LWWMap<String, OpenGame>> changed) {
        Map<String, OpenGame> entries = Map.copyOf(changed.get(changed.key()).getEntries());
        Map<String, OpenGame> before = entries.isEmpty()
            ? replica.remove(changed.key()) : replica.put(changed.key(), entries);
        size += entries.size() - (before == null ? 0 : before.size());
        if (size < settings.maxOpenGames()) {
          warnedFull = false;
        }
      }
      return this;
    }

    private Behavior<Command> written(Written message) {
      if (message.response() instanceof Replicator.ModifyFailure<?> failure) {
        getContext().getLog().warn("Lobby write to {} failed: {}", failure.key(), failure.errorMessage());
      }
      return this; // WriteLocal succeeds at once; there is nothing else to wait for
    }

    /** Removes entries whose game has surely expired; their removal was lost. */
    private Behavior<Command> prune() {
      Instant now = clock.instant();
      Instant staleBefore = now.minus(settings.staleAfter());
      replica.forEach((key, entries) -> entries.values().stream()
          .filter(open -> stale(open, staleBefore))
          .forEach(open -> write(key, map -> map.contains(open.gameId()) ? map.remove(self, open.gameId()) : map)));
      listedHere.values().removeIf(at -> at.isBefore(staleBefore));
      return this;
    }
  }
}
