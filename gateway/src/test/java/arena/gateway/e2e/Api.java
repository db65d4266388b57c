package arena.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client of the players' API, as any other program would use it. */
public final class Api {

  public static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A status and a parsed JSON body ({@code null} when the body is not JSON). */
  public record Answer(int status, JsonNode body) {}

  private final String base;

  public Api(String base) {
    this.base = base;
  }

  public Answer get(String path, String token) throws IOException, InterruptedException {
    return send(request(path, token).GET().build());
  }

  public Answer post(String path, String body, String token) throws IOException, InterruptedException {
    return send(request(path, token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  /** A new player; returns {playerId, name, token}. */
  public JsonNode newPlayer(String name) throws IOException, InterruptedException {
    Answer answer = post("/api/v1/players", JSON.writeValueAsString(java.util.Map.of("name", name)), null);
    if (answer.status() != 201) {
      throw new AssertionError("creating player " + name + " answered " + answer);
    }
    return answer.body();
  }

  private HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  private static Answer send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    JsonNode body;
    try {
      body = response.body().isEmpty() ? null : JSON.readTree(response.body());
    } catch (IOException e) {
      body = null;
    }
    return new Answer(response.statusCode(), body);
  }
}
