#!/usr/bin/env bash
# The WebSocket benchmark of issue 4 (results in docs/benchmarks.md): one node on the local
# PostgreSQL (its own database, arena_wsbench, emptied first), then WsLoad with 1,000, 5,000 and
# 10,000 concurrent tic-tac-toe games (two sockets each) on loopback.
#
#   scripts/bench-ws.sh [GAMES...]        default: 1000 5000 10000
#   WARMUP=10 MEASURE=30 scripts/bench-ws.sh 1000
set -euo pipefail
cd "$(dirname "$0")/.."

games=("$@")
[ ${#games[@]} -gt 0 ] || games=(1000 5000 10000)
WARMUP="${WARMUP:-10}"
MEASURE="${MEASURE:-30}"

scripts/postgres.sh >&2
runuser -u postgres -- psql -qAt -c "DROP DATABASE IF EXISTS arena_wsbench" -c "CREATE DATABASE arena_wsbench OWNER arena" >&2 \
  || sudo -u postgres psql -qAt -c "DROP DATABASE IF EXISTS arena_wsbench" -c "CREATE DATABASE arena_wsbench OWNER arena" >&2
[ -f gateway/target/arena-node.jar ] && [ -f loadtest/target/loadtest-1.0.0.jar ] || mvn -q -B -DskipTests install >&2

dir=$(mktemp -d)
cp gateway/target/arena-node.jar "$dir/"
log="$dir/node.log"
ARENA_DB_URL=jdbc:postgresql://127.0.0.1:5432/arena_wsbench ARENA_DB_USER=arena ARENA_DB_PASSWORD=arena \
ARENA_HTTP_PORT=18080 ARENA_MANAGEMENT_PORT=18558 ARENA_REMOTING_PORT=35520 \
ARENA_AUTH_SECRET=websocket-benchmark-secret-of-32-bytes \
  java -Xms2g -Xmx2g -jar "$dir/arena-node.jar" > "$log" 2>&1 &
node=$!
trap 'kill $node 2>/dev/null; wait $node 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 120); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18558/ready)" = 200 ] && break
  sleep 0.5
done

echo "| games | sockets | moves/s | ack p50 / p99 / max (ms) | opponent sees p50 / p99 / max (ms) | errors |"
echo "|---|---|---|---|---|---|"
for n in "${games[@]}"; do
  line=$(java -Xmx3g -cp "loadtest/target/loadtest-1.0.0.jar:loadtest/target/lib/*" arena.loadtest.ws.WsLoad \
    http://127.0.0.1:18080 "$n" "$WARMUP" "$MEASURE" | head -1)
  echo "$line" >&2
  echo "$line" | python3 -c '
import re, sys
l = sys.stdin.read()
f = dict(re.findall(r"(\w+/?\w*)=([\d.]+)", l))
a = re.search(r"ack_ms p50=([\d.]+) p99=([\d.]+) max=([\d.]+)", l).groups()
s = re.search(r"seen_ms p50=([\d.]+) p99=([\d.]+) max=([\d.]+)", l).groups()
print("| %s | %s | %s | %s / %s / %s | %s / %s / %s | %s |" % (f["games"], f["sockets"], f["moves/s"], *a, *s, f["errors"]))'
done
