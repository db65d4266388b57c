package arena.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import arena.ErrorCode;
import arena.lobby.Matchmaker;
import arena.persistence.directory.JdbcGameDirectory;
import arena.persistence.history.GameHistory;
import arena.persistence.leaderboard.Leaderboard;
import arena.session.GameEvent;
import arena.session.GameSession;
import arena.session.GameView;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What clients read, byte for byte (ARENA-SPEC §3-§5): the domain mapped by {@link Wire} and
 * written by {@link Json} gives exactly these texts, whatever the domain's own JSON looks like.
 */
class WireTest {

  private static final Instant CREATED = Instant.parse("2026-11-22T09:58:00Z");
  private static final Instant UPDATED = Instant.parse("2026-11-22T09:59:00.250Z");
  private static final Instant DEADLINE = Instant.parse("2026-11-22T10:00:00Z");
  private static final List<GameView.Seat> SEATS =
      List.of(new GameView.Seat(0, "p0", "alice"), new GameView.Seat(1, "p1", "bob"));
  private static final List<GameEvent.Seat> STORED_SEATS =
      List.of(new GameEvent.Seat(0, "p0", "alice"), new GameEvent.Seat(1, "p1", "bob"));
  private static final String SEATS_JSON =
      "[{\"seat\":0,\"playerId\":\"p0\",\"name\":\"alice\"},{\"seat\":1,\"playerId\":\"p1\",\"name\":\"bob\"}]";

  private static GameView activeTicTacToe() {
    return new GameView("g1", "tictactoe",
        arena.session.Status.ACTIVE,
        5,
        arena.session.Visibility.PUBLIC,
        60, SEATS, 0, DEADLINE, Arrays.asList(0, 1, null, null, null, null, null, null, null), null, CREATED, UPDATED);
  }

  private static final String ACTIVE_JSON = "{\"gameId\":\"g1\",\"game\":\"tictactoe\",\"status\":\"active\",\"seq\":5,"
      + "\"visibility\":\"public\",\"turnSeconds\":60,\"players\":" + SEATS_JSON + ",\"turn\":0,"
      + "\"turnDeadline\":\"2026-11-22T10:00:00Z\",\"board\":[0,1,null,null,null,null,null,null,null],"
      + "\"result\":null,\"createdAt\":\"2026-11-22T09:58:00Z\",\"updatedAt\":\"2026-11-22T09:59:00.250Z\"}";

  @Test
  void stateHasTheSpecsFieldsInItsOrderWithNullsWritten() {
    assertThat(Json.write(Wire.state(activeTicTacToe()))).isEqualTo(ACTIVE_JSON);
  }

  @Test
  void stateFrameAndEventFrameCarryTheStateAsTheSpecShowsIt() {
    assertThat(Json.frame(new ServerFrame.State("s1", "g1", Wire.state(activeTicTacToe()))))
        .isEqualTo("{\"type\":\"state\",\"re\":\"s1\",\"gameId\":\"g1\",\"state\":" + ACTIVE_JSON + "}");
    GameEvent moved = new GameEvent.Moved(1, Map.of("cell", 1), "m2", UPDATED);
    assertThat(Json.frame(new ServerFrame.Event("g1", 5, Wire.event(moved), Wire.state(activeTicTacToe()))))
        .isEqualTo("{\"type\":\"event\",\"gameId\":\"g1\",\"seq\":5,"
            + "\"event\":{\"kind\":\"moved\",\"seat\":1,\"move\":{\"cell\":1}},\"state\":" + ACTIVE_JSON + "}");
  }

  @Test
  void aReplyWithoutStateStaysNull() {
    assertThat(Wire.state(null)).isNull();
  }

  @Test
  void everyEventKindShowsWhatPlayersNeedAndNothingInternal() {
    GameEvent.Result won = new GameEvent.Result("win", 0, "line");
    Map<GameEvent, String> expected = Map.of(
        new GameEvent.GameCreated("connect4", arena.session.Visibility.PRIVATE, 30, 0, "p0", "alice", DEADLINE, CREATED),
        "{\"kind\":\"game_created\",\"game\":\"connect4\",\"visibility\":\"private\",\"turnSeconds\":30,"
            + "\"seat\":0,\"playerId\":\"p0\",\"name\":\"alice\"}",
        new GameEvent.PlayerJoined(1, "p1", "bob", CREATED), "{\"kind\":\"player_joined\",\"seat\":1,\"playerId\":\"p1\",\"name\":\"bob\"}",
        new GameEvent.PlayerLeft(1, CREATED), "{\"kind\":\"player_left\",\"seat\":1}",
        new GameEvent.GameStarted(CREATED), "{\"kind\":\"game_started\"}",
        new GameEvent.Moved(0, Map.of("path", List.of(9, 14)), "r1", CREATED),
        "{\"kind\":\"moved\",\"seat\":0,\"move\":{\"path\":[9,14]}}",
        new GameEvent.GameOver(won, "tictactoe", STORED_SEATS, "r2", 1, CREATED),
        "{\"kind\":\"game_over\",\"result\":{\"outcome\":\"win\",\"winnerSeat\":0,\"reason\":\"line\"}}",
        new GameEvent.GameOver(new GameEvent.Result("draw", null, "board_full"), "tictactoe", STORED_SEATS, null, null, CREATED),
        "{\"kind\":\"game_over\",\"result\":{\"outcome\":\"draw\",\"winnerSeat\":null,\"reason\":\"board_full\"}}",
        new GameEvent.GameAborted("expired", CREATED), "{\"kind\":\"game_aborted\",\"reason\":\"expired\"}");
    expected.forEach((event, json) -> assertThat(Json.write(Wire.event(event))).as("%s", event).isEqualTo(json));
  }

