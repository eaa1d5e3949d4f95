#!/usr/bin/env bash
# Runs calendar_bench against a real server: starts BUILD/patchcast on a free loopback port with a
# temporary database, runs BUILD/calendar_bench against it, then stops the server. Builds nothing.
#
# Usage: bench/run_calendar_bench.sh [BUILD_DIR [REQUESTS]]   (default: build, 1000)
set -euo pipefail

build_dir=${1:-build}
requests=${2:-1000}
server_bin=$build_dir/patchcast
bench_bin=$build_dir/calendar_bench
for binary in "$server_bin" "$bench_bin"; do
  if [[ ! -x $binary ]]; then
    echo "run_calendar_bench.sh: $binary not found; build first (cmake --build $build_dir)" >&2
    exit 1
  fi
done

work=$(mktemp -d)
server_pid=
cleanup() {
  if [[ -n $server_pid ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# Default logging (info): the access log is part of a real round trip, and the first line is
# {"msg":"listening","address":"127.0.0.1:PORT",...}, which gives the port.
"$server_bin" serve --listen 127.0.0.1:0 --db "$work/bench.db" 2>"$work/server.log" &
server_pid=$!

address=
for _ in $(seq 1 200); do
  address=$(grep -o '"address":"127\.0\.0\.1:[0-9]*"' "$work/server.log" | head -n1 | cut -d'"' -f4 || true)
  [[ -n $address ]] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.05
done
if [[ -z $address ]]; then
  echo "run_calendar_bench.sh: the server did not report its address" >&2
  cat "$work/server.log" >&2
  exit 1
fi

"$bench_bin" "http://$address" "$requests"
