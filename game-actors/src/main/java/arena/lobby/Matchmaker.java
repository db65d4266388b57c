package arena.lobby;

import arena.ErrorCode;
import arena.JsonSerializable;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The protocol of the cluster-wide quickmatch queue: what it understands, what it tells queued
 * players, and what it stores. Its own file, apart from the singleton that runs it
 * ({@code MatchmakerEntity}), because its state ({@link MatchQueues}) is built from these events
 * too: both read the protocol, neither reads the other. The records' class names are in stored
 * events and cluster messages, so they stay where they are.
 */
public final class Matchmaker {

  private Matchmaker() {}

  // ---- protocol ----

  /** Everything the matchmaker understands. */
  public sealed interface Command extends JsonSerializable {}

  /**
   * Queues the player for a game of type {@code game}; answers {@link Queued} (also when already
   * queued) or {@link Rejected}, later {@link Matched}. An enqueue with a new {@code player}
   * target keeps the player's place and sends the later notices there.
   */
  public record Enqueue(String game, String playerId, String name, ActorRef<Notice> player)
      implements Command {}

  /** Takes the player out of the queue of {@code game}; answers {@link Cancelled}. */
  public record Cancel(String game, String playerId, ActorRef<Notice> replyTo) implements Command {}

  /** Replies the current {@link Status}: for operators and tests. */
  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  /** A watched player target stopped. */
  record PlayerGone(ActorRef<Notice> player) implements Command {}

  /** A set-up attempt ended: {@code outcome}, or {@code failure} when it must be tried again. */
  record SetupFinished(String gameId, SetupOutcome outcome, String failure) implements Command {}

  /** Time to try a failed set-up again. */
  record RetrySetup(String gameId) implements Command {}

  enum Internal implements Command {
    /** Make whatever matches the state allows (after recovery). */
    PAIR,
    /** The singleton is handed over. */
    STOP
  }

  /** What a queued player is told. */
  public sealed interface Notice extends JsonSerializable {
    String game();
  }

  /** The player waits for an opponent. */
  public record Queued(String game) implements Notice {}

  /** The game is set up, the player holds {@code seat} and may subscribe to it. */
  public record Matched(String game, String gameId, int seat) implements Notice {}

  /** The player is no longer queued. */
  public record Cancelled(String game) implements Notice {}

  /** Not queued: {@code unknown_game_type}, or {@code unavailable} (queue full, set-up failed). */
  public record Rejected(String game, ErrorCode code, String message) implements Notice {}

  /** The answer to {@link GetStatus}: queued player ids by game type, matches being set up. */
  public record Status(Map<String, List<String>> queued, int settingUp) implements JsonSerializable {}

  /** What the matchmaker stores. */
  public sealed interface Event extends JsonSerializable {}

  /** A player joined the end of a queue (or, already queued, gave a new notice target). */
  public record Enqueued(String game, String playerId, String name, ActorRef<Notice> player)
      implements Event {}

  /** A player left a queue: {@code reason} is {@code cancelled} or {@code left}. */
  public record Dequeued(String game, String playerId, String reason) implements Event {}

  /** Two players left the queue for game {@code gameId}, which is now being set up. */
  public record Paired(String game, String gameId, Waiting seat0, Waiting seat1) implements Event {}

  /** The game of a match exists with both players seated, and they were told. */
  public record GameReady(String gameId) implements Event {}

  /** The session refused a match's game for good; the players were told. */
  public record PairingFailed(String gameId, ErrorCode code, String message) implements Event {}

  /** A player waiting in a queue; {@code player} receives the {@link Notice}s. */
  public record Waiting(String playerId, String name, ActorRef<Notice> player) implements JsonSerializable {}

  /** How a set-up ended; a failure instead means "unknown, try again". */
  sealed interface SetupOutcome {}

  /** The game exists with both players seated. */
  record SetupReady() implements SetupOutcome {}

  /** The session refused a step for good (its error code); the match cannot be set up. */
  record SetupRefused(ErrorCode code, String message) implements SetupOutcome {}
}
