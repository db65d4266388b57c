#!/bin/bash
# Asks this node's management port for a path, with nothing but bash: the JRE image has no
# guaranteed curl or wget, and the port listens on ARENA_HOST (the container's or pod's address),
# not on localhost.
#
#   arena-mgmt --check /alive        exit 0 when the answer is 200, 1 otherwise (HEALTHCHECK)
#   arena-mgmt /cluster/members      print the answer's body; exit 0 on a 2xx answer
#
# Reads ARENA_HOST (default 127.0.0.1) and ARENA_MANAGEMENT_PORT (default 8558), as the node does.
set -uo pipefail

check=false
if [ "${1:-}" = --check ]; then
  check=true
  shift
fi
path="${1:-/alive}"
host="${ARENA_HOST:-127.0.0.1}"
port="${ARENA_MANAGEMENT_PORT:-8558}"

exec 3<>"/dev/tcp/${host}/${port}" || { echo "arena-mgmt: cannot connect to ${host}:${port}" >&2; exit 1; }
printf 'GET %s HTTP/1.0\r\nHost: %s:%s\r\nConnection: close\r\n\r\n' "$path" "$host" "$port" >&3

IFS= read -r -t 5 status <&3 || { echo "arena-mgmt: no answer from ${host}:${port}" >&2; exit 1; }
status="${status%$'\r'}"
code="${status#* }"
code="${code%% *}"

if [ "$check" = true ]; then
  [ "$code" = 200 ]
  exit
fi

# Skip the headers, then copy the body.
while IFS= read -r -t 5 line <&3; do
  [ -z "${line%$'\r'}" ] && break
done
cat <&3
echo
case "$code" in
  2??) exit 0 ;;
  *) echo "arena-mgmt: ${path} answered ${status}" >&2; exit 1 ;;
esac
