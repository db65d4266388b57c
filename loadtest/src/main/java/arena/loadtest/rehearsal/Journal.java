package arena.loadtest.rehearsal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares every ack the players received with the journal in PostgreSQL ({@code event_journal},
 * {@code persistence_id = 'game-session|<gameId>'}, JSON payloads): an ack whose seq holds no
 * {@code Moved} event with the ack's request id is a lost move; a request id stored twice in one
 * game is a move applied twice. Writers: every row names the writer (a persistent actor's
 * incarnation); a game whose writers interleave (A, then B, then A again) had two writers at once.
 */
final class Journal {

  private static final ObjectMapper JSON = new ObjectMapper();

  record Result(long acksChecked, long lost, long doubled, long gamesChecked, long gamesWithSeveralWriters,
      long gamesWithInterleavedWriters, long seqGaps, List<String> examples) {}

  static Result check(String url, String user, String password, Collection<Load.Ack> acks) throws SQLException {
    Map<String, List<Load.Ack>> byGame = new HashMap<>();
    for (Load.Ack a : acks) {
      byGame.computeIfAbsent(a.gameId(), k -> new ArrayList<>()).add(a);
    }
    long lost = 0;
    long doubled = 0;
    long several = 0;
    long interleaved = 0;
    long gaps = 0;
    List<String> examples = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, user, password)) {
      List<String> ids = new ArrayList<>(byGame.keySet());
      for (int from = 0; from < ids.size(); from += 500) {
        List<String> batch = ids.subList(from, Math.min(ids.size(), from + 500));
        Map<String, Map<Long, Row>> rows = read(c, batch);
        for (String game : batch) {
          Map<Long, Row> journal = rows.getOrDefault(game, Map.of());
          for (Load.Ack a : byGame.get(game)) {
            Row r = journal.get(a.seq());
            if (r == null || !a.requestId().equals(r.requestId)) {
              lost++;
              if (examples.size() < 20) {
                examples.add("lost: " + game + " seq " + a.seq() + " " + a.requestId() + " acked by " + a.node()
                    + "; journal has " + (r == null ? "nothing" : r.requestId));
              }
            }
          }
          Map<String, Integer> uses = new HashMap<>();
          long expect = 1;
          List<String> writers = new ArrayList<>();
          for (Map.Entry<Long, Row> e : journal.entrySet()) {
            if (e.getKey() != expect) {
              gaps++;
            }
            expect = e.getKey() + 1;
            Row r = e.getValue();
            if (r.requestId != null && uses.merge(r.requestId, 1, Integer::sum) == 2) {
              doubled++;
              if (examples.size() < 20) {
                examples.add("doubled: " + game + " " + r.requestId);
              }
            }
            if (writers.isEmpty() || !writers.get(writers.size() - 1).equals(r.writer)) {
              writers.add(r.writer);
            }
          }
          Set<String> distinct = new TreeSet<>(writers);
          if (distinct.size() > 1) {
            several++;
          }
          if (distinct.size() < writers.size()) {
            interleaved++;
            if (examples.size() < 20) {
              examples.add("interleaved writers: " + game + " " + writers);
            }
          }
        }
      }
    }
    return new Result(acks.size(), lost, doubled, byGame.size(), several, interleaved, gaps, examples);
  }

  private record Row(String requestId, String writer) {}

  private static Map<String, Map<Long, Row>> read(Connection c, List<String> games) throws SQLException {
    Map<String, Map<Long, Row>> out = new HashMap<>();
    String[] pids = games.stream().map(g -> "game-session|" + g).toArray(String[]::new);
    try (PreparedStatement s = c.prepareStatement("SELECT persistence_id, sequence_number, writer, event_payload "
        + "FROM event_journal WHERE persistence_id = ANY(?) AND NOT deleted ORDER BY persistence_id, sequence_number")) {
      Array array = c.createArrayOf("varchar", pids);
      s.setArray(1, array);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String game = rs.getString(1).substring("game-session|".length());
          String requestId = null;
          try {
            JsonNode p = JSON.readTree(new String(rs.getBytes(4), StandardCharsets.UTF_8));
            if (p.hasNonNull("requestId")) {
              requestId = p.get("requestId").asText();
            }
          } catch (Exception e) {
            // not JSON: not a move we can compare
          }
          out.computeIfAbsent(game, k -> new LinkedHashMap<>()).put(rs.getLong(2), new Row(requestId, rs.getString(3)));
        }
      }
    }
    return out;
  }
}
