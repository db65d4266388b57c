package arena.loadtest.ws;

import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * One player's WebSocket: queues what it sends, hands every frame it receives to the game it is
 * about. A socket may sit in several games at once ({@code wsload.gamesPerSocket}): an answer goes
 * to the game whose slot its {@code re} names (every request id a game sends starts with the
 * game's slot, see {@link Game#slotOf}), an event or {@code state} to the game currently playing
 * that {@code gameId}. What reaches no game is counted here when it says something went wrong
 * ({@code shutdown}, an {@code error} no game asked for, an {@code ack} of an unknown id) and is
 * otherwise dropped: the events of a game given up on.
 */
final class Socket implements WebSocket.Listener {

  /** Who counts what a socket sees: {@link WsLoad} (closed loop) or {@link OpenLoad} (open loop). */
  interface Owner {
    /** An error of this kind: an error frame's code, or what failed and the exception's class. */
    void error(String kind);

    /** Whether frames sent now count as sent in the measurement window. */
    boolean measuring();

    /** False once the run is over: a closing socket is then no error. */
    boolean running();
  }

  /** A game a socket sits in: what it gets of the socket's frames. */
  interface Table {
    /** The id of the game being played, or null between two games. */
    String gameId();

    void onFrame(Socket from, Frame f);

    /** The socket closed: the game is over for this run. */
    void socketLost(String kind);
  }

  private static final Table[] NONE = new Table[0];

  private final Owner load;
  private final StringBuilder partial = new StringBuilder();
  private CompletableFuture<WebSocket> tail = CompletableFuture.completedFuture(null);
  /** Frames sent while the load measured. */
  private long sentInWindow;
  volatile WebSocket ws;
  /** The games this socket plays in, by slot; both sockets of a pair hold the same array. */
  volatile Table[] games = NONE;

  Socket(Owner load) {
    this.load = load;
  }

  /** Queues a frame: the JDK's WebSocket takes one send at a time; nobody blocks. */
  synchronized void send(String text) {
    if (load.measuring()) {
      sentInWindow++;
    }
    WebSocket socket = ws;
    tail = tail.thenCompose(previous -> socket.sendText(text, true)).exceptionally(failure -> {
      load.error("send_failed:" + WsLoad.kindOf(failure));
      return socket;
    });
  }

  synchronized long sentInWindow() {
    return sentInWindow;
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
      try {
        deliver(Frame.parse(text));
      } catch (Exception e) {
        load.error("bad_frame:" + WsLoad.kindOf(e));
      }
    }
    webSocket.request(1);
    return null;
  }

  /** Hands a frame to its game: an answer by its {@code re}, an event or state by its {@code gameId}. */
  private void deliver(Frame f) {
    Table[] mine = games;
    Table to = null;
    if (f.re() != null) {
      int slot = Game.slotOf(f.re());
      to = slot >= 0 && slot < mine.length ? mine[slot] : null;
    } else if (f.gameId() != null) {
      for (Table game : mine) {
        if (f.gameId().equals(game.gameId())) {
          to = game;
          break;
        }
      }
    }
    if (to != null) {
      to.onFrame(this, f);
      return;
    }
    switch (f.type()) {
      case "shutdown" -> load.error("shutdown");
      case "error" -> load.error(f.code() == null ? "error_without_code" : f.code());
      case "ack" -> load.error("ack_unknown_re");
      default -> { } // an event or state of a game given up on (or not yet created)
    }
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

  /** The socket is closed: every game it sits in is lost. */
  private void gone(String kind) {
    if (load.running()) {
      load.error(kind);
      for (Table game : games) {
        game.socketLost(kind);
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
