package arena.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.typesafe.config.Config;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Player tokens and WebSocket tickets: JWTs signed with HMAC-SHA256, carrying the player's id
 * (subject) and name, with an expiry.
 *
 * <p>Each carries the id ({@code kid}) of the key that signed it; a node signs with its current
 * key and accepts the previous one too ({@link SigningKeys}), so rotating the secret logs nobody
 * out, and the player's id, which lives in the token, stays. Tokens of the release before key
 * ids (no {@code kid}) are checked against every accepted key.
 *
 * <p>A ticket differs from a token by its audience ({@code arena-ws}): a ticket is never taken
 * as a token, nor a token as a ticket. It lives at most a minute and carries a random nonce
 * ({@code jti}) by which {@link TicketLedger} lets it open one WebSocket only.
 */
public final class Tokens {

  private static final Logger log = LoggerFactory.getLogger(Tokens.class);
  private static final String ISSUER = "arena";
  /** The audience of a WebSocket ticket; player tokens have none. */
  static final String TICKET_AUDIENCE = "arena-ws";
  private static final int MAX_LENGTH = 4096;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A freshly signed ticket and how long it stays valid. */
  public record IssuedTicket(String ticket, long expiresInMs) {}

  private final SigningKeys keys;
  private final Duration ttl;
  private final Duration ticketTtl;
  private final Clock clock;

  /** One key, tickets of 30 s. */
  public Tokens(byte[] secret, Duration ttl, Clock clock) {
    this(SigningKeys.of(secret), ttl, Duration.ofSeconds(30), clock);
  }

  public Tokens(SigningKeys keys, Duration ttl, Duration ticketTtl, Clock clock) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("arena.auth.token-ttl (ARENA_TOKEN_TTL) must be positive");
    }
    if (ticketTtl.isNegative() || ticketTtl.isZero() || ticketTtl.compareTo(AuthSettings.MAX_TICKET_TTL) > 0) {
      throw new IllegalArgumentException("arena.auth.ticket.ttl must be positive and at most 60s");
    }
    this.keys = keys;
    this.ttl = ttl;
    this.ticketTtl = ticketTtl;
    this.clock = clock;
  }

  /** Reads {@code arena.auth}; the secrets themselves are never logged. */
  public static Tokens fromConfig(Config config, Clock clock) {
    AuthSettings settings = AuthSettings.fromConfig(config);
    byte[] secret = settings.secret();
    if (!settings.hasSecret()) {
      log.warn("ARENA_AUTH_SECRET is not set: tokens are signed with a random key of this process. "
          + "Fine for one development node; a cluster needs the same secret on every node.");
      secret = new byte[SigningKeys.MIN_SECRET_BYTES];
      RANDOM.nextBytes(secret);
    }
    return new Tokens(SigningKeys.of(secret, settings.previousSecret()), settings.tokenTtl(),
        settings.ticketTtl(), clock);
  }

  /** A signed token for {@code player}, valid for the configured time to live. */
  public String issue(Player player) {
    return sign(player, ttl, null);
  }

  /** A signed single-use WebSocket ticket for {@code player}, valid for the ticket time to live. */
  public IssuedTicket issueTicket(Player player) {
    return new IssuedTicket(sign(player, ticketTtl, TICKET_AUDIENCE), ticketTtl.toMillis());
  }

  /** The player a token names, if it is well-formed, signed by an accepted key, of our issuer and not expired. */
  public Optional<Player> verify(String token) {
    return verified(token)
        .filter(claims -> claims.getAudience().isEmpty())
        .flatMap(Tokens::player);
  }

  /** The ticket, if it is well-formed, signed by an accepted key, of our issuer and not expired. */
  public Optional<Ticket> verifyTicket(String ticket) {
    return verified(ticket)
        .filter(claims -> claims.getAudience().equals(List.of(TICKET_AUDIENCE)) && claims.getJWTID() != null)
        .flatMap(claims -> player(claims).map(player ->
            new Ticket(claims.getJWTID(), player, claims.getExpirationTime().toInstant())));
  }

  private String sign(Player player, Duration lifetime, String audience) {
    Instant now = clock.instant();
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject(player.playerId())
        .claim("name", player.name())
        .jwtID(nonce())
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(lifetime)));
    if (audience != null) {
      claims.audience(audience);
    }
    SigningKeys.Key key = keys.current();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.kid()).build(), claims.build());
    try {
      jwt.sign(key.signer());
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a token", e);
    }
    return jwt.serialize();
  }

  /** The claims of a JWT whose signature, algorithm, key id, issuer, subject, name and expiry hold. */
  private Optional<JWTClaimsSet> verified(String jwt) {
    if (jwt == null || jwt.isEmpty() || jwt.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    try {
      SignedJWT signed = SignedJWT.parse(jwt);
      JWSHeader header = signed.getHeader();
      if (!JWSAlgorithm.HS256.equals(header.getAlgorithm()) || !signedByAcceptedKey(signed, header.getKeyID())) {
        return Optional.empty();
      }
      JWTClaimsSet claims = signed.getJWTClaimsSet();
      Date expiry = claims.getExpirationTime();
      if (!ISSUER.equals(claims.getIssuer()) || expiry == null || !clock.instant().isBefore(expiry.toInstant())) {
        return Optional.empty();
      }
      return Optional.of(claims);
    } catch (ParseException | JOSEException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** A key id names the one key to check; a token without one (older releases) may be from any accepted key. */
  private boolean signedByAcceptedKey(SignedJWT jwt, String kid) throws JOSEException {
    if (kid != null) {
      Optional<SigningKeys.Key> key = keys.byKid(kid);
      return key.isPresent() && jwt.verify(key.get().verifier());
    }
    for (SigningKeys.Key key : keys.accepted()) {
      if (jwt.verify(key.verifier())) {
        return true;
      }
    }
    return false;
  }

  private static Optional<Player> player(JWTClaimsSet claims) {
    try {
      String name = claims.getStringClaim("name");
      if (claims.getSubject() == null || name == null) {
        return Optional.empty();
      }
      return Optional.of(new Player(claims.getSubject(), name));
    } catch (ParseException e) {
      return Optional.empty();
    }
  }

  private static String nonce() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
