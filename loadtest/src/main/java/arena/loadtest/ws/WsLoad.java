package arena.loadtest.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A WebSocket load generator: N concurrent tic-tac-toe games, each between two real sockets,
 * played move after move (a fixed drawn game of nine moves, then a new game), as a player would:
 * a move is sent when the previous one's event arrived. It reports achieved moves/s, ack latency
 * (move sent → ack) and opponent latency (move sent → the opponent's socket has the event), with
 * p50/p99/max, and errors.
 *
 * <pre>java -cp loadtest/target/loadtest.jar arena.loadtest.ws.WsLoad URL GAMES WARMUP_S MEASURE_S</pre>
 */
public final class WsLoad {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** A drawn tic-tac-toe game: X 0,8,7,2,3 and O 4,1,6,5 never make a line. */
  private static final int[] DRAW = {0, 4, 8, 1, 7, 6, 2, 5, 3};

  private final String base;
  private final HttpClient http = HttpClient.newBuilder()
      .executor(Executors.newFixedThreadPool(4)).connectTimeout(Duration.ofSeconds(60)).build();
  final Histogram ack = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
  final Histogram seen = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
  final AtomicLong moves = new AtomicLong();
  final AtomicLong errors = new AtomicLong();
  final ConcurrentHashMap<String, Long> firstErrors = new ConcurrentHashMap<>();
  volatile boolean measuring;
  volatile boolean running = true;

  private WsLoad(String base) {
    this.base = base;
  }

  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "http://127.0.0.1:8080";
    int games = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int measure = args.length > 3 ? Integer.parseInt(args[3]) : 30;
    WsLoad load = new WsLoad(url);
    long setupStart = System.nanoTime();
    List<Game> all = load.setUp(games);
    double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
    all.forEach(Game::next);
    Thread.sleep(warmup * 1000L);
    load.ack.reset();
    load.seen.reset();
    long before = load.moves.get();
    long errorsBefore = load.errors.get();
    load.measuring = true;
    long start = System.nanoTime();
    Thread.sleep(measure * 1000L);
    double seconds = (System.nanoTime() - start) / 1e9;
    long done = load.moves.get() - before;
    load.running = false;
    System.out.printf(Locale.ROOT,
        "games=%d sockets=%d setup=%.1fs moves/s=%.0f ack_ms p50=%.1f p99=%.1f max=%.1f "
            + "seen_ms p50=%.1f p99=%.1f max=%.1f errors=%d%n",
        games, 2 * games, setupSeconds, done / seconds,
        ms(load.ack.getValueAtPercentile(50)), ms(load.ack.getValueAtPercentile(99)), ms(load.ack.getMaxValue()),
        ms(load.seen.getValueAtPercentile(50)), ms(load.seen.getValueAtPercentile(99)), ms(load.seen.getMaxValue()),
        load.errors.get() - errorsBefore);
    load.firstErrors.forEach((error, count) -> System.out.println("  error " + error + " x" + count));
    all.forEach(Game::close);
    System.exit(0);
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  /** Players and sockets for every game, opened at most 200 at a time. */
  private List<Game> setUp(int games) throws Exception {
    Semaphore open = new Semaphore(50);
    List<CompletableFuture<Game>> pending = new ArrayList<>();
    for (int i = 0; i < games; i++) {
      open.acquire();
      pending.add(CompletableFuture.supplyAsync(() -> {
        try {
          Game game = new Game(this, connect(player("x")), connect(player("o")));
          game.start().get(60, TimeUnit.SECONDS);
          return game;
        } catch (Exception e) {
          throw new IllegalStateException("setting up a game failed", e);
        } finally {
          open.release();
        }
      }));
    }
    List<Game> all = new ArrayList<>();
    for (CompletableFuture<Game> game : pending) {
      all.add(game.get(120, TimeUnit.SECONDS));
    }
    return all;
  }

  private String player(String name) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/players"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body()).get("token").asText();
  }

  private Socket connect(String token) {
    Socket socket = new Socket(this);
    socket.ws = http.newWebSocketBuilder().buildAsync(
        URI.create(base.replace("http://", "ws://") + "/ws?token=" + token), socket).join();
    return socket;
  }

  void error(String what) {
    errors.incrementAndGet();
    firstErrors.merge(what, 1L, Long::sum);
  }

  /** One socket: hands every frame to its game. */
  static final class Socket implements WebSocket.Listener {
    private final WsLoad load;
    private final StringBuilder partial = new StringBuilder();
    volatile WebSocket ws;
    volatile Game game;
    volatile int seat;

    Socket(WsLoad load) {
      this.load = load;
    }

    private CompletableFuture<WebSocket> tail = CompletableFuture.completedFuture(null);

    /** Queues a frame: the JDK's WebSocket takes one send at a time; nobody blocks. */
    synchronized void send(String text) {
      tail = tail.thenCompose(previous -> ws.sendText(text, true)).exceptionally(failure -> {
        load.error("send failed");
        return ws;
      });
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        try {
          game.onFrame(this, JSON.readTree(text));
        } catch (Exception e) {
          load.error("bad frame: " + e.getMessage());
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      if (load.running) {
        load.error("closed " + statusCode);
      }
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      if (load.running) {
        load.error("socket error " + error.getClass().getSimpleName());
      }
    }
  }

  /** A game between two sockets, replayed as the same draw forever. */
  static final class Game {
    private final WsLoad load;
    private final Socket x;
    private final Socket o;
    private String gameId;
    private int ply;
    private long sentAt;
    private long sentSeq;
    private CompletableFuture<Void> started = new CompletableFuture<>();
    private int requests;
    private boolean cycling;

    Game(WsLoad load, Socket x, Socket o) {
      this.load = load;
      this.x = x;
      this.o = o;
      x.game = this;
      o.game = this;
      x.seat = 0;
      o.seat = 1;
    }

    synchronized CompletableFuture<Void> start() {
      started = new CompletableFuture<>();
      ply = 0;
      x.send("{\"type\":\"create\",\"id\":\"c" + (++requests) + "\",\"game\":\"tictactoe\",\"visibility\":\"private\"}");
      return started;
    }

    synchronized void onFrame(Socket from, JsonNode frame) {
      String type = frame.path("type").asText();
      switch (type) {
        case "created" -> {
          gameId = frame.path("gameId").asText();
          o.send("{\"type\":\"join\",\"id\":\"j" + (++requests) + "\",\"gameId\":\"" + gameId + "\"}");
        }
        case "joined" -> {
          started.complete(null);
          if (cycling) {
            next();
          }
        }
        case "ack" -> {
          if (load.measuring) {
            load.ack.recordValue(Math.min(System.nanoTime() - sentAt, TimeUnit.SECONDS.toNanos(59)));
          }
          load.moves.incrementAndGet();
        }
        case "event" -> onEvent(from, frame);
        case "error" -> load.error(frame.path("code").asText());
        default -> { }
      }
    }

    private void onEvent(Socket from, JsonNode frame) {
      if (!gameId.equals(frame.path("gameId").asText())) {
        return;
      }
      String kind = frame.path("event").path("kind").asText();
      Socket opponent = ply % 2 == 1 ? o : x; // ply was advanced when the move was sent
      if (kind.equals("moved") && frame.path("seq").asLong() == sentSeq && from == opponent) {
        if (load.measuring) {
          load.seen.recordValue(Math.min(System.nanoTime() - sentAt, TimeUnit.SECONDS.toNanos(59)));
        }
        if (ply < DRAW.length) {
          next();
        }
      } else if (kind.equals("game_over") && from == x && ply == DRAW.length) {
        start(); // the draw is complete: a new game (sockets see events in their own order)
      }
    }

    /** Sends the next move of the draw, from the seat whose turn it is. */
    synchronized void next() {
      if (!load.running) {
        return;
      }
      cycling = true;
      Socket mover = ply % 2 == 0 ? x : o;
      sentSeq = 3L + ply + 1;
      sentAt = System.nanoTime();
      mover.send("{\"type\":\"move\",\"id\":\"m" + (++requests) + "\",\"gameId\":\"" + gameId
          + "\",\"move\":{\"cell\":" + DRAW[ply] + "}}");
      ply++;
    }

    void close() {
      x.ws.abort();
      o.ws.abort();
    }
  }
}
