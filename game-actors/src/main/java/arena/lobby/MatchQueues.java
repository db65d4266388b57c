package arena.lobby;

import arena.JsonSerializable;
import arena.lobby.Matchmaker.Dequeued;
import arena.lobby.Matchmaker.Enqueued;
import arena.lobby.Matchmaker.Event;
import arena.lobby.Matchmaker.GameReady;
import arena.lobby.Matchmaker.Notice;
import arena.lobby.Matchmaker.Paired;
import arena.lobby.Matchmaker.PairingFailed;
import arena.lobby.Matchmaker.Waiting;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The matchmaker's state: per game type the players waiting for an opponent, longest-waiting
 * first, and the matches already made whose game is still being set up. Immutable: every event
 * makes a new one.
 *
 * @param queues waiting players by game type, in arrival order; no empty lists
 * @param pending matches being set up, by game id
 */
public record MatchQueues(Map<String, List<Waiting>> queues, Map<String, Pairing> pending)
    implements JsonSerializable {

  /** A match made: seat 0 (the longer-waiting player) creates the game, seat 1 joins it. */
  public record Pairing(String gameId, String game, Waiting seat0, Waiting seat1) implements JsonSerializable {

    Pairing withPlayer(String playerId, ActorRef<Notice> player) {
      return new Pairing(gameId, game, replaceIn(seat0, playerId, player), replaceIn(seat1, playerId, player));
    }

    private static Waiting replaceIn(Waiting seat, String playerId, ActorRef<Notice> player) {
      return seat.playerId().equals(playerId) ? new Waiting(playerId, seat.name(), player) : seat;
    }
  }

  public MatchQueues {
    Map<String, List<Waiting>> lists = new HashMap<>();
    if (queues != null) {
      queues.forEach((game, queue) -> lists.put(game, List.copyOf(queue)));
    }
    queues = Map.copyOf(lists);
    pending = pending == null ? Map.of() : Map.copyOf(pending);
  }

  public static MatchQueues empty() {
    return new MatchQueues(Map.of(), Map.of());
  }

  /** The players waiting for {@code game}, longest-waiting first. */
  public List<Waiting> queue(String game) {
    return queues.getOrDefault(game, List.of());
  }

  /** The player's place in the queue of {@code game}, if queued. */
  public Optional<Waiting> waiting(String game, String playerId) {
    return queue(game).stream().filter(w -> w.playerId().equals(playerId)).findFirst();
  }

  /** The player's seat in a match of {@code game} that is being set up, if any. */
  public Optional<Waiting> settingUp(String game, String playerId) {
    return pending.values().stream()
        .filter(p -> p.game().equals(game))
        .flatMap(p -> java.util.stream.Stream.of(p.seat0(), p.seat1()))
        .filter(w -> w.playerId().equals(playerId))
        .findFirst();
  }

  /** Every queued player's notice target (a connection may queue for several game types). */
  public Set<ActorRef<Notice>> queuedRefs() {
    Set<ActorRef<Notice>> refs = new HashSet<>();
    queues.values().forEach(q -> q.forEach(w -> refs.add(w.player())));
    return refs;
  }

  /** The events that take every queue entry of {@code player} out: it stopped. */
  public List<Dequeued> departuresOf(ActorRef<Notice> player, String reason) {
    List<Dequeued> departures = new ArrayList<>();
    new TreeMap<>(queues).forEach((game, queue) -> queue.stream()
        .filter(w -> w.player().equals(player))
        .forEach(w -> departures.add(new Dequeued(game, w.playerId(), reason))));
    return departures;
  }

  /**
   * The matches to make now: the two longest-waiting players of a game type at a time, while
   * fewer than {@code maxPending} matches are being set up. Game types take turns, one match each
   * per round, so a busy type cannot starve the others when the limit is reached.
   */
  public List<Paired> pairings(int maxPending, Supplier<String> newGameId) {
    List<Paired> made = new ArrayList<>();
    Map<String, Integer> taken = new TreeMap<>();
    queues.keySet().forEach(game -> taken.put(game, 0));
    boolean progress = true;
    while (progress && pending.size() + made.size() < maxPending) {
      progress = false;
      for (Map.Entry<String, Integer> entry : taken.entrySet()) {
        List<Waiting> queue = queue(entry.getKey());
        int next = entry.getValue();
        if (next + 1 < queue.size() && pending.size() + made.size() < maxPending) {
          made.add(new Paired(entry.getKey(), newGameId.get(), queue.get(next), queue.get(next + 1)));
          entry.setValue(next + 2);
          progress = true;
        }
      }
    }
    return made;
  }

  // ---- events ----

  public MatchQueues apply(Event event) {
    if (event instanceof Enqueued e) {
      return enqueued(e);
    } else if (event instanceof Dequeued e) {
      return withQueue(e.game(), without(queue(e.game()), Set.of(e.playerId())));
    } else if (event instanceof Paired e) {
      Pairing pairing = new Pairing(e.gameId(), e.game(), e.seat0(), e.seat1());
      return new MatchQueues(
          replaced(queues, e.game(), without(queue(e.game()), Set.of(e.seat0().playerId(), e.seat1().playerId()))),
          with(pending, e.gameId(), pairing));
    } else if (event instanceof GameReady e) {
      return new MatchQueues(queues, with(pending, e.gameId(), null));
    } else if (event instanceof PairingFailed e) {
      return new MatchQueues(queues, with(pending, e.gameId(), null));
    }
    throw new IllegalArgumentException("unknown event " + event);
  }

  /** Joins the queue's end; a player already queued or being matched only gets the new target. */
  private MatchQueues enqueued(Enqueued e) {
    Waiting waiting = new Waiting(e.playerId(), e.name(), e.player());
    List<Waiting> queue = queue(e.game());
    for (int i = 0; i < queue.size(); i++) {
      if (queue.get(i).playerId().equals(e.playerId())) {
        List<Waiting> updated = new ArrayList<>(queue);
        updated.set(i, new Waiting(e.playerId(), queue.get(i).name(), e.player()));
        return withQueue(e.game(), updated);
      }
    }
    for (Pairing pairing : pending.values()) {
      if (pairing.game().equals(e.game()) && (pairing.seat0().playerId().equals(e.playerId())
          || pairing.seat1().playerId().equals(e.playerId()))) {
        return new MatchQueues(queues, with(pending, pairing.gameId(), pairing.withPlayer(e.playerId(), e.player())));
      }
    }
    List<Waiting> longer = new ArrayList<>(queue);
    longer.add(waiting);
    return withQueue(e.game(), longer);
  }

  private MatchQueues withQueue(String game, List<Waiting> queue) {
    return new MatchQueues(replaced(queues, game, queue), pending);
  }

  private static List<Waiting> without(List<Waiting> queue, Set<String> playerIds) {
    return queue.stream().filter(w -> !playerIds.contains(w.playerId())).toList();
  }

  private static Map<String, List<Waiting>> replaced(Map<String, List<Waiting>> queues, String game,
      List<Waiting> queue) {
    Map<String, List<Waiting>> copy = new HashMap<>(queues);
    if (queue.isEmpty()) {
      copy.remove(game);
    } else {
      copy.put(game, List.copyOf(queue));
    }
    return copy;
  }

  private static Map<String, Pairing> with(Map<String, Pairing> pending, String gameId, Pairing pairing) {
    Map<String, Pairing> copy = new HashMap<>(pending);
    if (pairing == null) {
      copy.remove(gameId);
    } else {
      copy.put(gameId, pairing);
    }
    return copy;
  }
}
