#!/usr/bin/env bash
# Makes sure a local PostgreSQL serves Arena's test database, installing it when it is missing.
#
#   scripts/postgres.sh            install if needed, start, create role and database
#   scripts/postgres.sh url        print the JDBC URL of the test database
#   scripts/postgres.sh reset-test as the first form, then empty the test database (drop, create)
#
# Role "arena" (password "arena") owns databases "arena_test" (tests) and "arena" (local runs).
# Override with ARENA_PG_PORT (default 5432).
set -euo pipefail

PORT="${ARENA_PG_PORT:-5432}"
ROLE=arena
PASSWORD=arena

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

if [ "${1:-}" = url ]; then
  echo "jdbc:postgresql://127.0.0.1:${PORT}/arena_test"
  exit 0
fi

if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
  echo "postgres.sh: PostgreSQL is missing; installing it with apt-get" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib >/dev/null
fi

read -r VERSION CLUSTER < <(pg_lsclusters --no-header | awk 'NR==1 {print $1, $2}')
if [ -z "${VERSION:-}" ]; then
  VERSION=$(ls /etc/postgresql | sort -V | tail -1)
  as_root pg_createcluster "$VERSION" main
  CLUSTER=main
fi
if ! pg_lsclusters --no-header | awk -v v="$VERSION" -v c="$CLUSTER" '$1==v && $2==c {print $4}' | grep -q online; then
  as_root pg_ctlcluster "$VERSION" "$CLUSTER" start
fi

for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p "$PORT" && break
  sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p "$PORT" || { echo "postgres.sh: PostgreSQL did not become ready on port $PORT" >&2; exit 1; }

psql_admin() { as_postgres psql -p "$PORT" -v ON_ERROR_STOP=1 -qAt "$@"; }

if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != 1 ]; then
  psql_admin -c "CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD'"
fi
for db in arena_test arena; do
  if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
    psql_admin -c "CREATE DATABASE $db OWNER $ROLE"
  fi
done
if [ "${1:-}" = reset-test ]; then
  # Every run of the suite starts from an empty database, as CI does on a fresh machine: games an
  # earlier run left would restart with their shards (remembered entities) and slow its clusters.
  psql_admin -c "DROP DATABASE IF EXISTS arena_test WITH (FORCE)"
  psql_admin -c "CREATE DATABASE arena_test OWNER $ROLE"
fi
echo "postgres.sh: PostgreSQL $VERSION ready on 127.0.0.1:$PORT (role $ROLE, databases arena_test and arena)" >&2
