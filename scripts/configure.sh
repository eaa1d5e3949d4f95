#!/usr/bin/env bash
# Configures a CMake build folder, naming every option the build depends on, so that a folder
# configured before by another script (or by hand) never keeps a stale cached choice.
# Usage: scripts/configure.sh BUILD_DIR [--sanitize | --domain-only]
#   (default)      RelWithDebInfo; the service, every test and the benches (run.sh and test.sh)
#   --sanitize     Debug with ASan and UBSan; every test, no benches
#   --domain-only  calendars/ and forecasting/ alone, with their tests (no HTTP, JSON or SQLite)
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${1:?usage: scripts/configure.sh BUILD_DIR [--sanitize | --domain-only]}
build_type=RelWithDebInfo sanitize=OFF domain_only=OFF bench=ON
case "${2:-}" in
  "") ;;
  --sanitize) build_type=Debug sanitize=ON bench=OFF ;;
  --domain-only) domain_only=ON bench=OFF ;;
  *) echo "configure.sh: unknown purpose '$2'" >&2; exit 2 ;;
esac

cmake -S . -B "$build_dir" \
  -DCMAKE_BUILD_TYPE="$build_type" \
  -DPATCHCAST_SANITIZE="$sanitize" \
  -DPATCHCAST_DOMAIN_ONLY="$domain_only" \
  -DPATCHCAST_BUILD_TESTS=ON \
  -DPATCHCAST_BUILD_BENCH="$bench" \
  -DPATCHCAST_WERROR=ON >/dev/null
