package arena.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The HMAC keys a node signs and accepts tokens with: the current key, which signs, and the
 * previous one, still accepted while a rotation is under way. Each key's id ({@code kid}) is
 * derived from the key itself, so every node sharing a secret names it alike without another
 * setting; the id is a truncated SHA-256 of a labelled key and tells nothing about the key.
 */
public final class SigningKeys {

  /** HS256 needs at least 256 bits of key. */
  public static final int MIN_SECRET_BYTES = 32;
  static final String CURRENT = "arena.auth.secret (ARENA_AUTH_SECRET)";
  static final String PREVIOUS = "arena.auth.secret-previous (ARENA_AUTH_SECRET_PREVIOUS)";

  /** One key: its id, and the signer and verifier made from it. */
  record Key(String kid, MACSigner signer, MACVerifier verifier) {}

  private final Key current;
  private final List<Key> accepted;

  private SigningKeys(Key current, List<Key> accepted) {
    this.current = current;
    this.accepted = accepted;
  }

  /** The current key alone. */
  public static SigningKeys of(byte[] current) {
    return of(current, null);
  }

  /** The current key, and the previous one (null or empty: none) still accepted. */
  public static SigningKeys of(byte[] current, byte[] previous) {
    Key signing = key(current, CURRENT);
    List<Key> accepted = new ArrayList<>(List.of(signing));
    if (previous != null && previous.length > 0 && !Arrays.equals(previous, current)) {
      accepted.add(key(previous, PREVIOUS));
    }
    return new SigningKeys(signing, List.copyOf(accepted));
  }

  /** The key that signs new tokens and tickets. */
  Key current() {
    return current;
  }

  /** Every accepted key, the current one first. */
  List<Key> accepted() {
    return accepted;
  }

  /** The accepted key with this id. */
  Optional<Key> byKid(String kid) {
    return accepted.stream().filter(key -> key.kid().equals(kid)).findFirst();
  }

  /** The id of a key: 12 characters of base64url from SHA-256("arena-kid:" + key). */
  static String kidOf(byte[] secret) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("arena-kid:".getBytes(StandardCharsets.UTF_8));
      byte[] digest = sha.digest(secret);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 9));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static Key key(byte[] secret, String setting) {
    if (secret == null || secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException(setting + " must be at least " + MIN_SECRET_BYTES + " bytes");
    }
    try {
      return new Key(kidOf(secret), new MACSigner(secret), new MACVerifier(secret));
    } catch (JOSEException e) {
      throw new IllegalArgumentException(setting + " is not a usable HMAC key", e);
    }
  }
}
