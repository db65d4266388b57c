package arena.gateway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A Kubernetes API server as far as Arena uses it: HTTPS on loopback with a certificate made for
 * the test, the service-account files (token, ca.crt, namespace) in a temporary folder, every
 * request recorded for the test to check, and answers scripted by the test.
 */
final class FakeApiServer implements AutoCloseable {

  static final String TOKEN = "test-token";
  static final String NAMESPACE = "arena-ns";
  static final String POD = "arena-7d9f8c6b5-x2x4q";
  static final String POD_PATH = "/api/v1/namespaces/" + NAMESPACE + "/pods/" + POD;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the server received. Header names are lower case. */
  record Request(String method, String path, Map<String, String> headers, String body, long nanoTime) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  record Response(int status, String body) {
    static Response ok(String json) {
      return new Response(200, json);
    }

    /** A Kubernetes {@code Status} object, as the API server sends with errors. */
    static Response status(int code, String message) {
      return new Response(code, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\""
          + message + "\",\"code\":" + code + "}");
    }
  }

  final Path tokenFile;
  private final Path folder;
  private final HttpsServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final BlockingQueue<Request> received = new LinkedBlockingQueue<>();
  private final Queue<Response> scripted = new ConcurrentLinkedQueue<>();
  private volatile Function<Request, Response> otherwise = request -> Response.ok("{}");

  /** One certificate for all servers of the test run: making one costs a few hundred ms. */
  private static SelfSignedCertificate certificate;

  private FakeApiServer(Path folder) throws Exception {
    this.folder = folder;
    SelfSignedCertificate certificate = certificate();
    tokenFile = folder.resolve("token");
    Files.writeString(tokenFile, TOKEN + "\n");
    Files.writeString(folder.resolve("ca.crt"), certificate.pem());
    Files.writeString(folder.resolve("namespace"), NAMESPACE);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  private static synchronized SelfSignedCertificate certificate() throws Exception {
    if (certificate == null) {
      certificate = SelfSignedCertificate.create();
    }
    return certificate;
  }

  static FakeApiServer start(Path folder) throws Exception {
    return new FakeApiServer(folder);
  }

  /** The answer to the next request that arrives; scripted answers are used in order. */
  void answerNext(Response response) {
    scripted.add(response);
  }

  /** How to answer once the scripted answers are used up (at first: 200 with {@code {}}). */
  void otherwise(Function<Request, Response> answer) {
    otherwise = answer;
  }

  /** The next request received within {@code wait}, or null. */
  Request poll(Duration wait) throws InterruptedException {
    return received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The next request received, waiting up to 5 s for it. */
  Request take() throws InterruptedException {
    Request request = received.poll(5, TimeUnit.SECONDS);
    assertThat(request).as("a request to the API server within 5 s").isNotNull();
    return request;
  }

  void assertNoRequestWithin(Duration quiet) throws InterruptedException {
    Request request = received.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(request).as("no further request to the API server").isNull();
  }

  /**
   * {@code arena.kubernetes} for a node in pod {@link #POD} talking to this server, with short
   * backoffs so retries take milliseconds, over the proposed reference block.
   */
  Config config() {
    return ConfigFactory.parseString("""
            arena.discovery = kubernetes-api
            arena.kubernetes {
              api-host = "127.0.0.1"
              request-timeout = 2s
              pod-deletion-cost.retry { min-backoff = 20ms, max-backoff = 200ms, max-attempts = 4 }
              app-version.retry { min-backoff = 10ms, max-backoff = 50ms, max-attempts = 3 }
            }
            """)
        .withValue("arena.kubernetes.api-port", ConfigValueFactory.fromAnyRef(server.getAddress().getPort()))
        .withValue("arena.kubernetes.api-token-path", ConfigValueFactory.fromAnyRef(tokenFile.toString()))
        .withValue("arena.kubernetes.api-ca-path", ConfigValueFactory.fromAnyRef(folder.resolve("ca.crt").toString()))
        .withValue("arena.kubernetes.namespace-path", ConfigValueFactory.fromAnyRef(folder.resolve("namespace").toString()))
        .withValue("arena.kubernetes.pod-name", ConfigValueFactory.fromAnyRef(POD))
        .withFallback(TestReference.config())
        .resolve();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, String> headers = new HashMap<>();
      exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), headers,
          body, System.nanoTime());
      received.add(request);
      Response scriptedAnswer = scripted.poll();
      Response response = scriptedAnswer != null ? scriptedAnswer : otherwise.apply(request);
      byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
