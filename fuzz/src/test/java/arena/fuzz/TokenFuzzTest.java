package arena.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import arena.gateway.auth.Player;
import arena.gateway.auth.Tokens;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.util.Optional;

/**
 * The token verifier against what an attacker can send: arbitrary text never verifies and never
 * throws, and no change to a real token makes it name another player or live longer.
 */
class TokenFuzzTest {

  private static final Tokens TOKENS = Tokens.fromConfig(ConfigFactory.parseString("""
      arena.auth.secret = "fuzz-secret-0123456789abcdef0123456789"
      arena.auth.token-ttl = 1h
      """).withFallback(ConfigFactory.load()), Clock.systemUTC());
  private static final Player ALICE = new Player("7d3c1f9e-1111-4222-8333-944445555666", "alice");
  private static final String TOKEN = TOKENS.issue(ALICE);

  @FuzzTest(maxDuration = "30s")
  void madeUpTextNeverVerifies(String text) {
    assertThat(TOKENS.verify(text)).isEmpty();
  }

  @FuzzTest(maxDuration = "30s")
  void aTamperedTokenNamesNobodyElse(FuzzedDataProvider data) {
    char[] token = TOKEN.toCharArray();
    int edits = data.consumeInt(1, 8);
    for (int i = 0; i < edits && data.remainingBytes() > 0; i++) {
      token[data.consumeInt(0, token.length - 1)] = data.consumeChar();
    }
    String tampered = new String(token) + data.consumeRemainingAsString();
    Optional<Player> verified = TOKENS.verify(tampered);
    // Base64url's last character carries spare bits, so a few edits decode to the very same
    // bytes: such a token may verify, but only as the player it was issued to.
    verified.ifPresent(player -> assertThat(player).isEqualTo(ALICE));
  }
}
