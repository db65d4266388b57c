#!/usr/bin/env bash
# The WebSocket benchmark of issue 4 (results in docs/benchmarks.md): one node on the local
# PostgreSQL (its own database, arena_wsbench, emptied first), then WsLoad with 1,000, 5,000 and
# 10,000 concurrent tic-tac-toe games (two sockets each) on loopback.
#
#   scripts/bench-ws.sh [GAMES...]        default: 1000 5000 10000
#   WARMUP=10 MEASURE=30 scripts/bench-ws.sh 1000
#
# One table row per GAMES (WsLoad's result line goes to stderr too). "errors by kind" counts the
# measurement window only: an error frame's code, or what failed and the exception's class;
# "games died" are games given up (an error answering a move, create or join, an early end, a
# stall) and started again. CPU is in cores over the measurement window: the generator's JVM, the
# node's JVM, PostgreSQL's processes, everything else on the machine, and what stayed idle.
# Every socket is an open file in both JVMs: GAMES x 2 must stay below `ulimit -n`; a case that
# does not fit runs with the most games that do (on the development machines, hard limit 20,000:
# 9,500 games).
set -euo pipefail
cd "$(dirname "$0")/.."

games=("$@")
[ ${#games[@]} -gt 0 ] || games=(1000 5000 10000)
WARMUP="${WARMUP:-10}"
MEASURE="${MEASURE:-30}"

scripts/postgres.sh >&2
runuser -u postgres -- psql -qAt -c "DROP DATABASE IF EXISTS arena_wsbench" -c "CREATE DATABASE arena_wsbench OWNER arena" >&2 \
  || sudo -u postgres psql -qAt -c "DROP DATABASE IF EXISTS arena_wsbench" -c "CREATE DATABASE arena_wsbench OWNER arena" >&2
mvn -q -B -DskipTests install >&2

# Both JVMs hold one open file per socket: take the hard limit if the soft one is lower. A case
# that cannot fit is run with the most games that fit (rounded down to 500), and says so.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fits=$(( ($(ulimit -n) - 300) / 2 / 500 * 500 ))
for i in "${!games[@]}"; do
  if [ $((2 * games[i] + 300)) -gt "$(ulimit -n)" ]; then
    echo "bench-ws: ${games[i]} games need about $((2 * games[i] + 300)) open files per JVM, but ulimit -n is $(ulimit -n) (hard limit); running $fits games instead" >&2
    games[i]=$fits
  fi
done

dir=$(mktemp -d)
cp gateway/target/arena-node.jar "$dir/"
log="$dir/node.log"
# The node's http.conf allows 20,000 sockets (pekko.http.server.max-connections) and a backlog of
# 1024; raised further here so that the limit is the machine's open files, not the setting.
# NODE_JAVA_OPTS adds options to the node's JVM (e.g. a flight recording).
ARENA_DB_URL=jdbc:postgresql://127.0.0.1:5432/arena_wsbench ARENA_DB_USER=arena ARENA_DB_PASSWORD=arena \
ARENA_HTTP_PORT=18080 ARENA_MANAGEMENT_PORT=18558 ARENA_REMOTING_PORT=35520 \
ARENA_AUTH_SECRET=websocket-benchmark-secret-of-32-bytes \
  java -Xms2g -Xmx2g ${NODE_JAVA_OPTS:-} \
    -Dpekko.http.server.max-connections=30000 -Dpekko.http.server.backlog=1024 \
    -jar "$dir/arena-node.jar" > "$log" 2>&1 &
node=$!
trap 'kill $node 2>/dev/null; wait $node 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 120); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18558/ready)" = 200 ] && break
  sleep 0.5
done

echo "| games | sockets | set-up (s) | moves/s | ack p50 / p99 / max (ms) | opponent sees p50 / p99 / max (ms) | errors | errors by kind | games died | CPU generator | CPU node | CPU PostgreSQL | CPU others | CPU idle |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for n in "${games[@]}"; do
  line=$(java -Xmx3g -cp "loadtest/target/loadtest-1.0.0.jar:loadtest/target/lib/*" arena.loadtest.ws.WsLoad \
    http://127.0.0.1:18080 "$n" "$WARMUP" "$MEASURE" "$node") || true
  echo "$line" >&2
  echo "$line" | N="$n" python3 -c '
import os, re, sys
l = sys.stdin.read().strip()
n = int(os.environ["N"])
failed = re.search(r"setup_failed=\"(.*)\"", l)
if failed or not l.startswith("games="):
    why = failed.group(1) if failed else "no result (see stderr)"
    print("| %d | %d | failed: %s | | | | | | | | | | | |" % (n, 2 * n, why.replace("|", "/")))
    sys.exit(0)
f = dict(re.findall(r"(\w+/?\w*)=([\d.?]+)", l))
a = re.search(r"ack_ms p50=([\d.]+) p99=([\d.]+) max=([\d.]+)", l).groups()
s = re.search(r"seen_ms p50=([\d.]+) p99=([\d.]+) max=([\d.]+)", l).groups()
e = re.search(r"errors=(\d+) \{([^}]*)\}", l).groups()
d = re.search(r"died=(\d+) \{([^}]*)\}", l).groups()
setup = re.search(r"setup=([\d.]+)s", l).group(1)
print("| %s | %s | %s | %s | %s / %s / %s | %s / %s / %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
    f["games"], f["sockets"], setup, f["moves/s"], *a, *s, e[0], e[1] or "-",
    d[0] + (" (" + d[1] + ")" if d[1] else ""),
    f["cpu_generator"], f["cpu_node"], f["cpu_postgres"], f["cpu_others"], f["cpu_idle"]))'
done
# What the node complained about (its log goes away with the temporary directory).
warnings=$(grep -cE ' (WARN|ERROR) ' "$log" || true)
echo "bench-ws: the node logged ${warnings:-0} warnings and errors" >&2
grep -E ' (WARN|ERROR) ' "$log" | cut -c1-400 | head -20 >&2 || true