  @Test
  void historyItemsAreSeqEventAndStorageTime() {
    GameHistory.StoredEvent stored = new GameHistory.StoredEvent(3, new GameEvent.GameStarted(CREATED), UPDATED);
    assertThat(Json.write(List.of(Wire.storedEvent(stored))))
        .isEqualTo("[{\"seq\":3,\"event\":{\"kind\":\"game_started\"},\"timestamp\":\"2026-11-22T09:59:00.250Z\"}]");
  }

  @Test
  void listItemsHaveTheSpecsFieldsAndMyGamesShowAResultOnlyWhenFinished() {
    GameView.Result won = new GameView.Result("win", 1, "resign");
    var open = new JdbcGameDirectory.Entry("g2", "connect4", "waiting", "public", SEATS.subList(0, 1), 60, CREATED,
        null, null);
    var finished = new JdbcGameDirectory.Entry("g3", "checkers", "finished", "private", SEATS, 90, CREATED,
        UPDATED, won);
    var aborted = new JdbcGameDirectory.Entry("g4", "connect4", "aborted", "public", SEATS, 60, CREATED, null, won);

    assertThat(Json.write(Wire.publicGame(open))).isEqualTo("{\"gameId\":\"g2\",\"game\":\"connect4\",\"players\":"
        + "[{\"seat\":0,\"playerId\":\"p0\",\"name\":\"alice\"}],\"turnSeconds\":60,\"createdAt\":\"2026-11-22T09:58:00Z\"}");
    assertThat(Json.write(Wire.myGame(finished))).isEqualTo("{\"gameId\":\"g3\",\"game\":\"checkers\","
        + "\"status\":\"finished\",\"players\":" + SEATS_JSON + ",\"turnSeconds\":90,"
        + "\"createdAt\":\"2026-11-22T09:58:00Z\",\"result\":{\"outcome\":\"win\",\"winnerSeat\":1,\"reason\":\"resign\"}}");
    assertThat(Json.write(Wire.myGame(aborted))).endsWith(",\"result\":null}");
  }

  @Test
  void leaderboardRowsKeepAFractionalRating() {
    var entry = new Leaderboard.Entry("p0", "alice", 1217.46875, 2, 1, 1);
    assertThat(Json.write(List.of(Wire.leaderboardEntry(entry)))).isEqualTo("[{\"playerId\":\"p0\",\"name\":\"alice\","
        + "\"rating\":1217.46875,\"wins\":2,\"losses\":1,\"draws\":1}]");
    assertThat(Json.write(Wire.leaderboardEntry(new Leaderboard.Entry("p1", "bob", 1200, 0, 0, 0))))
        .contains("\"rating\":1200.0,");
  }

  @Test
  void errorsCarryTheCodesWireName() {
    assertThat(Json.frame(new ServerFrame.Error("m1", ErrorCode.NOT_YOUR_TURN, "wait")))
        .isEqualTo("{\"type\":\"error\",\"re\":\"m1\",\"code\":\"not_your_turn\",\"message\":\"wait\"}");
    assertThat(Json.frame(new ServerFrame.Error(null, ErrorCode.TOO_LARGE, "big")))
        .isEqualTo("{\"type\":\"error\",\"code\":\"too_large\",\"message\":\"big\"}");
    assertThat(Json.write(new Bodies.ErrorBody(ErrorCode.RATE_LIMITED, "slow down")))
        .isEqualTo("{\"code\":\"rate_limited\",\"message\":\"slow down\"}");
  }

  @Test
  void repliesCodesAreReadAsErrorCodesAndUnknownOnesAsInternal() {
    assertThat(Wire.code(new GameSession.Rejected(ErrorCode.fromJson("game_full"), "full"))).isEqualTo(ErrorCode.GAME_FULL);
    assertThat(Wire.code(new GameSession.Refused("g", null, ErrorCode.fromJson("rate_limited"), "many"))).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(Wire.code(new Matchmaker.Rejected("chess", ErrorCode.fromJson("unknown_game_type"), "no"))).isEqualTo(ErrorCode.UNKNOWN_GAME_TYPE);
    assertThat(Wire.code(new GameSession.Rejected(ErrorCode.fromJson("from_a_newer_node"), "?"))).isEqualTo(ErrorCode.INTERNAL);
    assertThat(Wire.code(Wire.rejected(ErrorCode.UNAVAILABLE, "retry"))).isEqualTo(ErrorCode.UNAVAILABLE);
  }

  @Test
  void httpBodiesOfPlayersTicketsAndCatalogKeepTheSpecsOrder() {
    assertThat(Json.write(new Bodies.PlayerToken("p0", "alice", "t")))
        .isEqualTo("{\"playerId\":\"p0\",\"name\":\"alice\",\"token\":\"t\"}");
    assertThat(Json.write(new Bodies.WsTicket("k", 30000))).isEqualTo("{\"ticket\":\"k\",\"expiresInMs\":30000}");
    assertThat(Json.write(new Bodies.CatalogEntry("tictactoe", 2))).isEqualTo("{\"game\":\"tictactoe\",\"seats\":2}");
  }
}
