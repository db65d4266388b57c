package arena.loadtest.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The open loop's accounting, without a server: a game on two sockets whose frames are captured,
 * answered by hand, on a clock the test moves. Latencies count from when a move was due, not from
 * when it could be sent.
 */
class OpenGameTest {

  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final List<String> SCRIPT = List.of("{\"column\":0}", "{\"column\":1}", "{\"column\":0}");

  private final Clock sink = new Clock();
  private final Wire xWire = new Wire();
  private final Wire oWire = new Wire();
  private Socket x;
  private Socket o;
  private OpenGame game;
  private final StepStats step = new StepStats(100);

  @BeforeEach
  void seat() throws Exception {
    x = socket(xWire);
    o = socket(oWire);
    game = new OpenGame(sink, x, o, 0, "connect4", SCRIPT);
    x.games = new Socket.Table[] {game};
    o.games = new Socket.Table[] {game};
    sink.current = step;
    game.start();
    assertThat(xWire.last()).contains("\"type\":\"create\"").contains("\"id\":\"0/c1\"").contains("\"game\":\"connect4\"");
    frame(x, "{\"type\":\"created\",\"re\":\"0/c1\",\"gameId\":\"g1\",\"seat\":0}");
    assertThat(oWire.last()).contains("\"type\":\"join\"").contains("\"gameId\":\"g1\"");
    frame(o, "{\"type\":\"joined\",\"re\":\"0/j2\",\"gameId\":\"g1\",\"seat\":1}");
    frame(x, event("g1", 3, "game_started"));
  }

  @Test
  void aGameWhoseCreatorSeesItStartedOnlyInItsStateFrameStartsAllTheSame() throws Exception {
    Wire xw = new Wire();
    Wire ow = new Wire();
    Socket sx = socket(xw);
    Socket so = socket(ow);
    OpenGame late = new OpenGame(sink, sx, so, 0, "connect4", SCRIPT);
    sx.games = new Socket.Table[] {late};
    so.games = new Socket.Table[] {late};
    var ready = late.start();
    frame(sx, "{\"type\":\"created\",\"re\":\"" + idOf(xw.last()) + "\",\"gameId\":\"g9\",\"seat\":0}");
    frame(so, "{\"type\":\"joined\",\"re\":\"" + idOf(ow.last()) + "\",\"gameId\":\"g9\",\"seat\":1}");
    assertThat(ready).isNotDone();
    // O's join reached the game before X's subscription did: X's state frame shows it started,
    // and no game_started event follows.
    frame(sx, "{\"type\":\"state\",\"gameId\":\"g9\",\"state\":{\"gameId\":\"g9\",\"game\":\"connect4\","
        + "\"status\":\"active\",\"players\":[],\"seq\":3}}");
    assertThat(ready).isDone();
    late.due(sink.now, step);
    assertThat(xw.last()).contains("\"type\":\"move\"").contains("\"gameId\":\"g9\"");
  }

  @Test
  void aMoveDueWhileTheGameIsReadyIsSentAtOnceAndTimedFromWhenItWasDue() throws Exception {
    sink.now = 1_000 * MS;
    game.due(990 * MS, step); // the scheduler woke up 10 ms late
    assertThat(xWire.last()).contains("\"type\":\"move\"").contains("\"move\":{\"column\":0}");
    String id = idOf(xWire.last());
    sink.now = 1_004 * MS;
    frame(x, "{\"type\":\"ack\",\"re\":\"" + id + "\",\"gameId\":\"g1\",\"seq\":4}");
    frame(o, event("g1", 4, "moved"));
    assertThat(step.ack.getTotalCount()).isEqualTo(1);
    assertThat(step.ack.getMaxValue()).isBetween(13 * MS, 15 * MS); // 14 ms: from 990, not from 1,000
    assertThat(step.seen.getMaxValue()).isBetween(13 * MS, 15 * MS);
    assertThat(step.acksInWindow.sum()).isEqualTo(1);
    assertThat(step.due.sum()).isEqualTo(1);
    assertThat(step.sent.sum()).isEqualTo(1);
  }

