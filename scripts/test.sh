#!/usr/bin/env bash
# Builds Patchcast and runs every test through CTest. Exits non-zero on any failure.
# Usage: scripts/test.sh [--sanitize]   (--sanitize: a separate build with ASan and UBSan)
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=build
options=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
if [[ "${1:-}" == "--sanitize" ]]; then
  build_dir=build-sanitize
  options=(-DCMAKE_BUILD_TYPE=Debug -DPATCHCAST_SANITIZE=ON -DPATCHCAST_BUILD_BENCH=OFF)
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
fi

scripts/setup.sh scripts/packages-build.txt scripts/packages-test.txt
cmake -S . -B "$build_dir" "${options[@]}" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)"
