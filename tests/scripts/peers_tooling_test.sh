#!/usr/bin/env bash
# The peers tooling of issue 11 (bench/peers): summarize_family.awk's table on a fixture whose
# figures are worked out by hand below, its refusal of a path that names no cell,
# run_family_peers.sh's usage errors, and, where R with the prophet and forecast packages is
# installed, peers.R's Prophet cap and one whole run_family_peers.sh run on the real bench. Without
# R that last part is skipped, and says so.
#
# Usage: bash tests/scripts/peers_tooling_test.sh BUILD_DIR   (from the repository root)
set -euo pipefail

build_dir=$(cd "${1:?usage: $0 BUILD_DIR}" && pwd)
peers=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../bench/peers" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
  echo "peers_tooling_test: $*" >&2
  exit 1
}

# Writes stdin below the export's header to the file $1, making its folder.
write_scores() {
  mkdir -p "$(dirname "$1")"
  {
    echo "method,event_id,peak_error_pct,timing_error_minutes,mape_pct,coverage_p90,coverage_p99,window_steps,fit_predict_seconds"
    cat
  } >"$1"
}

# Three draws with no past release (mstl failed on the third, so it has no peers.csv; Prophet was
# fitted on the first only) and one with a past release.
make_fixture() {
  local cells=$work/fixture
  write_scores "$cells/past_00/draw_000/ours.csv" <<'EOF'
patchcast-annotated,e0,2,-60,10,1,1,48,0.001
seasonal-naive,e0,-8,1440,12,,,48,
EOF
  write_scores "$cells/past_00/draw_000/peers.csv" <<'EOF'
prophet,e0,40,300,30,0.5,0.8,48,60
mstl,e0,5,0,11,0.9,1,48,1
EOF
  write_scores "$cells/past_00/draw_001/ours.csv" <<'EOF'
patchcast-annotated,e1,-4,0,6,0.8,0.9,48,0.001
seasonal-naive,e1,10,60,5,,,48,
EOF
  write_scores "$cells/past_00/draw_001/peers.csv" <<'EOF'
mstl,e1,-20,-1440,7,0.7,0.95,48,1
EOF
  write_scores "$cells/past_00/draw_002/ours.csv" <<'EOF'
patchcast-annotated,e2,6,120,8,0.9,0.95,48,0.001
seasonal-naive,e2,3,0,9,,,48,
EOF
  write_scores "$cells/past_01/draw_000/ours.csv" <<'EOF'
patchcast-annotated,e0,1,0,4,1,1,48,0.001
seasonal-naive,e0,-8,1440,12,,,48,
EOF
}

# By hand, with no past release, quantiles linear between order statistics (p90 of three sorted
# values a <= b <= c: 0.2 b + 0.8 c; of two: 0.1 a + 0.9 b):
#  patchcast: |peak| 2, 4, 6: 4.0, p90 5.6; signed median +2.0; |timing| 0, 60, 120: 60; MAPE 6, 8,
#    10: 8.0, p90 9.6; p99 coverage 90, 95, 100: 95.0; below naive's MAPE in draws 0 and 2 of 3
#    (67 %), below mstl's in both draws mstl has (100 %).
#  naive: |peak| 3, 8, 10: 8.0, p90 9.6; signed +3.0; MAPE 5, 9, 12: 9.0, p90 11.4; no coverage;
#    below mstl's in draw 1 of 2 (50 %).
#  prophet: draw 0 alone, its MAPE 30 above naive's 12 and mstl's 11.
#  mstl: |peak| 5, 20: 12.5, p90 18.5; signed -7.5; |timing| 0, 1440: 720; MAPE 7, 11: 9.0,
#    p90 10.6; coverage 95, 100: 97.5; below naive's in draw 0 of 2.
check_summary() {
  make_fixture
  local cells=$work/fixture
  awk -f "$peers/summarize_family.awk" "$cells"/past_*/draw_*/ours.csv \
    "$cells"/past_*/draw_*/peers.csv >"$work/summary.txt"
  cat >"$work/expected.txt" <<'EOF'
0 past releases in the history, 3 draws:
                                    |peak err| %   peak %  |timing|         MAPE %     p99   MAPE beats %
  method                        n     med    p90      med  med min     med    p90   cov %   naive   mstl
  patchcast annotated           3     4.0    5.6     +2.0       60     8.0    9.6    95.0      67    100
  seasonal naive                3     8.0    9.6     +3.0       60     9.0   11.4     n/a       -     50
  prophet (holidays 0..+3 d)    1    40.0   40.0    +40.0      300    30.0   30.0    80.0       0      0
  mstl/stlf (day, week)         2    12.5   18.5     -7.5      720     9.0   10.6    97.5      50      -

1 past release in the history, 1 draws:
                                    |peak err| %   peak %  |timing|         MAPE %     p99   MAPE beats %
  method                        n     med    p90      med  med min     med    p90   cov %   naive   mstl
  patchcast annotated           1     1.0    1.0     +1.0        0     4.0    4.0   100.0     100    n/a
  seasonal naive                1     8.0    8.0     -8.0     1440    12.0   12.0     n/a       -    n/a
EOF
  diff -u "$work/expected.txt" "$work/summary.txt" || fail "summarize_family.awk's table differs"
}

