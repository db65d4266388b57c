#!/usr/bin/env bash
# The WebSocket benchmark of issue 4 (results in docs/benchmarks.md): one node on the local
# PostgreSQL (its own database, arena_wsbench, emptied first), then WsLoad with 1,000, 5,000 and
# 10,000 concurrent tic-tac-toe games on loopback, each between two players' sockets.
#
#   scripts/bench-ws.sh [GAMES...]        default: 1000 5000 10000
#   WARMUP=10 MEASURE=30 scripts/bench-ws.sh 1000
#   GAMES_PER_SOCKET=2 scripts/bench-ws.sh 1000
#
# One table row per GAMES (WsLoad's result line goes to stderr too). "errors by kind" counts the
# measurement window only: an error frame's code, or what failed and the exception's class;
# "games died" are games given up (an error answering a move, create or join, an early end, a
# stall) and started again. CPU is in cores over the measurement window: the generator's JVM, the
# node's JVM, PostgreSQL's processes, everything else on the machine, and what stayed idle.
# Sockets: players come in pairs, and each pair plays GAMES_PER_SOCKET games (default 1) against
# each other at once over its two sockets (WsLoad's wsload.gamesPerSocket; they take turns being
# X), so G games take 2 x ceil(G / GAMES_PER_SOCKET) sockets. Every socket is an open file in both
# JVMs and must fit in `ulimit -n` with about 300 to spare; a case that does not fit is run with
# the smallest number of games per socket that does (2, 3, ...), and says so on stderr. On the
# development machines (hard limit 20,000 open files) 10,000 games run with 2 games per socket:
# 10,000 sockets. More games per socket send more frames per socket (about the node's moves/s x
# 11/9 / sockets; the spec allows 20 a second), so small cases keep 1.
set -euo pipefail
cd "$(dirname "$0")/.."

