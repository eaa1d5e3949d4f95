#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ (clang with ASan and UBSan) and runs each for SECONDS, as
# many at once as there are cores, on a copy of its seed corpus, fuzz/corpus/<target>/, so the
# seeds in the repository never change.
# Prints runs, execs/s and coverage (libFuzzer's edges "cov" and features "ft") per target.
# Exits non-zero when any target crashes, hangs (10 s on one input), leaks, runs out of memory
# (2 GiB), trips a sanitizer or breaks one of its invariants; the input that did it is kept in
# BUILD_DIR/fuzz-artifacts/ and the target's log in BUILD_DIR/fuzz-logs/. Reproduce with
# `BUILD_DIR/<target>_fuzz <input>`.
# Usage: scripts/fuzz.sh [--debug] [SECONDS_PER_TARGET] [BUILD_DIR]   (defaults: 30, build-fuzz)
#   --debug  the targets of the Debug build scripts/test.sh --sanitize makes (default folder
#            build-sanitize): a few times fewer runs a second than the optimised build of their
#            own, but no second build of the libraries (what CI does)
set -euo pipefail
cd "$(dirname "$0")/.."

purpose=--fuzz default_dir=build-fuzz
if [[ ${1:-} == --debug ]]; then
  purpose=--sanitize default_dir=build-sanitize
  shift
fi
seconds=${1:-30}
build_dir=${2:-$default_dir}
[[ $seconds =~ ^[1-9][0-9]*$ ]] ||
  { echo "fuzz.sh: SECONDS_PER_TARGET must be a positive integer, not '$seconds'" >&2; exit 2; }
targets=(points_csv points_json time_text recurrence_rule calendar_json request_screen
         forecast_request plan_request simulation_request)

scripts/setup.sh scripts/packages-build.txt scripts/packages-clang.txt
scripts/configure.sh "$build_dir" "$purpose"
cmake --build "$build_dir" -j "$(nproc)" --target "${targets[@]/%/_fuzz}"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
artifacts=$build_dir/fuzz-artifacts logs=$build_dir/fuzz-logs
mkdir -p "$artifacts" "$logs"
work=$(mktemp -d "${TMPDIR:-/tmp}/patchcast-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The value of libFuzzer's final statistic `name` in `log`.
stat() { sed -n "s/^stat::$1: *//p" "$2" | tail -n 1; }

# Runs one target on a copy of its seeds. Leaves its log in $logs, and beside it <log>.failed
# when the run failed.
fuzz_target() {
  local target=$1 log=$logs/$1.log
  rm -f "$log.failed"
  cp -r "fuzz/corpus/$target" "$work/$target"
  "$build_dir/${target}_fuzz" "$work/$target" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 \
    -artifact_prefix="$artifacts/$target-" >"$log" 2>&1 || touch "$log.failed"
}

# One target per core at a time: each libFuzzer run is a single process on one core.
parallel=$(nproc)
for target in "${targets[@]}"; do
  while [[ $(jobs -rp | wc -l) -ge $parallel ]]; do wait -n || true; done
  fuzz_target "$target" &
done
wait

failed=()
printf '%-20s %10s %10s %8s %8s %8s  %s\n' target runs execs/s cov ft corpus result
for target in "${targets[@]}"; do
  log=$logs/$target.log
  result=ok
  [[ -e $log.failed ]] && { result=FAILED; failed+=("$target"); }
  # The last status line: "#123 DONE cov: 456 ft: 789 corp: 12/345b ...".
  status=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -n 1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$status")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$status")
  corpus=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$status")
  printf '%-20s %10s %10s %8s %8s %8s  %s\n' "$target" "$(stat number_of_executed_units "$log")" \
    "$(stat average_exec_per_sec "$log")" "${cov:--}" "${ft:--}" "${corpus:--}" "$result"
done

if [[ ${#failed[@]} -gt 0 ]]; then
  for target in "${failed[@]}"; do
    echo "fuzz.sh: $target failed; the end of $logs/$target.log:" >&2
    tail -n 40 "$logs/$target.log" >&2
  done
  echo "fuzz.sh: inputs that failed are in $artifacts/" >&2
  exit 1
fi
