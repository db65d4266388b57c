package arena.gateway.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The few calls Arena makes to the Kubernetes API, on the JDK's HTTP client: HTTPS trusting only
 * the service account's CA, the service account's bearer token, JSON in and out.
 *
 * <p>The token is read from its file for every request: projected service-account tokens expire
 * and the kubelet rewrites the file, so a token read once at start-up would fail after an hour.
 */
public final class KubernetesApi {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_DETAIL = 300;

  private final KubernetesSettings settings;
  private final HttpClient client;

  public KubernetesApi(KubernetesSettings settings) {
    this.settings = settings;
    this.client = HttpClient.newBuilder()
        .sslContext(trusting(settings))
        .connectTimeout(settings.requestTimeout())
        .build();
  }

  KubernetesSettings settings() {
    return settings;
  }

  /** GET of an object; blocks up to the request timeout. */
  JsonNode get(String path) throws IOException, InterruptedException {
    HttpRequest request = request(path).GET().build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    return parse("GET", path, response);
  }

  /**
   * A JSON merge patch (RFC 7386) of an object; completes with the patched object, or
   * exceptionally with an IOException or a {@link KubernetesApiException}. (Never with null: a
   * null result piped to a stopped actor crashes Pekko's dead-letter logging.)
   */
  CompletableFuture<JsonNode> mergePatch(String path, JsonNode patch) {
    HttpRequest request;
    try {
      request = request(path)
          .header("Content-Type", "application/merge-patch+json")
          .method("PATCH", HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(patch)))
          .build();
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    return client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(response -> parse("PATCH", path, response));
  }

  /**
   * Whether a failed call may succeed if repeated: no answer at all (connection, timeout), or an
   * answer that {@link KubernetesApiException#retryable()} says is passing.
   */
  static boolean retryable(Throwable failure) {
    if (failure instanceof KubernetesApiException api) {
      return api.retryable();
    }
    return failure instanceof IOException || failure instanceof UncheckedIOException;
  }

  private HttpRequest.Builder request(String path) throws IOException {
    return HttpRequest.newBuilder(URI.create(settings.baseUri() + path))
        .timeout(settings.requestTimeout())
        .header("Accept", "application/json")
        .header("Authorization", "Bearer " + Files.readString(settings.tokenPath()).trim());
  }

  private static JsonNode parse(String method, String path, HttpResponse<String> response) {
    int status = response.statusCode();
    if (status < 200 || status > 299) {
      throw new KubernetesApiException(method, path, status, detail(response.body()));
    }
    try {
      return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + ": the answer is not JSON", e);
    }
  }

  /** The {@code message} of a Kubernetes {@code Status} object, or the start of whatever came back. */
  private static String detail(String body) {
    try {
      JsonNode message = JSON.readTree(body).path("message");
      if (message.isTextual()) {
        return message.asText();
      }
    } catch (IOException | RuntimeException e) {
      // not a Status object: show the raw start below
    }
    String raw = body == null ? "" : body.strip();
    return raw.length() > MAX_DETAIL ? raw.substring(0, MAX_DETAIL) + "…" : raw;
  }

  private static SSLContext trusting(KubernetesSettings settings) {
    try (InputStream in = Files.newInputStream(settings.caPath())) {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      int i = 0;
      for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trusted.setCertificateEntry("kubernetes-ca-" + i++, ca);
      }
      if (i == 0) {
        throw new IllegalArgumentException(KubernetesSettings.PATH + ".api-ca-path: no certificate in " + settings.caPath());
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, trust.getTrustManagers(), null);
      return tls;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(KubernetesSettings.PATH + ".api-ca-path: cannot load a CA certificate from "
          + settings.caPath() + ": " + e.getMessage(), e);
    }
  }
}
