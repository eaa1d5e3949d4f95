#!/usr/bin/env bash
# Builds Patchcast and runs every test through CTest. Exits non-zero on any failure, and when CTest
# finds no test at all.
# Usage: scripts/test.sh [--sanitize | --domain-only] [--at INSTANT]...
#   --sanitize     a separate build (build-sanitize/) with clang, ASan and UBSan
#   --domain-only  a separate build (build-domain/) of calendars/ and forecasting/ alone
#   --at INSTANT   run the tests that can see the date with the clock starting at INSTANT instead
#                  of now, an RFC 3339 UTC instant such as 2028-02-29T12:00:00Z, with Debian's
#                  libfaketime; repeat it for several instants
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=build
purpose=()
instants=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --sanitize) build_dir=build-sanitize purpose=(--sanitize) ;;
    --domain-only) build_dir=build-domain purpose=(--domain-only) ;;
    --at)
      [[ $# -ge 2 ]] || { echo "test.sh: --at needs an instant" >&2; exit 2; }
      instants+=("$2")
      shift ;;
    *) echo "test.sh: unknown option '$1' (see the usage at the top of scripts/test.sh)" >&2; exit 2 ;;
  esac
  shift
done
if [[ ${purpose[*]-} == --sanitize ]]; then
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
fi

# clang too: the suite's configure test configures a --sanitize folder, which names clang.
scripts/setup.sh scripts/packages-build.txt scripts/packages-test.txt scripts/packages-clang.txt
scripts/setup-test-tools.sh
scripts/configure.sh "$build_dir" "${purpose[@]}"
cmake --build "$build_dir" -j "$(nproc)"

ctest_command=(ctest --test-dir "$build_dir" --output-on-failure --no-tests=error -j "$(nproc)")
if [[ ${#instants[@]} -eq 0 ]]; then
  # Tests labelled `build` run CMake and none of Patchcast's code, and `second_engine` runs the
  # end-to-end suite again on PostgreSQL: the default build runs them; the sanitized build runs the
  # suite once (its PostgreSQL code is sanitized by the storage and postgres_test tests), and the
  # domain-only build has neither.
  if [[ ${#purpose[@]} -gt 0 ]]; then ctest_command+=(--label-exclude '^(build|second_engine)$'); fi
  "${ctest_command[@]}"
  exit
fi
# libfaketime is preloaded directly: the faketime wrapper keeps a semaphore per run in /dev/shm,
# which a killed run leaves behind and a later run with the same pid then trips over. So each
# process's wall clock starts at the instant when the process starts. libfaketime reads the start
# in local time; the monotonic clock stays real, or timed waits would hang.
libfaketime=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -n 1)
[[ -n $libfaketime ]] || { echo "test.sh: libfaketime is not installed" >&2; exit 1; }
# libfaketime 0.9.10 still keeps a semaphore and a shared-memory file per process that loads it,
# named by its pid, and a process killed with SIGKILL (the kill -9 test's servers) leaves them in
# /dev/shm. A later process given the same pid (pid_max may be 32768) then finds a stale pair, and
# a child of its can die with "sem_open failed and recreation attempts failed". Those of processes
# that are gone are removed before each run.
remove_stale_faketime_files() {
  local file
  for file in /dev/shm/sem.faketime_sem_* /dev/shm/faketime_shm_*; do
    [[ -e $file ]] || continue
    kill -0 "${file##*_}" 2>/dev/null || rm -f "$file"
  done
}
for instant in "${instants[@]}"; do
  remove_stale_faketime_files
  local_start=$(date -d "$instant" '+%Y-%m-%d %H:%M:%S') ||
    { echo "test.sh: --at '$instant' is not an instant" >&2; exit 2; }
  echo "test.sh: the suite with the clock starting at $instant" >&2
  # Only tests that start the service can see the date. Those labelled `build` run no Patchcast
  # code; those labelled `clock_free` run none that reads the wall clock (a test checks that:
  # tests/purity/wall_clock_check.cmake); `second_engine` is the end-to-end suite again, on
  # PostgreSQL, whose dates are the same code's as on SQLite; `own_clock` tests set the service's
  # clock themselves.
  LD_PRELOAD=$libfaketime FAKETIME="@$local_start" FAKETIME_DONT_FAKE_MONOTONIC=1 \
    "${ctest_command[@]}" --label-exclude '^(build|clock_free|second_engine|own_clock)$'
done