  @Test
  void aMoveDueBeforeTheMoverHasSeenThePreviousOneWaitsAndItsWaitCounts() throws Exception {
    sink.now = 0;
    game.due(0, step);
    String first = idOf(xWire.last());
    sink.now = 10 * MS;
    game.due(10 * MS, step); // O's turn, but O has not seen X's move yet
    assertThat(oWire.sent).noneMatch(f -> f.contains("\"type\":\"move\""));
    assertThat(game.backlog()).isEqualTo(1);
    sink.now = 50 * MS;
    frame(x, "{\"type\":\"ack\",\"re\":\"" + first + "\",\"gameId\":\"g1\",\"seq\":4}");
    frame(o, event("g1", 4, "moved")); // now O may move: the waiting move goes at once
    assertThat(oWire.last()).contains("\"type\":\"move\"").contains("\"move\":{\"column\":1}");
    sink.now = 60 * MS;
    frame(o, "{\"type\":\"ack\",\"re\":\"" + idOf(oWire.last()) + "\",\"gameId\":\"g1\",\"seq\":5}");
    assertThat(step.ack.getTotalCount()).isEqualTo(2);
    assertThat(step.ack.getMaxValue()).isBetween(49 * MS, 51 * MS); // due at 10, acked at 60
    assertThat(step.ack.getMinValue()).isBetween(49 * MS, 51 * MS); // due at 0, acked at 50
  }

  @Test
  void movesStillWaitingWhenTheStepEndsAreCountedUnsentWithTheLatencyTheyHadSoFar() throws Exception {
    sink.now = 0;
    game.due(0, step);
    game.due(5 * MS, step);
    game.due(7 * MS, step);
    game.dropBacklog(100 * MS);
    assertThat(step.unsent.sum()).isEqualTo(2);
    assertThat(step.ack.getTotalCount()).isEqualTo(2);
    assertThat(step.ack.getMinValue()).isBetween(92 * MS, 94 * MS);
    assertThat(game.backlog()).isZero();
    StepStats next = new StepStats(200);
    game.finish(300 * MS); // the first move was sent and never acknowledged
    assertThat(step.unacked.sum()).isEqualTo(1);
    assertThat(step.ack.getMaxValue()).isBetween(299 * MS, 301 * MS);
    assertThat(next.ack.getTotalCount()).isZero();
  }

  @Test
  void anAckLandsInTheStepThatScheduledTheMoveWhileTheWindowCountsItWhereItArrives() throws Exception {
    sink.now = 0;
    game.due(0, step);
    StepStats next = new StepStats(200);
    sink.current = next;
    sink.now = 30 * MS;
    frame(x, "{\"type\":\"ack\",\"re\":\"" + idOf(xWire.last()) + "\",\"gameId\":\"g1\",\"seq\":4}");
    assertThat(step.ack.getTotalCount()).isEqualTo(1);
    assertThat(next.ack.getTotalCount()).isZero();
    assertThat(next.acksInWindow.sum()).isEqualTo(1);
    assertThat(step.acksInWindow.sum()).isZero();
  }

  @Test
  void aGameOverAfterTheLastMoveStartsANewGameAndDueMovesWaitForIt() throws Exception {
    sink.now = 0;
    for (int ply = 0; ply < SCRIPT.size(); ply++) {
      game.due(ply * MS, step);
      Wire mover = ply % 2 == 0 ? xWire : oWire;
      Socket opponent = ply % 2 == 0 ? o : x;
      String id = idOf(mover.last());
      frame(ply % 2 == 0 ? x : o, "{\"type\":\"ack\",\"re\":\"" + id + "\",\"gameId\":\"g1\",\"seq\":" + (4 + ply) + "}");
      if (ply == SCRIPT.size() - 1) {
        frame(x, event("g1", 4 + SCRIPT.size(), "game_over"));
      }
      frame(opponent, event("g1", 4 + ply, "moved"));
    }
    assertThat(xWire.last()).contains("\"type\":\"create\"");
    int sentBefore = xWire.sent.size() + oWire.sent.size();
    game.due(10 * MS, step);
    assertThat(xWire.sent.size() + oWire.sent.size()).isEqualTo(sentBefore); // waits for the new game
    String create = idOf(xWire.last());
    frame(x, "{\"type\":\"created\",\"re\":\"" + create + "\",\"gameId\":\"g2\",\"seat\":0}");
    frame(o, "{\"type\":\"joined\",\"re\":\"" + idOf(oWire.last()) + "\",\"gameId\":\"g2\",\"seat\":1}");
    frame(x, event("g2", 3, "game_started"));
    assertThat(xWire.last()).contains("\"type\":\"move\"").contains("\"gameId\":\"g2\"");
    assertThat(step.died()).isEmpty();
    assertThat(step.errors()).isEmpty();
  }

