package arena.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * docker/arena-mgmt.sh, the image's HEALTHCHECK and operators' management client, run with bash
 * against a stand-in management port on loopback.
 */
class HealthcheckScriptTest {

  private HttpServer server;
  private volatile int aliveStatus = 200;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/alive", exchange -> answer(exchange, aliveStatus, "OK"));
    server.createContext("/cluster/members", exchange -> answer(exchange, 200, "{\"members\":[]}"));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void healthyWhenAliveAnswers200() throws Exception {
    assertThat(run(server.getAddress().getPort(), "--check", "/alive").exitCode).isZero();
  }

  @Test
  void unhealthyWhenAliveAnswersAnythingElse() throws Exception {
    aliveStatus = 503;
    assertThat(run(server.getAddress().getPort(), "--check", "/alive").exitCode).isNotZero();
  }

  @Test
  void unhealthyWhenNothingListens() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    assertThat(run(closed, "--check", "/alive").exitCode).isNotZero();
  }

  @Test
  void printsTheBodyForOperators() throws Exception {
    Result result = run(server.getAddress().getPort(), "/cluster/members");
    assertThat(result.exitCode).isZero();
    assertThat(result.output.strip()).isEqualTo("{\"members\":[]}");
  }

  private record Result(int exitCode, String output) {}

  private static Result run(int port, String... args) throws Exception {
    String[] command = new String[args.length + 2];
    command[0] = "bash";
    command[1] = Repository.path("docker/arena-mgmt.sh").toString();
    System.arraycopy(args, 0, command, 2, args.length);
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("ARENA_HOST", "127.0.0.1");
    builder.environment().put("ARENA_MANAGEMENT_PORT", String.valueOf(port));
    Process process = builder.start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("the script ends").isTrue();
    return new Result(process.exitValue(), output);
  }

  private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