check_summary_refuses_unnamed_cells() {
  mkdir -p "$work/loose"
  cp "$work/fixture/past_00/draw_000/ours.csv" "$work/loose/ours.csv"
  if awk -f "$peers/summarize_family.awk" "$work/loose/ours.csv" >/dev/null 2>"$work/err.txt"; then
    fail "summarize_family.awk accepted a path with no past_<n>/"
  fi
  grep -q "no past_<n>/ in the path $work/loose/ours.csv" "$work/err.txt" ||
    fail "summarize_family.awk did not name the path: $(cat "$work/err.txt")"
}

# run_family_peers.sh with `args` must exit 1 saying `message`; `env` sets its environment.
expect_usage_error() {
  local message=$1
  shift
  if env "$@" >"$work/out.txt" 2>&1; then fail "accepted: $*"; fi
  grep -qF "$message" "$work/out.txt" || fail "'$*' did not say '$message': $(cat "$work/out.txt")"
}

check_usage_errors() {
  # The checks come before the bench runs, so a stand-in that fails if called is enough.
  mkdir -p "$work/fake_build"
  printf '#!/bin/sh\nexit 3\n' >"$work/fake_build/forecast_family_bench"
  chmod +x "$work/fake_build/forecast_family_bench"
  local script=$peers/run_family_peers.sh fake=$work/fake_build
  expect_usage_error "usage: " bash "$script"
  expect_usage_error "$work/nowhere/forecast_family_bench not found" bash "$script" "$work/nowhere"
  expect_usage_error "DRAWS must be a count >= 1, got '0'" bash "$script" "$fake" 0
  expect_usage_error "STEP_MINUTES must be 60, 5 or 1, got '7'" bash "$script" "$fake" 3 7
  expect_usage_error "PEERS_JOBS must be a count >= 1, got '0'" PEERS_JOBS=0 bash "$script" "$fake"
  expect_usage_error "forecast_family_bench --draws 2 --step 5 --export" bash "$script" "$fake" 2 5
}

have_peers() {
  command -v Rscript >/dev/null &&
    Rscript -e 'quit(status = !all(sapply(c("prophet", "forecast"), requireNamespace,
                                        quietly = TRUE)))' >/dev/null 2>&1
}

# peers.R with PROPHET_MAX_DAYS below a draw's history skips Prophet and fits mstl.
check_prophet_cap() {
  "$build_dir/forecast_family_bench" --quick --step 60 --export "$work/export" >/dev/null
  local draw=$work/export/step_3600s/past_00/draw_000
  TZ=UTC Rscript "$peers/peers.R" "$draw" 0 5 >"$work/peers.log" 2>&1 ||
    fail "peers.R failed: $(tail -5 "$work/peers.log")"
  grep -q "prophet skipped: [0-9]* days of history, more than 5" "$work/peers.log" ||
    fail "peers.R did not say it skipped Prophet"
  [[ $(cut -d, -f1 "$draw/peers.csv") == $'method\nmstl' ]] ||
    fail "peers.csv is not one mstl row: $(cat "$draw/peers.csv")"
  [[ $(cut -d, -f5 "$draw/peers.csv" | tail -1) =~ ^[0-9]+(\.[0-9]+)?(e-?[0-9]+)?$ ]] ||
    fail "mstl's MAPE is not a number: $(cat "$draw/peers.csv")"
}

# One hourly draw with two jobs: every cell has its five methods, mstl and Prophet included.
check_whole_run() {
  PEERS_JOBS=2 bash "$peers/run_family_peers.sh" "$build_dir" 1 60 >"$work/run.txt" 2>&1 ||
    fail "run_family_peers.sh failed: $(tail -20 "$work/run.txt")"
  grep -q "(0 of 5 peers.R runs failed)" "$work/run.txt" || fail "peers.R runs failed"
  local method
  for method in "patchcast annotated" "patchcast no annotations" "seasonal naive" \
    "prophet (holidays 0..+3 d)" "mstl/stlf (day, week)"; do
    [[ $(grep -cF "  $method " "$work/run.txt") == 5 ]] ||
      fail "'$method' is not in each of the 5 tables: $(cat "$work/run.txt")"
  done
}

check_summary
check_summary_refuses_unnamed_cells
check_usage_errors
if ! have_peers; then
  echo "peers_tooling_test: R with prophet and forecast is not installed:" \
    "peers.R and a whole run are skipped (bench/peers/install_peers.sh installs them)"
elif [[ ! -x $build_dir/forecast_family_bench ]]; then
  echo "peers_tooling_test: $build_dir has no forecast_family_bench: peers.R is skipped"
else
  check_prophet_cap
  check_whole_run
fi
echo "peers_tooling_test: passed"
