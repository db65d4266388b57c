import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Arena's smoke test: what a deployment must do before anyone calls it a release. Against one
 * public URL it registers two players, connects both over WebSocket, creates a tic-tac-toe game,
 * joins it, plays it to a win, reads the game's events back over HTTP and waits until the
 * leaderboard shows the winner. Exit 0 only when every step worked; 1 when one failed (the line
 * starting FAIL says which and why); 2 for a wrong command line.
 *
 * <p>A single-file program for the JDK alone ({@code java SmokeTest.java URL}, run by
 * {@code scripts/smoke-test}): any machine with Java 17 can smoke-test a deployment, so it carries
 * its own few lines of JSON reading instead of a library.
 */
public class SmokeTest {

  static final Duration STEP = Duration.ofSeconds(20);

  public static void main(String[] args) {
    if (args.length < 1 || args.length > 2 || args[0].startsWith("-")) {
      System.err.println("usage: scripts/smoke-test URL [LEADERBOARD_SECONDS]   e.g. scripts/smoke-test https://arena.example.com");
      System.exit(2);
    }
    String base = args[0].replaceAll("/+$", "");
    if (!base.startsWith("http://") && !base.startsWith("https://")) {
      System.err.println("smoke-test: URL must start with http:// or https://, not " + base);
      System.exit(2);
    }
    Duration leaderboardWait = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 60);
    long start = System.nanoTime();
    System.out.println("smoke-test: " + base);
    try {
      new SmokeTest(base, leaderboardWait).run();
      System.out.printf("smoke-test: PASS in %.1f s%n", (System.nanoTime() - start) / 1e9);
      System.exit(0);
    } catch (Failed e) {
      System.out.println("  FAIL  " + e.getMessage());
      System.out.printf("smoke-test: FAILED after %.1f s%n", (System.nanoTime() - start) / 1e9);
      System.exit(1);
    } catch (RuntimeException e) {
      System.out.println("  FAIL  unexpected " + e);
      System.out.println("smoke-test: FAILED");
      System.exit(1);
    }
  }

  /** A step that did not work; the message says which and why. */
  static final class Failed extends RuntimeException {
    Failed(String message) {
      super(message);
    }
  }

  private final String base;
  private final Duration leaderboardWait;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  SmokeTest(String base, Duration leaderboardWait) {
    this.base = base;
    this.leaderboardWait = leaderboardWait;
  }

  record Player(String id, String name, String token) {}

  void run() {
    step("the node answers GET /health", () -> {
      Answer health = call("GET", "/health", null, null);
      expect(health.status == 200, "GET /health answered " + health.status);
      return "200";
    });

    String suffix = UUID.randomUUID().toString().substring(0, 8);
    Player[] players = new Player[2];
    step("two players register", () -> {
      players[0] = register("smoke-x-" + suffix);
      players[1] = register("smoke-o-" + suffix);
      return players[0].name + ", " + players[1].name;
    });
    Player x = players[0];
    Player o = players[1];

    step("the leaderboard does not know them yet", () -> {
      expect(leaderboardEntry(x) == null, "a new player is already on the leaderboard");
      return "ok";
    });

    Socket[] sockets = new Socket[2];
    step("both players connect over WebSocket", () -> {
      sockets[0] = connect(x);
      sockets[1] = connect(o);
      return sockets[0].how;
    });
    try (Socket xs = sockets[0]; Socket os = sockets[1]) {
      String[] game = new String[1];
      step("X creates a public tic-tac-toe game and O joins it", () -> {
        Map<String, Object> created = xs.request("create", "\"game\":\"tictactoe\",\"visibility\":\"public\",\"turnSeconds\":60");
        expect("created".equals(created.get("type")), "create answered " + created);
        game[0] = (String) created.get("gameId");
        Map<String, Object> joined = os.request("join", "\"gameId\":" + quote(game[0]));
        expect("joined".equals(joined.get("type")), "join answered " + joined);
        expect(number(joined.get("seat")) == 1, "O took seat " + joined.get("seat") + ", not 1");
        Map<String, Object> started = xs.await(f -> isEvent(f, game[0], "game_started"), "X sees game_started");
        expect("active".equals(map(started.get("state")).get("status")), "state after game_started: " + started.get("state"));
        return game[0];
      });
      String gameId = game[0];

      step("they play five moves, each acknowledged, and X wins with the top row", () -> {
        int[] cells = {0, 3, 1, 4, 2};
        long lastSeq = 0;
        for (int i = 0; i < cells.length; i++) {
          Socket mover = i % 2 == 0 ? xs : os;
          Map<String, Object> ack = mover.request("move", "\"gameId\":" + quote(gameId) + ",\"move\":{\"cell\":" + cells[i] + "}");
          expect("ack".equals(ack.get("type")), "move to cell " + cells[i] + " answered " + ack);
          long seq = number(ack.get("seq"));
          expect(seq > lastSeq, "ack seq " + seq + " after " + lastSeq);
          lastSeq = seq;
        }
        for (Socket s : List.of(xs, os)) {
          Map<String, Object> over = s.await(f -> isEvent(f, gameId, "game_over"), s.player.name + " sees game_over");
          Map<String, Object> result = map(map(over.get("event")).get("result"));
          expect("win".equals(result.get("outcome")) && number(result.get("winnerSeat")) == 0,
              "game_over result " + result + ", expected a win by seat 0");
        }
        return "game_over seen by both sockets, last seq " + lastSeq;
      });

      step("GET /events returns the whole game in order", () -> {
        Answer answer = call("GET", "/api/v1/games/" + gameId + "/events", x.token, null);
        expect(answer.status == 200, "GET /events answered " + answer.status + " " + answer.body);
        List<Object> events = list(answer.json());
        List<String> kinds = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
          Map<String, Object> e = map(events.get(i));
          expect(number(e.get("seq")) == i + 1, "event " + i + " has seq " + e.get("seq"));
          kinds.add(String.valueOf(map(e.get("event")).get("kind")));
        }
        List<String> expected = List.of("game_created", "player_joined", "game_started",
            "moved", "moved", "moved", "moved", "moved", "game_over");
        expect(kinds.equals(expected), "event kinds " + kinds + ", expected " + expected);
        Answer state = call("GET", "/api/v1/games/" + gameId, o.token, null);
        expect(state.status == 200 && "finished".equals(map(state.json()).get("status")),
            "GET /games/" + gameId + " answered " + state.status + " " + state.body);
        return events.size() + " events, status finished";
      });
    }

    step("the leaderboard shows the win", () -> {
      long deadline = System.nanoTime() + leaderboardWait.toNanos();
      long begin = System.nanoTime();
      while (true) {
        Map<String, Object> entry = leaderboardEntry(x);
        if (entry != null && number(entry.get("wins")) == 1 && ((Number) entry.get("rating")).doubleValue() > 1200) {
          return String.format("%s: rating %s, 1 win, after %.1f s", x.name, entry.get("rating"), (System.nanoTime() - begin) / 1e9);
        }
        if (System.nanoTime() > deadline) {
          throw new Failed("the leaderboard did not show " + x.name + "'s win within " + leaderboardWait.toSeconds()
              + " s (last entry: " + entry + "); is the leaderboard projection running?");
        }
        sleep(500);
      }
    });
  }

  interface Check {
    String run() throws Exception;
  }

  static void step(String what, Check check) {
    long start = System.nanoTime();
    String detail;
    try {
      detail = check.run();
    } catch (Failed e) {
      throw new Failed(what + ": " + e.getMessage());
    } catch (Exception e) {
      Throwable cause = e;
      while (cause.getCause() != null && cause.getMessage() == null) {
        cause = cause.getCause();
      }
      throw new Failed(what + ": " + cause);
    }
    System.out.printf("  ok    %s (%s; %d ms)%n", what, detail, (System.nanoTime() - start) / 1_000_000);
  }

  static void expect(boolean condition, String otherwise) {
    if (!condition) {
      throw new Failed(otherwise);
    }
  }

  // ---- HTTP ----

  record Answer(int status, String body) {
    Object json() {
      return Json.parse(body);
    }
  }

  Answer call(String method, String path, String token, String body) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(STEP)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response.body());
  }

  Player register(String name) throws Exception {
    Answer answer = call("POST", "/api/v1/players", null, "{\"name\":" + quote(name) + "}");
    expect(answer.status == 201, "POST /api/v1/players answered " + answer.status + " " + answer.body);
    Map<String, Object> account = map(answer.json());
    return new Player((String) account.get("playerId"), name, (String) account.get("token"));
  }

  /** This player's row of the tic-tac-toe leaderboard (the first 1,000), or null. */
  Map<String, Object> leaderboardEntry(Player player) throws Exception {
    Answer answer = call("GET", "/api/v1/leaderboard?game=tictactoe&limit=1000", player.token, null);
    expect(answer.status == 200, "GET /api/v1/leaderboard answered " + answer.status + " " + answer.body);
    for (Object row : list(answer.json())) {
      if (player.id.equals(map(row).get("playerId"))) {
        return map(row);
      }
    }
    return null;
  }

  // ---- WebSocket ----

  Socket connect(Player player) throws Exception {
    // A single-use ticket keeps the token out of URLs and access logs; ?token= for nodes without one.
    Answer ticket = call("POST", "/api/v1/ws-ticket", player.token, "{}");
    String query;
    String how;
    if (ticket.status == 200) {
      query = "ticket=" + URLEncoder.encode((String) map(ticket.json()).get("ticket"), StandardCharsets.UTF_8);
      how = "with tickets";
    } else {
      expect(ticket.status == 404 || ticket.status == 405, "POST /api/v1/ws-ticket answered " + ticket.status + " " + ticket.body);
      query = "token=" + URLEncoder.encode(player.token, StandardCharsets.UTF_8);
      how = "with ?token= (this node has no /api/v1/ws-ticket)";
    }
    URI uri = URI.create(base.replaceFirst("^http", "ws") + "/ws?" + query);
    Socket socket = new Socket(player, how);
    socket.ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, socket)
        .get(STEP.toSeconds(), TimeUnit.SECONDS);
    Map<String, Object> pong = socket.request("ping", null);
    expect("pong".equals(pong.get("type")), "ping answered " + pong);
    return socket;
  }

  static boolean isEvent(Map<String, Object> frame, String gameId, String kind) {
    return "event".equals(frame.get("type")) && gameId.equals(frame.get("gameId"))
        && kind.equals(map(frame.get("event")).get("kind"));
  }

  /** One player's socket: frames are kept in arrival order until a wait takes them. */
  static final class Socket implements WebSocket.Listener, AutoCloseable {
    final Player player;
    final String how;
    final List<Map<String, Object>> received = new ArrayList<>();
    final StringBuilder partial = new StringBuilder();
    volatile String closedWhy;
    WebSocket ws;
    int ids;

    Socket(Player player, String how) {
      this.player = player;
      this.how = how;
    }

    Map<String, Object> request(String type, String fields) throws Exception {
      String id = "smoke-" + (++ids);
      String frame = "{\"type\":" + quote(type) + ",\"id\":" + quote(id) + (fields == null ? "" : "," + fields) + "}";
      ws.sendText(frame, true).get(STEP.toSeconds(), TimeUnit.SECONDS);
      return await(f -> id.equals(f.get("re")), "the answer to " + type + " from " + player.name);
    }

    Map<String, Object> await(Predicate<Map<String, Object>> matches, String what) {
      long deadline = System.nanoTime() + STEP.toNanos();
      synchronized (received) {
        while (true) {
          for (Iterator<Map<String, Object>> it = received.iterator(); it.hasNext(); ) {
            Map<String, Object> frame = it.next();
            if (matches.test(frame)) {
              it.remove();
              return frame;
            }
          }
          long left = deadline - System.nanoTime();
          if (closedWhy != null || left <= 0) {
            throw new Failed("no " + what + " within " + STEP.toSeconds() + " s"
                + (closedWhy != null ? " (socket closed: " + closedWhy + ")" : "") + "; frames not taken: " + received);
          }
          try {
            received.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed("interrupted");
          }
        }
      }
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        Map<String, Object> frame = map(Json.parse(partial.toString()));
        partial.setLength(0);
        synchronized (received) {
          received.add(frame);
          received.notifyAll();
        }
      }
      socket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
      gone("code " + code + " " + reason);
      return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
      gone(error.toString());
    }

    private void gone(String why) {
      synchronized (received) {
        closedWhy = why;
        received.notifyAll();
      }
    }

    @Override
    public void close() {
      if (ws != null && closedWhy == null) {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "smoke test done").completeOnTimeout(null, 5, TimeUnit.SECONDS).join();
      }
    }
  }

  // ---- JSON: just enough to read Arena's answers ----

  static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    if (value instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw new Failed("expected a JSON object, got " + value);
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value) {
    if (value instanceof List<?> l) {
      return (List<Object>) l;
    }
    throw new Failed("expected a JSON array, got " + value);
  }

  static long number(Object value) {
    if (value instanceof Number n) {
      return n.longValue();
    }
    throw new Failed("expected a number, got " + value);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failed("interrupted");
    }
  }

  /** A small recursive-descent JSON reader: objects, arrays, strings, numbers, booleans, null. */
  static final class Json {
    private final String text;
    private int at;

    private Json(String text) {
      this.text = Objects.requireNonNull(text);
    }

    static Object parse(String text) {
      Json json = new Json(text);
      Object value = json.value();
      json.space();
      if (json.at != text.length()) {
        throw json.error("trailing characters");
      }
      return value;
    }

    private Object value() {
      space();
      if (at >= text.length()) {
        throw error("unexpected end");
      }
      char c = text.charAt(at);
      switch (c) {
        case '{':
          return object();
        case '[':
          return array();
        case '"':
          return string();
        default:
          if (text.startsWith("true", at)) {
            at += 4;
            return Boolean.TRUE;
          }
          if (text.startsWith("false", at)) {
            at += 5;
            return Boolean.FALSE;
          }
          if (text.startsWith("null", at)) {
            at += 4;
            return null;
          }
          return number();
      }
    }

    private Map<String, Object> object() {
      Map<String, Object> map = new LinkedHashMap<>();
      at++;
      space();
      if (peek() == '}') {
        at++;
        return map;
      }
      while (true) {
        space();
        String key = string();
        space();
        take(':');
        map.put(key, value());
        space();
        if (peek() == ',') {
          at++;
        } else {
          take('}');
          return map;
        }
      }
    }

    private List<Object> array() {
      List<Object> list = new ArrayList<>();
      at++;
      space();
      if (peek() == ']') {
        at++;
        return list;
      }
      while (true) {
        list.add(value());
        space();
        if (peek() == ',') {
          at++;
        } else {
          take(']');
          return list;
        }
      }
    }

    private String string() {
      take('"');
      StringBuilder s = new StringBuilder();
      while (true) {
        if (at >= text.length()) {
          throw error("unterminated string");
        }
        char c = text.charAt(at++);
        if (c == '"') {
          return s.toString();
        }
        if (c != '\\') {
          s.append(c);
          continue;
        }
        char e = text.charAt(at++);
        switch (e) {
          case 'b' -> s.append('\b');
          case 'f' -> s.append('\f');
          case 'n' -> s.append('\n');
          case 'r' -> s.append('\r');
          case 't' -> s.append('\t');
          case 'u' -> {
            s.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
            at += 4;
          }
          default -> s.append(e);
        }
      }
    }

    private Number number() {
      int start = at;
      while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
        at++;
      }
      String n = text.substring(start, at);
      if (n.isEmpty()) {
        throw error("unexpected character");
      }
      return n.contains(".") || n.contains("e") || n.contains("E") ? (Number) Double.valueOf(n) : (Number) Long.valueOf(n);
    }

    private void space() {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
    }

    private char peek() {
      return at < text.length() ? text.charAt(at) : '\0';
    }

    private void take(char c) {
      if (peek() != c) {
        throw error("expected '" + c + "'");
      }
      at++;
    }

    private Failed error(String what) {
      return new Failed("not JSON (" + what + " at " + at + "): " + (text.length() > 200 ? text.substring(0, 200) + "…" : text));
    }
  }
}