games=("$@")
[ ${#games[@]} -gt 0 ] || games=(1000 5000 10000)
WARMUP="${WARMUP:-10}"
MEASURE="${MEASURE:-30}"
GAMES_PER_SOCKET="${GAMES_PER_SOCKET:-1}"
[[ "$GAMES_PER_SOCKET" =~ ^[1-9][0-9]*$ ]] || { echo "bench-ws: GAMES_PER_SOCKET must be a whole number from 1, not '$GAMES_PER_SOCKET'" >&2; exit 2; }

scripts/postgres.sh >&2
runuser -u postgres -- psql -qAt -c "DROP DATABASE IF EXISTS arena_wsbench" -c "CREATE DATABASE arena_wsbench OWNER arena" >&2 \
  || sudo -u postgres psql -qAt -c "DROP DATABASE IF EXISTS arena_wsbench" -c "CREATE DATABASE arena_wsbench OWNER arena" >&2
[ -n "${ARENA_JAR:-}" ] || mvn -q -B -DskipTests install >&2 # ARENA_JAR: a node jar built before (compare versions in one run)

# Both JVMs hold one open file per socket: take the hard limit if the soft one is lower. A case
# that cannot fit with GAMES_PER_SOCKET is run with the smallest number of games per socket that
# fits, and says so.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
limit=$(ulimit -n)
sockets() { echo $(( 2 * (($1 + $2 - 1) / $2) )); } # games, games per socket
per_socket=()
for i in "${!games[@]}"; do
  k=$GAMES_PER_SOCKET
  if [ "$limit" != unlimited ]; then
    while [ $(($(sockets "${games[i]}" "$k") + 300)) -gt "$limit" ] && [ "$k" -lt "${games[i]}" ]; do
      k=$((k + 1))
    done
    if [ "$k" != "$GAMES_PER_SOCKET" ]; then
      echo "bench-ws: ${games[i]} games at $GAMES_PER_SOCKET per socket need about $(($(sockets "${games[i]}" "$GAMES_PER_SOCKET") + 300)) open files per JVM, but ulimit -n is $limit (hard limit); running them at $k games per socket instead ($(sockets "${games[i]}" "$k") sockets)" >&2
    fi
  fi
  per_socket[i]=$k
done

dir=$(mktemp -d)
cp "${ARENA_JAR:-gateway/target/arena-node.jar}" "$dir/arena-node.jar"
log="$dir/node.log"
# The node's http.conf allows 20,000 sockets (pekko.http.server.max-connections) and a backlog of
# 1024; raised further here so that the limit is the machine's open files, not the setting.
# NODE_JAVA_OPTS adds options to the node's JVM (e.g. a flight recording).
ARENA_DB_URL=jdbc:postgresql://127.0.0.1:5432/arena_wsbench ARENA_DB_USER=arena ARENA_DB_PASSWORD=arena \
ARENA_HTTP_PORT=18080 ARENA_MANAGEMENT_PORT=18558 ARENA_REMOTING_PORT=35520 \
ARENA_AUTH_SECRET=websocket-benchmark-secret-of-32-bytes \
ARENA_PER_ADDRESS_LIMITS=off \
  java -Xms2g -Xmx2g ${NODE_JAVA_OPTS:-} \
    -Dpekko.http.server.max-connections=30000 -Dpekko.http.server.backlog=1024 \
    -jar "$dir/arena-node.jar" > "$log" 2>&1 &
node=$!
trap 'kill $node 2>/dev/null; wait $node 2>/dev/null; [ -z "${NODE_LOG:-}" ] || cp "$log" "$NODE_LOG"; rm -rf "$dir"' EXIT
for _ in $(seq 1 120); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18558/ready)" = 200 ] && break
  sleep 0.5
done

echo "| games | sockets | games per socket | set-up (s) | moves/s | ack p50 / p99 / max (ms) | opponent sees p50 / p99 / max (ms) | errors | errors by kind | games died | CPU generator | CPU node | CPU PostgreSQL | CPU others | CPU idle |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for i in "${!games[@]}"; do
  n=${games[i]}
  k=${per_socket[i]}
  line=$(java -Xmx3g ${WSLOAD_OPTS:-} -Dwsload.gamesPerSocket="$k" -cp "loadtest/target/loadtest-1.0.0.jar:loadtest/target/lib/*" \
    arena.loadtest.ws.WsLoad http://127.0.0.1:18080 "$n" "$WARMUP" "$MEASURE" "$node") || true
  echo "$line" >&2
  echo "$line" | N="$n" K="$k" S="$(sockets "$n" "$k")" python3 -c '
import os, re, sys
l = sys.stdin.read().strip()
n, k, sockets = int(os.environ["N"]), int(os.environ["K"]), int(os.environ["S"])
failed = re.search(r"setup_failed=\"(.*)\"", l)
if failed or not l.startswith("games="):
    why = failed.group(1) if failed else "no result (see stderr)"
    print("| %d | %d | %d | failed: %s | | | | | | | | | | | |" % (n, sockets, k, why.replace("|", "/")))
    sys.exit(0)
f = dict(re.findall(r"(\w+/?\w*)=([\d.?]+)", l))
a = re.search(r"ack_ms p50=([\d.]+) p99=([\d.]+) max=([\d.]+)", l).groups()
s = re.search(r"seen_ms p50=([\d.]+) p99=([\d.]+) max=([\d.]+)", l).groups()
e = re.search(r"errors=(\d+) \{([^}]*)\}", l).groups()
d = re.search(r"died=(\d+) \{([^}]*)\}", l).groups()
setup = re.search(r"setup=([\d.]+)s", l).group(1)
print("| %s | %s | %s | %s | %s | %s / %s / %s | %s / %s / %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
    f["games"], f["sockets"], f["gamesPerSocket"], setup, f["moves/s"], *a, *s, e[0], e[1] or "-",
    d[0] + (" (" + d[1] + ")" if d[1] else ""),
    f["cpu_generator"], f["cpu_node"], f["cpu_postgres"], f["cpu_others"], f["cpu_idle"]))'
done
# What the node complained about (its log goes away with the temporary directory).
warnings=$(grep -cE ' (WARN|ERROR) ' "$log" || true)
echo "bench-ws: the node logged ${warnings:-0} warnings and errors" >&2
grep -E ' (WARN|ERROR) ' "$log" | cut -c1-400 | head -20 >&2 || true
