#!/usr/bin/env bash
# Builds Patchcast and runs it on 127.0.0.1:8080 with its SQLite database in ./var/.
# Extra arguments go to `patchcast serve` (see `build/patchcast serve --help`). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh scripts/packages-build.txt
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPATCHCAST_BUILD_TESTS=OFF \
  -DPATCHCAST_BUILD_BENCH=OFF >/dev/null
cmake --build build --target patchcast -j "$(nproc)"
mkdir -p var

listen="${PATCHCAST_LISTEN:-127.0.0.1:8080}"
cat >&2 <<MSG

Patchcast is starting on http://$listen (database: var/patchcast.db). Try:
  curl http://$listen/healthz
  curl http://$listen/readyz
  curl http://$listen/v1
  curl http://$listen/metrics
  curl http://$listen/openapi.yaml
Press Ctrl-C to stop.

MSG
exec build/patchcast serve --listen "$listen" --db var/patchcast.db "$@"
