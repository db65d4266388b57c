#!/usr/bin/env bash
# The game-session benchmark of issue 3 (results in docs/benchmarks.md): durable moves per second
# through sharded game sessions on the local PostgreSQL, with 1,000 and 10,000 concurrent games,
# next to pgbench's ceiling for the same rows; cold recovery of a 1,000-event game with and
# without snapshots; heap per live game. Takes about 6 minutes; prints a Markdown report, also
# kept in loadtest/target/bench-sessions.md.
#
#   scripts/bench-sessions.sh                      the documented run
#   scripts/bench-sessions.sh --games 1000 --duration 60
#   BENCH_JAVA_OPTS="-Xmx4g -Djdbc-journal.parallelism=4" scripts/bench-sessions.sh
#
# SessionBench --help lists the options. The database is the benchmark's own, arena_bench on
# 127.0.0.1 (created when missing; its journal is emptied at the start of every run), unless
# ARENA_DB_URL / ARENA_DB_USER / ARENA_DB_PASSWORD or --db-url say otherwise: no node or test may
# use that database during a run (it would be a second cluster writing the same sharding journals).
# Only a database on 127.0.0.1 is accepted.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/postgres.sh >&2
mvn -q -B -DskipTests install -pl loadtest -am >&2

# The run uses a copy of the class path: a build started meanwhile (by anyone sharing this work
# tree) must not replace jars under a running benchmark.
classpath=$(mktemp -d)
trap 'rm -rf "$classpath"' EXIT
cp -r loadtest/target/loadtest-1.0.0.jar loadtest/target/lib "$classpath"/

# shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of options
java ${BENCH_JAVA_OPTS:--Xms4g -Xmx4g} \
  -cp "$classpath/loadtest-1.0.0.jar:$classpath/lib/*" \
  arena.loadtest.SessionBench "$@" | tee loadtest/target/bench-sessions.md
