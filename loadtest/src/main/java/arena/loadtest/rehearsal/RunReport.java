package arena.loadtest.rehearsal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** The report of one run: {@code report.json} and {@code report.md} in the output directory. */
final class RunReport {

  private final Rehearsal run;
  private final Instant began;
  private final int games;
  private final double rate;
  private final int nodes;
  long movesBefore;
  int inFlightAtEnd;
  String failure;
  Journal.Result journal;
  private Map<String, Object> data;

  RunReport(Rehearsal run, Instant began, int games, double rate, int nodes) {
    this.run = run;
    this.began = began;
    this.games = games;
    this.rate = rate;
    this.nodes = nodes;
  }

  long lost() {
    return journal == null ? -1 : journal.lost();
  }

  long doubled() {
    return journal == null ? -1 : journal.doubled();
  }

  long interleavedWriters() {
    return journal == null ? -1 : journal.gamesWithInterleavedWriters();
  }

  long refusedCreates() {
    Load l = run.load;
    return l == null ? -1 : Load.snapshot(l.refused).entrySet().stream()
        .filter(e -> e.getKey().startsWith("create:")).mapToLong(Map.Entry::getValue).sum();
  }

  double maxUnavailabilityMs() {
    return run.load == null ? -1 : run.load.unavailability.getMaxValue() / 1e6;
  }

  long acked() {
    return run.load == null ? 0 : run.load.acks.size();
  }

  long neverJoined() {
    return run.load == null ? -1 : run.load.neverJoined.sum();
  }

  String failure() {
    return failure;
  }

  String summaryLine() {
    return String.format(Locale.ROOT, "%s acked=%d lost=%d doubled=%d max_unavailability_ms=%.0f refused_creates=%d "
        + "never_joined=%d report=%s%s", run.scenario, acked(), lost(), doubled(), maxUnavailabilityMs(),
        refusedCreates(), neverJoined(), run.out.resolve("report.md"), failure == null ? "" : " FAILED: " + failure);
  }

