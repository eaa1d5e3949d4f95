#!/usr/bin/env bash
# Configures a CMake build folder, naming every option the build depends on, so that a folder
# configured before by another script (or by hand) never keeps a stale cached choice.
# Usage: scripts/configure.sh BUILD_DIR [--sanitize | --domain-only | --fuzz]
#   (default)      RelWithDebInfo; the service, every test and the benches (run.sh and test.sh)
#   --sanitize     clang, Debug with ASan and UBSan; every test and the fuzz/ targets, no benches
#                  (clang builds a file here in a third to a half less time than g++;
#                  scripts/fuzz.sh --debug runs the targets from here, so CI builds the
#                  libraries once for both)
#   --domain-only  Debug; calendars/ and forecasting/ alone, with their tests (no HTTP, JSON or
#                  SQLite)
#   --fuzz         clang, RelWithDebInfo with asserts, libFuzzer, ASan and UBSan; the fuzz/ targets
#                  only (scripts/fuzz.sh). The other purposes keep the folder's compiler (the
#                  system c++ in a fresh one): naming it would make CMake wipe an existing cache.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${1:?usage: scripts/configure.sh BUILD_DIR [--sanitize | --domain-only | --fuzz]}
build_type=RelWithDebInfo sanitize=OFF domain_only=OFF tests=ON bench=ON fuzz=OFF
release_flags=-DNDEBUG compiler=()
case "${2:-}" in
  "") ;;
  --sanitize)
    build_type=Debug sanitize=ON bench=OFF fuzz=ON
    compiler=(-DCMAKE_CXX_COMPILER=/usr/bin/clang++) ;;
  --domain-only) build_type=Debug domain_only=ON bench=OFF ;;
  # Optimised, so a run tries many inputs, but with assert() on: a broken invariant is a finding.
  --fuzz)
    tests=OFF bench=OFF fuzz=ON release_flags=
    compiler=(-DCMAKE_CXX_COMPILER=/usr/bin/clang++) ;;
  *) echo "configure.sh: unknown purpose '$2'" >&2; exit 2 ;;
esac

# CMake cannot switch the compiler of a configured folder in place: a clang build starts afresh in
# a folder configured with another compiler.
if [[ ${#compiler[@]} -gt 0 && -f $build_dir/CMakeCache.txt ]] &&
   ! grep -q '^CMAKE_CXX_COMPILER:.*clang++$' "$build_dir/CMakeCache.txt"; then
  rm -rf "$build_dir/CMakeCache.txt" "$build_dir/CMakeFiles"
fi
# -g1: line tables and function names, enough for backtraces and the sanitizers' reports, without
# the local variables that -g adds. g++ built api/forecast_routes.cpp at -O2 in 4.9 s with it, and
# 6.2 to 7.6 s with -g.
cmake -S . -B "$build_dir" \
  "${compiler[@]}" \
  -DCMAKE_BUILD_TYPE="$build_type" \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 $release_flags" \
  -DCMAKE_CXX_FLAGS_DEBUG="-g1" \
  -DPATCHCAST_SANITIZE="$sanitize" \
  -DPATCHCAST_DOMAIN_ONLY="$domain_only" \
  -DPATCHCAST_BUILD_TESTS="$tests" \
  -DPATCHCAST_BUILD_BENCH="$bench" \
  -DPATCHCAST_FUZZ="$fuzz" \
  -DPATCHCAST_WERROR=ON >/dev/null
