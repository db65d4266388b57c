package arena.gateway.kubernetes;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A throwaway EC certificate for {@code localhost} and {@code 127.0.0.1}, signed by its own key
 * and built with a few lines of DER (the JDK has no public certificate builder), so tests speak
 * real TLS to a fake API server without keytool or test resources.
 */
final class SelfSignedCertificate {

  private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
  private static final String COMMON_NAME = "2.5.4.3";
  private static final String SUBJECT_ALT_NAME = "2.5.29.17";
  private static final String ALIAS = "server";
  private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

  final X509Certificate certificate;
  private final KeyPair keys;

  private SelfSignedCertificate(X509Certificate certificate, KeyPair keys) {
    this.certificate = certificate;
    this.keys = keys;
  }

  static SelfSignedCertificate create() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    KeyPair keys = generator.generateKeyPair();
    byte[] name = seq(set(seq(oid(COMMON_NAME), tlv(0x0c, "localhost".getBytes(StandardCharsets.UTF_8)))));
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    byte[] altNames = seq(tlv(0x87, new byte[] {127, 0, 0, 1}), tlv(0x82, "localhost".getBytes(StandardCharsets.US_ASCII)));
    byte[] tbs = seq(
        tlv(0xa0, integer(BigInteger.TWO)), // v3
        integer(BigInteger.valueOf(now.getEpochSecond())),
        seq(oid(ECDSA_WITH_SHA256)),
        name,
        seq(utcTime(now.minus(1, ChronoUnit.DAYS)), utcTime(now.plus(1, ChronoUnit.DAYS))),
        name,
        keys.getPublic().getEncoded(),
        tlv(0xa3, seq(seq(oid(SUBJECT_ALT_NAME), tlv(0x04, altNames)))));
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(keys.getPrivate());
    signer.update(tbs);
    byte[] signature = signer.sign();
    byte[] bitString = new byte[signature.length + 1];
    System.arraycopy(signature, 0, bitString, 1, signature.length);
    byte[] der = seq(tbs, seq(oid(ECDSA_WITH_SHA256)), tlv(0x03, bitString));
    X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(der));
    certificate.verify(keys.getPublic());
    return new SelfSignedCertificate(certificate, keys);
  }

  /** The certificate as a PEM file's contents, as Kubernetes mounts {@code ca.crt}. */
  String pem() throws GeneralSecurityException {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }

  /**
   * A server-side TLS context presenting this certificate. The key manager hands out the key
   * directly: a PKCS12 key store would spend a second on password-based encryption of it.
   */
  SSLContext serverContext() throws GeneralSecurityException {
    X509ExtendedKeyManager keyManager = new X509ExtendedKeyManager() {
      @Override
      public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return ALIAS;
      }

      @Override
      public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return ALIAS;
      }

      @Override
      public String[] getServerAliases(String keyType, Principal[] issuers) {
        return new String[] {ALIAS};
      }

      @Override
      public X509Certificate[] getCertificateChain(String alias) {
        return new X509Certificate[] {certificate};
      }

      @Override
      public PrivateKey getPrivateKey(String alias) {
        return keys.getPrivate();
      }

      @Override
      public String[] getClientAliases(String keyType, Principal[] issuers) {
        return new String[0];
      }

      @Override
      public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
      }
    };
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(new KeyManager[] {keyManager}, null, null);
    return tls;
  }

  private static byte[] seq(byte[]... parts) {
    return tlv(0x30, parts);
  }

  private static byte[] set(byte[]... parts) {
    return tlv(0x31, parts);
  }

  private static byte[] integer(BigInteger value) {
    return tlv(0x02, value.toByteArray());
  }

  private static byte[] utcTime(Instant instant) {
    return tlv(0x17, UTC_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      long arc = Long.parseLong(arcs[i]);
      int groups = 1;
      while ((arc >> (7 * groups)) != 0) {
        groups++;
      }
      for (int g = groups - 1; g >= 0; g--) {
        int septet = (int) ((arc >> (7 * g)) & 0x7f);
        out.write(g == 0 ? septet : septet | 0x80);
      }
    }
    return tlv(0x06, out.toByteArray());
  }

  /** One DER element: tag, definite length, contents. */
  private static byte[] tlv(int tag, byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      content.writeBytes(part);
    }
    int length = content.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    if (length < 0x80) {
      out.write(length);
    } else if (length < 0x100) {
      out.write(0x81);
      out.write(length);
    } else {
      out.write(0x82);
      out.write(length >> 8);
      out.write(length & 0xff);
    }
    out.writeBytes(content.toByteArray());
    return out.toByteArray();
  }
}
