package arena.gateway.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Chrome DevTools Protocol session with one page target, over the JDK's own
 * {@link java.net.http.WebSocket}: {@link #send} a command and wait (bounded) for the answer with
 * its id, {@link #evaluate} JavaScript in the page. Console messages, uncaught exceptions and
 * browser log entries are kept (the last {@value #LOG_SIZE}) to explain failures.
 */
final class Cdp implements AutoCloseable {

  static final Duration TIMEOUT = Duration.ofSeconds(15);
  static final ObjectMapper JSON = new ObjectMapper();
  private static final int LOG_SIZE = 50;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final Deque<String> log = new ArrayDeque<>();
  private volatile String closedBecause;
  private WebSocket socket;

  private Cdp() {}

  /** Connects to a target's {@code webSocketDebuggerUrl}. */
  static Cdp connect(URI webSocketUrl) {
    Cdp cdp = new Cdp();
    try {
      cdp.socket = HTTP.newWebSocketBuilder().buildAsync(webSocketUrl, cdp.new Listener())
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted connecting to " + webSocketUrl, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot open the DevTools socket " + webSocketUrl, e);
    }
    return cdp;
  }

  /** Sends a command and returns its {@code result}; fails on a protocol error or after {@link #TIMEOUT}. */
  JsonNode send(String method, ObjectNode params) {
    long id = ids.incrementAndGet();
    ObjectNode command = JSON.createObjectNode().put("id", id).put("method", method);
    command.set("params", params == null ? JSON.createObjectNode() : params);
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    try {
      if (closedBecause != null) {
        throw new IllegalStateException(method + ": the DevTools socket is closed (" + closedBecause + ")");
      }
      synchronized (this) { // the JDK's WebSocket allows one outstanding send at a time
        socket.sendText(command.toString(), true).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
      JsonNode response = answer.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (response.has("error")) {
        throw new IllegalStateException(method + " failed: " + response.get("error"));
      }
      return response.path("result");
    } catch (TimeoutException e) {
      throw new IllegalStateException(method + " got no answer within " + TIMEOUT.toSeconds() + " s");
    } catch (ExecutionException e) {
      throw new IllegalStateException(method + " failed: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for " + method, e);
    } finally {
      pending.remove(id);
    }
  }

  JsonNode send(String method) {
    return send(method, null);
  }

  /**
   * Evaluates an expression in the page (awaiting a promise) and returns its value as JSON:
   * {@link NullNode} for {@code null} and {@code undefined}. A thrown exception fails.
   */
  JsonNode evaluate(String expression) {
    ObjectNode params = JSON.createObjectNode()
        .put("expression", expression)
        .put("returnByValue", true)
        .put("awaitPromise", true);
    JsonNode result = send("Runtime.evaluate", params);
    if (result.has("exceptionDetails")) {
      throw new IllegalStateException("`" + expression + "` threw " + describe(result.get("exceptionDetails")));
    }
    JsonNode value = result.path("result").get("value");
    return value == null ? NullNode.instance : value;
  }

  /** The last console messages, uncaught exceptions and browser log entries, oldest first. */
  List<String> log() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  @Override
  public void close() {
    if (socket != null) {
      socket.abort();
    }
  }

  private void received(String text) {
    JsonNode message;
    try {
      message = JSON.readTree(text);
    } catch (IOException e) {
      remember("DevTools sent a message that is not JSON: " + text);
      return;
    }
    if (message.has("id")) {
      CompletableFuture<JsonNode> answer = pending.get(message.get("id").asLong());
      if (answer != null) {
        answer.complete(message);
      }
      return;
    }
    JsonNode params = message.path("params");
    String entry = switch (message.path("method").asText()) {
      case "Runtime.consoleAPICalled" -> "console." + params.path("type").asText() + ": " + consoleArgs(params.path("args"));
      case "Runtime.exceptionThrown" -> "uncaught: " + describe(params.path("exceptionDetails"));
      case "Log.entryAdded" -> "log " + params.path("entry").path("level").asText() + ": "
          + params.path("entry").path("text").asText() + " " + params.path("entry").path("url").asText("");
      default -> null;
    };
    if (entry != null) {
      remember(entry.strip());
    }
  }

  private void remember(String entry) {
    synchronized (log) {
      if (log.size() == LOG_SIZE) {
        log.removeFirst();
      }
      log.addLast(entry);
    }
  }

  private void closed(String because) {
    closedBecause = because;
    IllegalStateException failure = new IllegalStateException("the DevTools socket closed: " + because);
    pending.values().forEach(answer -> answer.completeExceptionally(failure));
  }

  private static String consoleArgs(JsonNode args) {
    StringBuilder text = new StringBuilder();
    for (JsonNode arg : args) {
      JsonNode value = arg.get("value");
      text.append(value != null ? value.asText() : arg.path("description").asText(arg.path("type").asText())).append(' ');
    }
    return text.toString();
  }

  private static String describe(JsonNode exceptionDetails) {
    JsonNode exception = exceptionDetails.path("exception");
    return exception.hasNonNull("description") ? exception.get("description").asText()
        : exceptionDetails.path("text").asText("an exception");
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        received(text);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed("close code " + statusCode + " " + reason);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed(String.valueOf(error));
    }
  }
}
