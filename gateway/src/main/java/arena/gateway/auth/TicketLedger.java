package arena.gateway.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.ORSet;
import org.apache.pekko.cluster.ddata.ORSetKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;

/**
 * Makes a WebSocket ticket good for one upgrade on the whole cluster, whichever node mints it and
 * whichever nodes it is presented to.
 *
 * <p>The ticket itself is signed and short-lived ({@link Tokens}), so any node can check it
 * without asking anyone; only its use must be shared. Uses live in Distributed Data, as ORSets
 * of claims split over {@value #BUCKETS} keys by nonce. To use a ticket a node adds a claim of its
 * own (a fresh claim id) with {@code WriteMajority}, then reads the claims of that nonce with
 * {@code ReadMajority}, and lets the upgrade through only when its own claim is the only one.
 * A majority written and a majority read always share a node, so whichever of two claims
 * finishes its write second is bound to see the first in its read: two uses, on one node or
 * two, can never both pass (two racing uses may both fail, which costs a replaying client its
 * socket, never a player's). No compare-and-set is needed, and no database round trip.
 *
 * <p>A claim names the ticket's expiry; once a ticket has expired (plus {@code forget-after},
 * more than any clock skew between nodes) its signature check refuses it anyway, and every node
 * removes its claims from the sets, which therefore hold at most the tickets of the last minute
 * or two. If a majority cannot be reached in {@code claim-timeout} the answer is
 * {@link Claim#UNDECIDED} and the upgrade is refused as unavailable: a ticket's single use is
 * never traded for availability.
 */
public final class TicketLedger implements Extension {

  /** How many Distributed Data keys hold the claims; every node must agree. */
  static final int BUCKETS = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The outcome of a claim. */
  public enum Claim {
    /** This is the ticket's one use: let the upgrade through. */
    FIRST_USE,
    /** The ticket was used before (or is being used right now elsewhere): refuse with 401. */
    ALREADY_USED,
    /** No majority answered in time: refuse as unavailable; the client asks for another ticket. */
    UNDECIDED
  }

  public static final ExtensionId<TicketLedger> ID = new ExtensionId<>() {
    @Override
    public TicketLedger createExtension(ActorSystem<?> system) {
      return new TicketLedger(system, AuthSettings.fromConfig(system.settings().config()), Clock.systemUTC());
    }
  };

  /** The node's ledger; the first call starts its pruning. */
  public static TicketLedger get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  private final ActorSystem<?> system;
  private final ActorRef<Replicator.Command> replicator;
  private final SelfUniqueAddress self;
  private final Duration claimTimeout;
  private final Duration askTimeout;
  private final Duration forgetAfter;
  private final Clock clock;
  private final Executor executor;

  private TicketLedger(ActorSystem<?> system, AuthSettings settings, Clock clock) {
    this.system = system;
    DistributedData ddata = DistributedData.get(system);
    this.replicator = ddata.replicator();
    this.self = ddata.selfUniqueAddress();
    this.claimTimeout = settings.ticketClaimTimeout();
    this.askTimeout = claimTimeout.plusSeconds(1);
    this.forgetAfter = settings.ticketForgetAfter();
    this.clock = clock;
    this.executor = system.executionContext();
    system.scheduler().scheduleWithFixedDelay(settings.ticketPruneInterval(), settings.ticketPruneInterval(),
        this::prune, system.executionContext());
  }

  /** Claims the one use of a ticket whose signature and expiry have been checked. */
  public CompletionStage<Claim> claim(Ticket ticket) {
    Key<ORSet<String>> key = bucketOf(ticket.nonce());
    String mine = ticket.expiresAt().toEpochMilli() + ":" + ticket.nonce() + ":" + claimId();
    CompletionStage<Replicator.UpdateResponse<ORSet<String>>> written = AskPattern.ask(replicator,
        reply -> new Replicator.Update<>(key, ORSet.<String>empty(), new Replicator.WriteMajority(claimTimeout),
            reply, set -> set.add(self, mine)),
        askTimeout, system.scheduler());
    return written.thenComposeAsync(write -> {
      if (!(write instanceof Replicator.UpdateSuccess)) {
        return CompletableFuture.completedFuture(Claim.UNDECIDED);
      }
      CompletionStage<Replicator.GetResponse<ORSet<String>>> read = AskPattern.ask(replicator,
          reply -> new Replicator.Get<>(key, new Replicator.ReadMajority(claimTimeout), reply),
          askTimeout, system.scheduler());
      return read.thenApplyAsync(answer -> answer instanceof Replicator.GetSuccess<ORSet<String>> success
          ? decide(success.get(key).getElements(), ticket.nonce(), mine)
          : Claim.UNDECIDED, executor);
    }, executor).exceptionally(failure -> Claim.UNDECIDED);
  }

  /** First use only when the claims of this nonce are exactly our own. */
  static Claim decide(Set<String> claims, String nonce, String mine) {
    Set<String> ofNonce = claims.stream().filter(claim -> nonce.equals(nonceOf(claim))).collect(Collectors.toSet());
    return ofNonce.equals(Set.of(mine)) ? Claim.FIRST_USE : Claim.ALREADY_USED;
  }

  /** Removes, from every bucket of this node's replica, the claims of tickets long expired. */
  private void prune() {
    long before = clock.instant().minus(forgetAfter).toEpochMilli();
    for (int i = 0; i < BUCKETS; i++) {
      replicator.tell(new Replicator.Update<>(bucket(i), ORSet.<String>empty(), Replicator.writeLocal(),
          system.ignoreRef(), set -> {
            ORSet<String> kept = set;
            for (String claim : set.getElements()) {
              if (expiryOf(claim) < before) {
                kept = kept.remove(self, claim);
              }
            }
            return kept;
          }));
    }
  }

  static Key<ORSet<String>> bucketOf(String nonce) {
    return bucket(Math.floorMod(nonce.hashCode(), BUCKETS));
  }

  private static Key<ORSet<String>> bucket(int index) {
    return ORSetKey.create("arena-ws-ticket-uses-" + index);
  }

  /** A claim is {@code expiryMillis:nonce:claimId}; nonces and claim ids are base64url (no colon). */
  private static String nonceOf(String claim) {
    int first = claim.indexOf(':');
    int last = claim.lastIndexOf(':');
    return first < 0 || last <= first ? "" : claim.substring(first + 1, last);
  }

  private static long expiryOf(String claim) {
    try {
      return Long.parseLong(claim.substring(0, Math.max(0, claim.indexOf(':'))));
    } catch (NumberFormatException e) {
      return Long.MIN_VALUE; // not ours to keep
    }
  }

  private static String claimId() {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
