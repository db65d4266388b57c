package arena.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import org.junit.jupiter.api.Test;

/** The verifier refuses everything but a token or ticket of ours, signed by an accepted key, in time. */
class TokensTest {

  private static final byte[] OLD = "the-secret-before-the-rotation-32+bytes".getBytes(StandardCharsets.UTF_8);
  private static final byte[] NEW = "the-secret-after-the-rotation-of-32+bytes".getBytes(StandardCharsets.UTF_8);
  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  private static final Player ALICE = new Player("7f3c1e9a-0000-4000-8000-000000000001", "alice");

  private static Tokens tokens(SigningKeys keys, Instant now) {
    return new Tokens(keys, Duration.ofHours(24), Duration.ofSeconds(30), Clock.fixed(now, ZoneOffset.UTC));
  }

  private static Tokens tokens(byte[] secret) {
    return tokens(SigningKeys.of(secret), NOW);
  }

  /** A JWT as the node signs one, with the header and claims given. */
  private static String sign(JWSHeader header, JWTClaimsSet claims, byte[] secret) throws Exception {
    SignedJWT jwt = new SignedJWT(header, claims);
    jwt.sign(new MACSigner(secret));
    return jwt.serialize();
  }

  private static JWTClaimsSet.Builder claims(Instant expiry) {
    return new JWTClaimsSet.Builder().issuer("arena").subject(ALICE.playerId()).claim("name", ALICE.name())
        .issueTime(Date.from(NOW.minusSeconds(60))).expirationTime(Date.from(expiry));
  }

  @Test
  void acceptsItsOwnTokenAndNamesThePlayer() {
    Tokens tokens = tokens(NEW);
    assertThat(tokens.verify(tokens.issue(ALICE))).contains(ALICE);
  }

  @Test
  void refusesAnExpiredToken() {
    String token = tokens(NEW).issue(ALICE);
    assertThat(tokens(SigningKeys.of(NEW), NOW.plus(Duration.ofHours(24)).minusSeconds(1)).verify(token)).contains(ALICE);
    assertThat(tokens(SigningKeys.of(NEW), NOW.plus(Duration.ofHours(24))).verify(token)).isEmpty();
  }

  @Test
  void refusesAnotherAlgorithmEvenWithTheRightKey() throws Exception {
    byte[] longKey = (new String(NEW, StandardCharsets.UTF_8) + "-long-enough-for-hs512-0123456789")
        .getBytes(StandardCharsets.UTF_8);
    String kid = SigningKeys.kidOf(longKey);
    for (JWSAlgorithm alg : new JWSAlgorithm[] {JWSAlgorithm.HS384, JWSAlgorithm.HS512}) {
      String token = sign(new JWSHeader.Builder(alg).keyID(kid).build(), claims(NOW.plusSeconds(600)).build(), longKey);
      assertThat(tokens(longKey).verify(token)).as(alg.getName()).isEmpty();
    }
  }

  @Test
  void refusesAlgNone() {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String payload = b64.encodeToString(claims(NOW.plusSeconds(600)).build().toString().getBytes(StandardCharsets.UTF_8));
    assertThat(tokens(NEW).verify(header + "." + payload + ".")).isEmpty();
    assertThat(tokens(NEW).verify(header + "." + payload)).isEmpty();
    String signature = tokens(NEW).issue(ALICE).split("\\.")[2];
    assertThat(tokens(NEW).verify(header + "." + payload + "." + signature)).isEmpty();
  }

  @Test
  void refusesAnotherIssuer() throws Exception {
    String token = sign(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(SigningKeys.kidOf(NEW)).build(),
        claims(NOW.plusSeconds(600)).issuer("someone-else").build(), NEW);
    assertThat(tokens(NEW).verify(token)).isEmpty();
  }

  @Test
  void refusesAnUnknownKeyId() throws Exception {
    String token = sign(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("not-one-of-ours").build(),
        claims(NOW.plusSeconds(600)).build(), NEW);
    assertThat(tokens(NEW).verify(token)).isEmpty();
  }

