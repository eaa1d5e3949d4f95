#!/usr/bin/env bash
# Builds Patchcast and runs it, by default on 127.0.0.1:8080 with its SQLite database in ./var/.
# Arguments go to `patchcast serve` (see `build/patchcast serve --help`); PATCHCAST_* variables
# work as there. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh scripts/packages-build.txt
# The same configuration as scripts/test.sh: the two share build/ and never undo each other.
scripts/configure.sh build
cmake --build build --target patchcast -j "$(nproc)" >&2  # stdout is the service's alone

for arg in "$@"; do
  case $arg in --help | -h | --check-config) exec build/patchcast serve "$@" ;; esac
done

# The service resolves its own options (flag, then variable, then default); ask it what it will
# use rather than guess. An invalid option stops here with the service's message.
config=$(build/patchcast serve --check-config "$@")
listen=$(sed -n 's/^listen=//p' <<<"$config")
db=$(sed -n 's/^db=//p' <<<"$config")
mkdir -p "$(dirname "$db")"

where="http://$listen"
[[ $listen == *:0 ]] && where="a free port of ${listen%:0} (its \"listening\" log line says which)"
cat >&2 <<MSG

Patchcast is starting on $where (database: $db). Try:
  curl http://$listen/healthz
  curl http://$listen/readyz
  curl http://$listen/v1
  curl http://$listen/metrics
  curl http://$listen/openapi.yaml
Press Ctrl-C to stop.

MSG
exec build/patchcast serve "$@"
