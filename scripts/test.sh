#!/usr/bin/env bash
# Runs Arena's whole test suite on this machine: unit tests, tests against a real PostgreSQL
# (installed and started here when missing) and the node's end-to-end tests.
#
#   scripts/test.sh [extra Maven arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/postgres.sh
export ARENA_TEST_DB_URL="${ARENA_TEST_DB_URL:-$(scripts/postgres.sh url)}"
export ARENA_TEST_DB_USER="${ARENA_TEST_DB_USER:-arena}"
export ARENA_TEST_DB_PASSWORD="${ARENA_TEST_DB_PASSWORD:-arena}"

exec mvn -B -ntp verify "$@"
