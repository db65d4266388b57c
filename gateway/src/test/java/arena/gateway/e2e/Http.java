package arena.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Raw HTTP for the hardening tests: any method, any header (X-Forwarded-For), and requests from a
 * chosen loopback address (127.0.0.2), which java.net.http cannot bind.
 */
final class Http {

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A status, the Retry-After header if any, and the body parsed as JSON (null when not JSON). */
  record Reply(int status, Optional<String> retryAfter, JsonNode body, String text) {
    String code() {
      return body == null ? "" : body.path("code").asText();
    }
  }

  private Http() {}

  static Reply send(String method, String url, String json, String token, String forwardedFor) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      builder.header("Content-Type", "application/json");
    }
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    if (forwardedFor != null) {
      builder.header("X-Forwarded-For", forwardedFor);
    }
    try {
      HttpResponse<String> response = CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body;
      try {
        body = Api.JSON.readTree(response.body());
      } catch (IOException e) {
        body = null;
      }
      return new Reply(response.statusCode(), response.headers().firstValue("Retry-After"), body, response.body());
    } catch (IOException e) {
      return new Reply(-1, Optional.empty(), null, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Reply get(String url, String token, String forwardedFor) {
    return send("GET", url, null, token, forwardedFor);
  }

  /** The status of {@code GET path} sent from the local address {@code from}. */
  static int statusFrom(String from, int port, String path, String forwardedFor) throws IOException {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(from, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nX-Forwarded-For: " + forwardedFor
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
        line.append((char) c);
      }
      String[] parts = line.toString().split(" ");
      return parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
    }
  }
}
