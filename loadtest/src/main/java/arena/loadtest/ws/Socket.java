package arena.loadtest.ws;

import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** One player's WebSocket: queues what it sends, hands every frame it receives to its game. */
final class Socket implements WebSocket.Listener {

  private final WsLoad load;
  private final StringBuilder partial = new StringBuilder();
  private CompletableFuture<WebSocket> tail = CompletableFuture.completedFuture(null);
  volatile WebSocket ws;
  volatile Game game;

  Socket(WsLoad load) {
    this.load = load;
  }

  /** Queues a frame: the JDK's WebSocket takes one send at a time; nobody blocks. */
  synchronized void send(String text) {
    WebSocket socket = ws;
    tail = tail.thenCompose(previous -> socket.sendText(text, true)).exceptionally(failure -> {
      load.error("send_failed:" + WsLoad.kindOf(failure));
      return socket;
    });
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    ws = webSocket;
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    if (!last) {
      partial.append(data);
    } else {
      String text;
      if (partial.length() == 0) {
        text = data.toString();
      } else {
        text = partial.append(data).toString();
        partial.setLength(0);
      }
      Game to = game;
      try {
        Frame frame = Frame.parse(text);
        if (to != null) {
          to.onFrame(this, frame);
        }
      } catch (Exception e) {
        load.error("bad_frame:" + WsLoad.kindOf(e));
      }
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    gone("closed:" + statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    gone("socket_error:" + WsLoad.kindOf(error));
  }

  private void gone(String kind) {
    if (load.running) {
      load.error(kind);
      Game to = game;
      if (to != null) {
        to.socketLost(kind);
      }
    }
  }

  void abort() {
    WebSocket socket = ws;
    if (socket != null) {
      socket.abort();
    }
  }

  static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
