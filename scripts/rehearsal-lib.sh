# Shared by scripts/rollout-rehearsal and scripts/chaos (sourced, not run).
# Builds the current code (node jar + load generator) and, on request, the previous release from a
# git commit into a cache directory (once per commit: git worktree add + mvn package).

REHEARSAL_CP="loadtest/target/loadtest-1.0.0.jar:loadtest/target/lib/*"
NODE_JAR=gateway/target/arena-node.jar
# REHEARSAL_JARS=DIR runs a copy of the jars (arena-node.jar, loadtest-1.0.0.jar, lib/) instead, so
# that a build may run meanwhile; nothing is built then.
if [ -n "${REHEARSAL_JARS:-}" ]; then
  REHEARSAL_CP="$REHEARSAL_JARS/loadtest-1.0.0.jar:$REHEARSAL_JARS/lib/*"
  NODE_JAR="$REHEARSAL_JARS/arena-node.jar"
fi
REHEARSAL_MVN_FLAGS="${REHEARSAL_MVN_FLAGS:-}"   # e.g. -o on a machine without network access

build_current() {
  [ -z "${REHEARSAL_JARS:-}" ] || return 0
  if [ "${REHEARSAL_SKIP_BUILD:-0}" = 1 ] && [ -f gateway/target/arena-node.jar ] && [ -f loadtest/target/loadtest-1.0.0.jar ]; then
    return
  fi
  echo "building the current code (node jar and load generator)…" >&2
  # shellcheck disable=SC2086
  mvn -B -q $REHEARSAL_MVN_FLAGS -DskipTests package -pl loadtest -am >&2
}

# previous_jar REF: prints the path of REF's node jar, building it first if the cache lacks it.
previous_jar() {
  local ref="$1" sha cache dir
  sha=$(git rev-parse --verify "${ref}^{commit}") || { echo "unknown git ref: $ref" >&2; return 1; }
  cache="${ARENA_REHEARSAL_CACHE:-run/previous-releases}/$sha"
  if [ ! -f "$cache/arena-node.jar" ]; then
    echo "building the previous release $ref ($sha) into $cache (once)…" >&2
    mkdir -p "$cache"
    dir=$(mktemp -d)
    rmdir "$dir"
    git worktree add --detach -q "$dir" "$sha" >&2
    # shellcheck disable=SC2086
    if ! (cd "$dir" && mvn -B -q $REHEARSAL_MVN_FLAGS -DskipTests package -pl gateway -am >&2); then
      git worktree remove --force "$dir"; echo "building $ref failed" >&2; return 1
    fi
    cp "$dir/gateway/target/arena-node.jar" "$cache/arena-node.jar.tmp"
    mv "$cache/arena-node.jar.tmp" "$cache/arena-node.jar"
    git worktree remove --force "$dir"
  fi
  echo "$cache/arena-node.jar"
}

default_previous_ref() {
  grep -v '^\s*#' scripts/previous-release | grep -v '^\s*$' | head -1 | tr -d '[:space:]'
}
