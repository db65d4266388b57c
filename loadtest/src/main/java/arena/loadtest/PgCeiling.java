package arena.loadtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL's own ceiling for journal writes: pgbench inserts journal-shaped rows (the payload a
 * serialized {@code Moved} event, the same serializer id and manifest) into a scratch copy of
 * {@code event_journal}, in transactions of a given number of rows written as multi-row INSERTs of
 * at most {@value #ROWS_PER_STATEMENT} rows, with as many connections as the journal's pool.
 */
final class PgCeiling {

  static final String TABLE = "arena_bench_journal";
  /** Rows per INSERT: pgbench binds at most 255 parameters, and each row takes two. */
  static final int ROWS_PER_STATEMENT = 100;
  private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
  private static final Pattern FAILED = Pattern.compile("number of failed transactions: (\\d+)");

  /** The row that is written, as the journal would write it. */
  record JournalRow(int serializerId, String manifest, byte[] payload, int distinctGames) {}

  /** {@code rowsPerSecond} = transactions per second times rows per transaction. */
  record Result(int rowsPerTransaction, int clients, double rowsPerSecond, double transactionsPerSecond,
      CpuUse.Shares cpu) {}

  private final String pgbench;
  private final DbTarget db;
  private final Duration duration;

  PgCeiling(String pgbench, DbTarget db, Duration duration) {
    this.pgbench = pgbench;
    this.db = db;
    this.duration = duration;
  }

  List<Result> run(JournalRow row, int clients, List<Integer> rowsPerTransaction) throws Exception {
    createScratchTable();
    try {
      return rowsPerTransaction.stream().map(rows -> {
        try {
          return runOne(row, clients, rows);
        } catch (Exception e) {
          throw new IllegalStateException("pgbench failed: " + e.getMessage(), e);
        }
      }).toList();
    } finally {
      dropScratchTable();
    }
  }

  private Result runOne(JournalRow row, int clients, int rows) throws IOException, InterruptedException, SQLException {
    Progress.say("pgbench: %d connections, %d rows per transaction, %d s", clients, rows, duration.toSeconds());
    Path script = Files.createTempFile("arena-pgbench-", ".sql");
    try {
      Files.writeString(script, script(row, rows), StandardCharsets.UTF_8);
      ProcessBuilder builder = new ProcessBuilder(pgbench, "-n", "-M", "prepared",
          "-h", db.host(), "-p", String.valueOf(db.port()), "-U", db.user(),
          "-c", String.valueOf(clients), "-j", String.valueOf(Math.min(clients, Runtime.getRuntime().availableProcessors())),
          "-T", String.valueOf(duration.toSeconds()), "-f", script.toString(), db.database())
          .redirectErrorStream(true);
      builder.environment().put("PGPASSWORD", db.password());
      CpuUse before = CpuUse.read();
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int exit = process.waitFor();
      CpuUse.Shares cpu = CpuUse.read().since(before);
      Matcher tps = TPS.matcher(output);
      Matcher failed = FAILED.matcher(output);
      if (exit != 0 || !tps.find() || (failed.find() && Long.parseLong(failed.group(1)) > 0)) {
        throw new IllegalStateException("pgbench exited " + exit + ":\n" + output);
      }
      double transactions = Double.parseDouble(tps.group(1));
      truncateScratchTable();
      return new Result(rows, clients, transactions * rows, transactions, cpu);
    } finally {
      Files.deleteIfExists(script);
    }
  }

  /**
   * One transaction of {@code rows} rows. Keys are unique: {@code :base} is drawn at random from
   * 9e15 values, the sequence numbers are {@code base + i}, spread over the given number of games.
   */
  static String script(JournalRow row, int rows) {
    String writer = UUID.randomUUID().toString();
    long now = System.currentTimeMillis();
    String payload = "'\\x" + HexFormat.of().formatHex(row.payload()) + "'::bytea";
    StringBuilder sql = new StringBuilder("\\set base random(1, 9000000000000000)\n");
    boolean transaction = rows > ROWS_PER_STATEMENT;
    if (transaction) {
      sql.append("BEGIN;\n");
    }
    for (int first = 0; first < rows; first += ROWS_PER_STATEMENT) {
      sql.append("INSERT INTO ").append(TABLE).append(" (persistence_id, sequence_number, deleted, writer,"
          + " write_timestamp, adapter_manifest, event_ser_id, event_ser_manifest, event_payload) VALUES\n");
      int last = Math.min(rows, first + ROWS_PER_STATEMENT);
      for (int i = first; i < last; i++) {
        sql.append(String.format("('game-session|pgbench-' || ((:base::bigint + %d) %% %d), :base::bigint + %d,"
                + " false, '%s', %d, '', %d, '%s', %s)%s\n",
            i, row.distinctGames(), i, writer, now, row.serializerId(), row.manifest(), payload,
            i == last - 1 ? ";" : ","));
      }
    }
    if (transaction) {
      sql.append("COMMIT;\n");
    }
    return sql.toString();
  }

  /** Shaped like event_journal (columns, primary key, unique ordering index), with its own sequence. */
  private void createScratchTable() throws SQLException {
    execute("DROP TABLE IF EXISTS " + TABLE,
        "CREATE TABLE " + TABLE + " (LIKE event_journal INCLUDING CONSTRAINTS INCLUDING INDEXES)",
        "CREATE SEQUENCE " + TABLE + "_ordering OWNED BY " + TABLE + ".ordering",
        "ALTER TABLE " + TABLE + " ALTER COLUMN ordering SET DEFAULT nextval('" + TABLE + "_ordering')");
  }

  private void truncateScratchTable() throws SQLException {
    execute("TRUNCATE " + TABLE);
  }

  private void dropScratchTable() throws SQLException {
    execute("DROP TABLE IF EXISTS " + TABLE);
  }

  private void execute(String... statements) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }
}
