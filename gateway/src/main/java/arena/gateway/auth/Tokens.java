package arena.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.typesafe.config.Config;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Player tokens: JWTs signed with HMAC-SHA256 under {@code ARENA_AUTH_SECRET}, carrying the
 * player's id (subject) and name, with an expiry. Every node of a cluster must share the secret;
 * without one a node makes up a random key, so its tokens die with it.
 */
public final class Tokens {

  private static final Logger log = LoggerFactory.getLogger(Tokens.class);
  private static final int MIN_SECRET_BYTES = 32;
  private static final String ISSUER = "arena";

  private final MACSigner signer;
  private final MACVerifier verifier;
  private final Duration ttl;
  private final Clock clock;

  public Tokens(byte[] secret, Duration ttl, Clock clock) {
    if (secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException(
          "arena.auth.secret (ARENA_AUTH_SECRET) must be at least " + MIN_SECRET_BYTES + " bytes");
    }
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("arena.auth.token-ttl (ARENA_TOKEN_TTL) must be positive");
    }
    try {
      this.signer = new MACSigner(secret);
      this.verifier = new MACVerifier(secret);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("arena.auth.secret (ARENA_AUTH_SECRET) is not a usable HMAC key", e);
    }
    this.ttl = ttl;
    this.clock = clock;
  }

  /** Reads {@code arena.auth}; the secret itself is never logged. */
  public static Tokens fromConfig(Config config, Clock clock) {
    String secret = config.getString("arena.auth.secret");
    Duration ttl = config.getDuration("arena.auth.token-ttl");
    if (secret.isEmpty()) {
      log.warn("ARENA_AUTH_SECRET is not set: tokens are signed with a random key of this process. "
          + "Fine for one development node; a cluster needs the same secret on every node.");
      byte[] random = new byte[MIN_SECRET_BYTES];
      new SecureRandom().nextBytes(random);
      return new Tokens(random, ttl, clock);
    }
    return new Tokens(secret.getBytes(StandardCharsets.UTF_8), ttl, clock);
  }

  /** A signed token for {@code player}, valid for the configured time to live. */
  public String issue(Player player) {
    Instant now = clock.instant();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject(player.playerId())
        .claim("name", player.name())
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(ttl)))
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a token", e);
    }
    return jwt.serialize();
  }

  /** The player a token names, if it is well-formed, signed by us, of our issuer and not expired. */
  public Optional<Player> verify(String token) {
    if (token == null || token.isEmpty() || token.length() > 4096) {
      return Optional.empty();
    }
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
        return Optional.empty();
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      Date expiry = claims.getExpirationTime();
      String name = claims.getStringClaim("name");
      if (!ISSUER.equals(claims.getIssuer()) || expiry == null || claims.getSubject() == null
          || name == null || !clock.instant().isBefore(expiry.toInstant())) {
        return Optional.empty();
      }
      return Optional.of(new Player(claims.getSubject(), name));
    } catch (ParseException | JOSEException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
