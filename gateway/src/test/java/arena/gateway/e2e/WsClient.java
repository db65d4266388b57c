package arena.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A player's WebSocket, through the JDK's own client: sends frames, and waits (bounded) for the
 * frames it expects, keeping the others for later waits in arrival order.
 */
public final class WsClient implements AutoCloseable {

  public static final Duration WAIT = Duration.ofSeconds(15);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final List<JsonNode> received = new ArrayList<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final WebSocket socket;

  private WsClient(WebSocket socket) {
    this.socket = socket;
  }

  public static WsClient connect(String baseUrl, String token) {
    return connectTo(URI.create(baseUrl.replace("http://", "ws://") + "/ws?token=" + token));
  }

  /** A socket opened with a single-use ticket (POST /api/v1/ws-ticket) instead of the token. */
  public static WsClient connectWithTicket(String baseUrl, String ticket) {
    return connectTo(URI.create(baseUrl.replace("http://", "ws://") + "/ws?ticket=" + ticket));
  }

  /**
   * The HTTP status with which the server refuses an upgrade to this URI ({@code /ws?...}), or
   * 101 when it accepts (the socket is then closed again at once).
   */
  public static int upgradeStatus(String baseUrl, String pathAndQuery) {
    // A client of its own: a refused upgrade is a plain HTTP answer whose connection the shared
    // client would pool, and a later handshake on that connection fails without an answer.
    HttpClient http = HttpClient.newHttpClient();
    try {
      WebSocket socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
          .buildAsync(URI.create(baseUrl.replace("http://", "ws://") + pathAndQuery), new WebSocket.Listener() {})
          .get(15, TimeUnit.SECONDS);
      socket.abort();
      return 101;
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof java.net.http.WebSocketHandshakeException refused) {
        return refused.getResponse().statusCode();
      }
      throw new AssertionError("the upgrade failed without an HTTP answer", e);
    } catch (Exception e) {
      throw new AssertionError("the upgrade did not complete", e);
    }
  }

  private static WsClient connectTo(URI uri) {
    WsClient[] self = new WsClient[1];
    Listener listener = new Listener();
    WebSocket socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
        .buildAsync(uri, listener)
        .orTimeout(15, TimeUnit.SECONDS).join();
    self[0] = new WsClient(socket);
    listener.owner = self[0];
    return self[0];
  }

  /** Sends a frame, giving it a fresh id unless it has one; returns the id. */
  public String send(ObjectNode frame) {
    if (!frame.has("id")) {
      frame.put("id", "r" + ids.incrementAndGet());
    }
    sendText(frame.toString());
    return frame.get("id").asText();
  }

  public void sendText(String text) {
    socket.sendText(text, true).orTimeout(15, TimeUnit.SECONDS).join();
  }

  public static ObjectNode frame(String type) {
    return Api.JSON.createObjectNode().put("type", type);
  }

  /** The first frame (received or still to come) that matches; it is taken from the buffer. */
  public JsonNode await(Predicate<JsonNode> matches, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    synchronized (received) {
      while (true) {
        for (Iterator<JsonNode> it = received.iterator(); it.hasNext(); ) {
          JsonNode frame = it.next();
          if (matches.test(frame)) {
            it.remove();
            return frame;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no " + what + " within " + WAIT + "; received " + received);
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(received, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted waiting for " + what);
        }
      }
    }
  }

  /**
   * Sends a request and returns its answer, sending it again (same id) while the answer is
   * {@code unavailable}, as the spec tells clients to; bounded by {@link #WAIT} twice over.
   */
  public JsonNode request(ObjectNode frame) {
    long deadline = System.nanoTime() + 2 * WAIT.toNanos();
    while (true) {
      JsonNode answer = answer(send(frame));
      if (!"unavailable".equals(answer.path("code").asText()) || System.nanoTime() > deadline) {
        return answer;
      }
    }
  }

  /** The answer to request {@code id}. */
  public JsonNode answer(String id) {
    return await(f -> id.equals(f.path("re").asText(null)), "answer to " + id);
  }

  public JsonNode awaitType(String type) {
    return await(f -> type.equals(f.path("type").asText()), "'" + type + "' frame");
  }

  /** The event frame of {@code gameId} with this seq. */
  public JsonNode awaitEvent(String gameId, long seq) {
    return await(f -> "event".equals(f.path("type").asText()) && gameId.equals(f.path("gameId").asText())
        && f.path("seq").asLong() == seq, "event " + seq + " of " + gameId);
  }

  /** Frames received and not yet taken. */
  public List<JsonNode> pending() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  /** The close code the server sent; fails if it does not close within the wait. */
  public int awaitClose() {
    try {
      return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("the server did not close the socket within " + WAIT + "; received " + pending());
    }
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
    socket.abort();
  }

  private static final class Listener implements WebSocket.Listener {
    volatile WsClient owner;
    private final StringBuilder partial = new StringBuilder();
    private final List<String> early = new ArrayList<>();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        deliver(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    private void deliver(String text) {
      WsClient client = owner;
      if (client == null) {
        synchronized (early) {
          early.add(text);
        }
        return;
      }
      synchronized (early) {
        early.forEach(client::add);
        early.clear();
      }
      client.add(text);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      WsClient client = owner;
      if (client != null) {
        synchronized (early) {
          early.forEach(client::add);
          early.clear();
        }
        client.closed.complete(statusCode);
      }
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      WsClient client = owner;
      if (client != null) {
        client.closed.complete(-1);
      }
    }
  }

  private void add(String text) {
    try {
      JsonNode frame = Api.JSON.readTree(text);
      synchronized (received) {
        received.add(frame);
        received.notifyAll();
      }
    } catch (java.io.IOException e) {
      throw new AssertionError("the server sent a frame that is not JSON: " + text, e);
    }
  }
}
