#!/usr/bin/env bash
# Runs Arena's whole test suite on this machine: unit tests, tests against a real PostgreSQL
# (installed and started here when missing), end-to-end tests of real node processes, the web
# client in headless Chromium, and the deployment checks (kubectl kustomize).
#
#   scripts/test.sh [extra Maven arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian's packages for what the tests drive: Chromium (browser downloads fail here) and kubectl
# (Debian calls it kubernetes-client).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v "${KUBECTL:-kubectl}" >/dev/null 2>&1 || missing+=(kubernetes-client)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]} with apt-get" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ -z "${ARENA_TEST_DB_URL:-}" ]; then
  scripts/postgres.sh reset-test   # the suite's own database, emptied: each run starts as CI does
else
  scripts/postgres.sh
fi
export ARENA_TEST_DB_URL="${ARENA_TEST_DB_URL:-$(scripts/postgres.sh url)}"
export ARENA_TEST_DB_USER="${ARENA_TEST_DB_USER:-arena}"
export ARENA_TEST_DB_PASSWORD="${ARENA_TEST_DB_PASSWORD:-arena}"

exec mvn -B -ntp verify "$@"