  void write(Path out) throws IOException {
    data = new LinkedHashMap<>();
    data.put("scenario", run.scenario);
    data.put("date", began.toString());
    data.put("options", run.opt);
    data.put("games", games);
    data.put("offered_moves_per_s", rate);
    data.put("nodes", nodes);
    data.put("failure", failure);
    Load l = run.load;
    if (l != null) {
      Histogram h = l.unavailability;
      Map<String, Object> u = new LinkedHashMap<>();
      u.put("p50_ms", h.getValueAtPercentile(50) / 1e6);
      u.put("p95_ms", h.getValueAtPercentile(95) / 1e6);
      u.put("p99_ms", h.getValueAtPercentile(99) / 1e6);
      u.put("max_ms", h.getMaxValue() / 1e6);
      data.put("unavailability_send_to_ack", u);
      List<Load.Ack> acks = new ArrayList<>(l.acks);
      long resent = acks.stream().filter(a -> a.resends() > 0).count();
      double[] resentWaits = acks.stream().filter(a -> a.resends() > 0).mapToDouble(Load.Ack::waitedMs).sorted()
          .toArray();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("sent", l.movesSent.sum());
      m.put("acked", acks.size());
      long lastMs = acks.stream().mapToLong(Load.Ack::atMs).max().orElse(0);
      long firstMs = acks.stream().mapToLong(Load.Ack::atMs).min().orElse(0);
      m.put("acked_per_s", lastMs > firstMs ? Math.round(acks.size() * 1000.0 / (lastMs - firstMs)) : 0);
      m.put("acked_after_resend", resent);
      m.put("acked_after_resend_wait_p50_ms", resentWaits.length == 0 ? 0 : resentWaits[resentWaits.length / 2]);
      m.put("resends", l.resends.sum());
      m.put("unanswered_at_end", inFlightAtEnd);
      m.put("offered_with_no_game_ready", l.offeredNoTable.sum());
      m.put("answered_from_stale_state", l.staleAnswers.sum());
      m.put("stale_examples", new ArrayList<>(l.staleExamples));
      data.put("moves", m);
      data.put("games_created", l.creates.sum());
      data.put("games_never_joined", l.neverJoined.sum());
      data.put("refused_by_request_and_code", Load.snapshot(l.refused));
      data.put("refused_during_setup", new TreeMap<>(l.setupRefused));
      data.put("reconnects_by_cause", Load.snapshot(l.reconnects));
      data.put("client_events", Load.snapshot(l.events));
      Map<String, Long> ackedBy = new TreeMap<>();
      acks.forEach(a -> ackedBy.merge(a.node(), 1L, Long::sum));
      data.put("acks_by_answering_node", ackedBy);
      // acks per second with the longest wait among them: the shape of every disturbance
      TreeMap<Long, long[]> perSecond = new TreeMap<>();
      acks.forEach(a -> {
        long[] c = perSecond.computeIfAbsent(a.atMs() / 1000, k -> new long[2]);
        c[0]++;
        c[1] = Math.max(c[1], a.waitedMs());
      });
      List<List<Long>> timeline = new ArrayList<>();
      perSecond.forEach((s, c) -> timeline.add(List.of(s, c[0], c[1])));
      data.put("timeline_second_acks_maxwaitms", timeline);
    }
    data.put("journal", journal);
    Map<String, Integer> moves = run.watch.shardMovesCopy();
    Map<String, Object> shards = new LinkedHashMap<>();
    shards.put("shards_seen", moves.size());
    shards.put("shards_moved", moves.values().stream().filter(v -> v > 0).count());
    shards.put("moves_total", moves.values().stream().mapToInt(Integer::intValue).sum());
    shards.put("most_moves_of_one_shard", moves.values().stream().mapToInt(Integer::intValue).max().orElse(0));
    shards.put("moves_per_shard", moves);
    data.put("shard_moves", shards);
    data.put("coordinator_and_singleton_moves", run.watch.oldestChangesCopy());
    data.put("measures", run.measures);
    List<Map<String, Object>> nodeList = new ArrayList<>();
    for (NodeProc n : run.watch.nodes) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("name", n.name);
      x.put("release", n.release);
      x.put("app_version", n.appVersion);
      x.put("jar", n.jar.toString());
      x.put("pid", n.pid());
      x.put("started_s", n.startedAtMs / 1000.0);
      x.put("exited_s", n.exitedAtMs < 0 ? null : n.exitedAtMs / 1000.0);
      x.put("log", n.log.toString());
      nodeList.add(x);
    }
    data.put("node_processes", nodeList);
    data.put("steps", run.steps);
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Files.writeString(out.resolve("report.json"), json.writeValueAsString(data));
    Files.writeString(out.resolve("report.md"), markdown());
  }

  @SuppressWarnings("unchecked")
  private String markdown() {
    StringBuilder b = new StringBuilder();
    b.append("# ").append(run.scenario).append(" — ").append(began).append("\n\n");
    b.append(String.format(Locale.ROOT, "%d nodes, %d connect4 games, %.0f moves/s offered. Options: `%s`%n%n", nodes,
        games, rate, run.opt));
    if (failure != null) {
      b.append("**The run failed:** ").append(failure).append("\n\n");
    }
    b.append("| measure | value |\n|---|---|\n");
    if (journal != null) {
      row(b, "acked moves lost / applied twice (journal vs. acks)", journal.lost() + " / " + journal.doubled());
      row(b, "acks checked / games checked", journal.acksChecked() + " / " + journal.gamesChecked());
      row(b, "games written by several writers / with interleaved writers (two writers at once)",
          journal.gamesWithSeveralWriters() + " / " + journal.gamesWithInterleavedWriters());
      row(b, "sequence gaps in the journal", String.valueOf(journal.seqGaps()));
    }
    Map<String, Object> u = (Map<String, Object>) data.get("unavailability_send_to_ack");
    if (u != null) {
      row(b, "per-move unavailability (send → ack, resends and reconnects included) p50 / p95 / p99 / max",
          String.format(Locale.ROOT, "%.0f ms / %.0f ms / %.0f ms / %.0f ms", u.get("p50_ms"), u.get("p95_ms"),
              u.get("p99_ms"), u.get("max_ms")));
      Map<String, Object> m = (Map<String, Object>) data.get("moves");
      row(b, "moves sent / acked / acked per s", m.get("sent") + " / " + m.get("acked") + " / " + m.get("acked_per_s"));
      row(b, "moves that needed a resend (their wait p50) / resends",
          m.get("acked_after_resend") + " (" + m.get("acked_after_resend_wait_p50_ms") + " ms) / " + m.get("resends"));
      row(b, "moves answered from stale state (not_your_turn / illegal_move for a legal move)",
          String.valueOf(m.get("answered_from_stale_state")));
      row(b, "games created / never joined", data.get("games_created") + " / " + data.get("games_never_joined"));
      row(b, "requests refused (request:code)", String.valueOf(data.get("refused_by_request_and_code")));
      row(b, "requests refused while the games were set up, before the run (request:code)",
          String.valueOf(data.get("refused_during_setup")));
      row(b, "reconnects (cause)", String.valueOf(data.get("reconnects_by_cause")));
      row(b, "client events", String.valueOf(data.get("client_events")));
      row(b, "acks by the node whose socket answered", String.valueOf(data.get("acks_by_answering_node")));
    }
    Map<String, Object> s = (Map<String, Object>) data.get("shard_moves");
    row(b, "shards seen / moved / moves in all / most moves of one shard", s.get("shards_seen") + " / "
        + s.get("shards_moved") + " / " + s.get("moves_total") + " / " + s.get("most_moves_of_one_shard"));
    List<String> oldest = (List<String>) data.get("coordinator_and_singleton_moves");
    row(b, "coordinator and singleton moves (oldest member changes)", String.valueOf(oldest.size()));
    run.measures.forEach((k, v) -> row(b, k.replace('_', ' '), String.valueOf(v)));
    b.append("\n## Steps\n\n```\n");
    run.steps.forEach(st -> b.append(st).append('\n'));
    oldest.forEach(o -> b.append(o).append('\n'));
    b.append("```\n");
    if (journal != null && !journal.examples().isEmpty()) {
      b.append("\n## Journal findings\n\n");
      journal.examples().forEach(e -> b.append("- ").append(e).append('\n'));
    }
    b.append("\nShard moves per shard, the acks per second and every node process are in `report.json`.\n");
    return b.toString();
  }

  private static void row(StringBuilder b, String k, String v) {
    b.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n");
  }
}
