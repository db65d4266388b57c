#!/usr/bin/env bash
# A local Arena cluster of N node processes on PostgreSQL.
#
#   scripts/cluster.sh up N     build if needed, then start nodes 1..N (ports 8080+i, 8558+i, 25520+i)
#   scripts/cluster.sh status   each node's pid, readiness and its view of the members
#   scripts/cluster.sh down     SIGTERM every node (graceful leave) and wait for them
#
# Logs and pids live in run/cluster/. The nodes share the database "arena" of scripts/postgres.sh
# (override with ARENA_DB_URL / ARENA_DB_USER / ARENA_DB_PASSWORD) and one token secret, so a
# token from any node works on all of them.
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=run/cluster
JAR=gateway/target/arena-node.jar

port() { echo $(( $1 + $2 )); }   # base + node number

up() {
  local n="${1:?usage: scripts/cluster.sh up N}"
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "N must be a positive number" >&2; exit 2; }
  [ -f "$JAR" ] || mvn -B -q -DskipTests package
  scripts/postgres.sh
  mkdir -p "$DIR"
  local contacts="" i
  for i in $(seq 1 "$n"); do contacts+="${contacts:+,}127.0.0.1:$(port 8558 "$i")"; done
  for i in $(seq 1 "$n"); do
    if [ -f "$DIR/node$i.pid" ] && kill -0 "$(cat "$DIR/node$i.pid")" 2>/dev/null; then
      echo "node$i is already running (pid $(cat "$DIR/node$i.pid"))"; continue
    fi
    ARENA_HTTP_PORT=$(port 8080 "$i") ARENA_MANAGEMENT_PORT=$(port 8558 "$i") ARENA_REMOTING_PORT=$(port 25520 "$i") \
    ARENA_DB_URL="${ARENA_DB_URL:-jdbc:postgresql://127.0.0.1:5432/arena}" \
    ARENA_DB_USER="${ARENA_DB_USER:-arena}" ARENA_DB_PASSWORD="${ARENA_DB_PASSWORD:-arena}" \
    ARENA_AUTH_SECRET="${ARENA_AUTH_SECRET:-local-cluster-secret-of-at-least-32-bytes}" \
    ARENA_CONTACT_POINTS="$contacts" ARENA_REQUIRED_CONTACT_POINTS="${ARENA_REQUIRED_CONTACT_POINTS:-$n}" \
      nohup java -Xmx512m -jar "$JAR" > "$DIR/node$i.log" 2>&1 &
    echo $! > "$DIR/node$i.pid"
    echo "node$i: http://127.0.0.1:$(port 8080 "$i")/  management http://127.0.0.1:$(port 8558 "$i")/  log $DIR/node$i.log"
  done
  echo "waiting for $n nodes to be ready…"
  local deadline=$(( SECONDS + 120 ))
  for i in $(seq 1 "$n"); do
    until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(port 8558 "$i")/ready")" = 200 ]; do
      if [ $SECONDS -gt $deadline ]; then echo "node$i is not ready after 120 s; see $DIR/node$i.log" >&2; exit 1; fi
      sleep 0.5
    done
  done
  status
}

status() {
  local f i
  shopt -s nullglob
  for f in "$DIR"/node*.pid; do
    i=$(basename "$f" .pid); i=${i#node}
    if kill -0 "$(cat "$f")" 2>/dev/null; then
      printf 'node%s pid %s ready=%s ' "$i" "$(cat "$f")" \
        "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(port 8558 "$i")/ready")"
      curl -s "http://127.0.0.1:$(port 8558 "$i")/cluster/members" \
        | python3 -c 'import json,sys; m=json.load(sys.stdin)["members"]; print(", ".join(x["node"].split("@")[1]+" "+x["status"] for x in m))' \
        2>/dev/null || echo "(no answer)"
    else
      echo "node$i not running"
    fi
  done
}

down() {
  local f pid
  shopt -s nullglob
  for f in "$DIR"/node*.pid; do
    pid=$(cat "$f")
    kill -TERM "$pid" 2>/dev/null || true
  done
  for f in "$DIR"/node*.pid; do
    pid=$(cat "$f")
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then echo "$(basename "$f" .pid) did not leave within 30 s; killing it" >&2; kill -KILL "$pid"; fi
    rm -f "$f"
  done
  echo "cluster down"
}

case "${1:-}" in
  up) up "${2:-}" ;;
  status) status ;;
  down) down ;;
  *) echo "usage: scripts/cluster.sh up N | status | down" >&2; exit 2 ;;
esac