  @Test
  void refusesAKeyIdOfAKeyThatDidNotSign() throws Exception {
    // the kid of the current key, but signed with a key the node does not have
    String token = sign(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(SigningKeys.kidOf(NEW)).build(),
        claims(NOW.plusSeconds(600)).build(), "an-attackers-key-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8));
    assertThat(tokens(NEW).verify(token)).isEmpty();
  }

  @Test
  void acceptsTokensOfThePreviousKeyAndSignsWithTheCurrentOne() {
    String before = tokens(OLD).issue(ALICE);
    Tokens rotated = tokens(SigningKeys.of(NEW, OLD), NOW);
    assertThat(rotated.verify(before)).contains(ALICE);
    String after = rotated.issue(ALICE);
    assertThat(tokens(NEW).verify(after)).as("signed with the current key").contains(ALICE);
    assertThat(tokens(OLD).verify(after)).as("not with the previous one").isEmpty();
    assertThat(tokens(NEW).verify(before)).as("once the previous key is dropped").isEmpty();
  }

  @Test
  void acceptsTokensOfTheReleaseBeforeKeyIds() throws Exception {
    // exactly what the previous release issued: HS256, no kid, no jti
    String legacy = sign(new JWSHeader(JWSAlgorithm.HS256), claims(NOW.plusSeconds(600)).build(), NEW);
    assertThat(tokens(NEW).verify(legacy)).contains(ALICE);
    assertThat(tokens(SigningKeys.of(NEW, OLD), NOW).verify(legacy)).contains(ALICE);
    String legacyOfOld = sign(new JWSHeader(JWSAlgorithm.HS256), claims(NOW.plusSeconds(600)).build(), OLD);
    assertThat(tokens(SigningKeys.of(NEW, OLD), NOW).verify(legacyOfOld)).contains(ALICE);
    assertThat(tokens(NEW).verify(legacyOfOld)).isEmpty();
  }

  @Test
  void refusesATamperedPayload() {
    String[] parts = tokens(NEW).issue(ALICE).split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    String forged = payload.replace(ALICE.playerId(), "7f3c1e9a-0000-4000-8000-000000000002");
    assertThat(forged).isNotEqualTo(payload);
    String token = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(forged.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    assertThat(tokens(NEW).verify(token)).isEmpty();
  }

  @Test
  void refusesGarbage() {
    Tokens tokens = tokens(NEW);
    for (String garbage : new String[] {null, "", "a.b.c", "...", "x".repeat(5000), "eyJhbGciOiJIUzI1NiJ9.e30.AAAA"}) {
      assertThat(tokens.verify(garbage)).as(String.valueOf(garbage)).isEmpty();
      assertThat(tokens.verifyTicket(garbage)).as(String.valueOf(garbage)).isEmpty();
    }
  }

  @Test
  void refusesASecretShorterThan32Bytes() {
    byte[] short31 = "0123456789012345678901234567890".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> SigningKeys.of(short31)).hasMessageContaining("ARENA_AUTH_SECRET")
        .hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> SigningKeys.of(NEW, short31)).hasMessageContaining("ARENA_AUTH_SECRET_PREVIOUS");
    assertThat(SigningKeys.of("01234567890123456789012345678901".getBytes(StandardCharsets.UTF_8))).isNotNull();
  }

  @Test
  void aTicketIsNotATokenNorATokenATicket() {
    Tokens tokens = tokens(NEW);
    String ticket = tokens.issueTicket(ALICE).ticket();
    String token = tokens.issue(ALICE);
    assertThat(tokens.verify(ticket)).isEmpty();
    assertThat(tokens.verifyTicket(token)).isEmpty();
    assertThat(tokens.verifyTicket(ticket)).get().extracting(Ticket::player).isEqualTo(ALICE);
  }

  @Test
  void aTicketExpiresAfterItsTimeToLive() {
    Tokens.IssuedTicket issued = tokens(NEW).issueTicket(ALICE);
    assertThat(issued.expiresInMs()).isEqualTo(30_000);
    Ticket ticket = tokens(SigningKeys.of(NEW), NOW.plusSeconds(29)).verifyTicket(issued.ticket()).orElseThrow();
    assertThat(ticket.expiresAt()).isEqualTo(NOW.plusSeconds(30));
    assertThat(ticket.nonce()).matches("[A-Za-z0-9_-]{22}");
    assertThat(tokens(SigningKeys.of(NEW), NOW.plusSeconds(30)).verifyTicket(issued.ticket())).isEmpty();
  }

  @Test
  void everyTicketHasItsOwnNonce() {
    Tokens tokens = tokens(NEW);
    String first = tokens.verifyTicket(tokens.issueTicket(ALICE).ticket()).orElseThrow().nonce();
    String second = tokens.verifyTicket(tokens.issueTicket(ALICE).ticket()).orElseThrow().nonce();
    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void aTicketLivesAtMostAMinute() {
    assertThatThrownBy(() -> new Tokens(SigningKeys.of(NEW), Duration.ofHours(1), Duration.ofSeconds(61), Clock.systemUTC()))
        .hasMessageContaining("arena.auth.ticket.ttl");
  }

  @Test
  void keyIdsDependOnlyOnTheKey() {
    assertThat(SigningKeys.kidOf(NEW)).isEqualTo(SigningKeys.kidOf(NEW.clone())).isNotEqualTo(SigningKeys.kidOf(OLD))
        .hasSize(12);
  }
}