  @Test
  void anErrorAnsweringAMoveCountsItsCodeAndStartsANewGame() throws Exception {
    sink.now = 0;
    game.due(0, step);
    frame(x, "{\"type\":\"error\",\"re\":\"" + idOf(xWire.last()) + "\",\"code\":\"unavailable\",\"message\":\"x\"}");
    assertThat(step.errors()).containsEntry("unavailable", 1L);
    assertThat(step.died()).containsEntry("unavailable:move", 1L);
    assertThat(xWire.sent.get(xWire.sent.size() - 2)).contains("\"type\":\"leave\"").contains("\"gameId\":\"g1\"");
    assertThat(xWire.last()).contains("\"type\":\"create\"");
    frame(x, "{\"type\":\"ack\",\"re\":\"" + idOf(xWire.sent.get(xWire.sent.size() - 2)) + "\",\"gameId\":\"g1\",\"seq\":5}");
    assertThat(step.errors()).containsOnlyKeys("unavailable"); // the leave's answer is no error
    game.finish(10 * MS);
    assertThat(step.unacked.sum()).isZero(); // refused, not lost
  }

  @Test
  void aGameRefusedAgainAndAgainIsStartedAgainAfterALongerAndLongerPause() throws Exception {
    sink.now = 0;
    game.due(0, step);
    frame(x, "{\"type\":\"error\",\"re\":\"" + idOf(xWire.last()) + "\",\"code\":\"unavailable\",\"message\":\"x\"}");
    for (int i = 0; i < 7; i++) {
      assertThat(xWire.last()).contains("\"type\":\"create\"");
      frame(x, "{\"type\":\"error\",\"re\":\"" + idOf(xWire.last()) + "\",\"code\":\"unavailable\",\"message\":\"x\"}");
    }
    assertThat(sink.delays).containsExactly(100L, 200L, 400L, 800L, 1600L, 2000L, 2000L, 2000L);
    assertThat(step.died()).containsEntry("unavailable:move", 1L).containsEntry("unavailable:create", 7L);
    assertThat(step.errors()).containsEntry("unavailable", 8L);
  }

  // ---- helpers ----

  private static String event(String gameId, int seq, String kind) {
    return "{\"type\":\"event\",\"gameId\":\"" + gameId + "\",\"seq\":" + seq + ",\"event\":{\"kind\":\"" + kind
        + "\"},\"state\":{}}";
  }

  private static String idOf(String frame) {
    int at = frame.indexOf("\"id\":\"") + 6;
    return frame.substring(at, frame.indexOf('"', at));
  }

  private void frame(Socket to, String text) {
    to.onText(to.ws, text, true);
  }

  private Socket socket(Wire wire) {
    Socket socket = new Socket(sink);
    socket.ws = wire;
    return socket;
  }

  /** The clock, the current step, and the owner of the sockets. */
  private static final class Clock implements OpenGame.Sink, Socket.Owner {
    long now;
    StepStats current;

    @Override
    public StepStats current() {
      return current;
    }

    @Override
    public boolean running() {
      return true;
    }

    @Override
    public long now() {
      return now;
    }

    /** Delays asked for; the action runs at once (the clock is the test's). */
    final List<Long> delays = new ArrayList<>();

    @Override
    public void later(long delayMillis, Runnable action) {
      delays.add(delayMillis);
      action.run();
    }

    @Override
    public void error(String kind) {
      current.error(kind);
    }

    @Override
    public boolean measuring() {
      return true;
    }
  }

  /** A WebSocket that keeps what is sent on it, sent at once. */
  private static final class Wire implements WebSocket {
    final List<String> sent = new ArrayList<>();

    String last() {
      assertThat(sent).isNotEmpty();
      return sent.get(sent.size() - 1);
    }

    @Override
    public synchronized CompletableFuture<WebSocket> sendText(CharSequence data, boolean last) {
      sent.add(data.toString());
      return CompletableFuture.completedFuture(this);
    }

    @Override
    public CompletableFuture<WebSocket> sendBinary(ByteBuffer data, boolean last) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<WebSocket> sendPing(ByteBuffer message) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<WebSocket> sendPong(ByteBuffer message) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<WebSocket> sendClose(int statusCode, String reason) {
      return CompletableFuture.completedFuture(this);
    }

    @Override
    public void request(long n) {}

    @Override
    public String getSubprotocol() {
      return "";
    }

    @Override
    public boolean isOutputClosed() {
      return false;
    }

    @Override
    public boolean isInputClosed() {
      return false;
    }

    @Override
    public void abort() {}
  }
}
