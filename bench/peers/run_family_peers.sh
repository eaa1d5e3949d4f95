#!/usr/bin/env bash
# run_family_peers.sh: issue 11, "peers in the same run". Exports forecast_family_bench's scenario
# draws (--export), fits Prophet (the releases as holidays, 0..+3 days) and forecast::mstl/stlf
# (peers.R) on every draw of one step, one peers.R run per draw directory, and prints one table per
# number of past releases in the history (0, 1, 2, 3, 12) with Patchcast (annotated and without
# annotations), seasonal naive and the two peers side by side (summarize_family.awk), with the
# machine it ran on and the total wall time.
#
# Every method is scored on the draw's release window as the family scores it (splits.csv):
# the steps of [release start, start + 72 h) within the 168-h horizon from as_of (the
# advance-notice Thursday), i.e. its first 48 h (49 when the week crosses a DST change), window
# and peak search alike. MAPE here is over that window (ours.csv's column), not over the whole
# horizon as in forecast_family_bench's own table.
#
# At 1-minute steps Prophet is fitted only on the draws with no past release (8 to 23 days of
# history; peers.R's PROPHET_MAX_DAYS 28), mstl on every draw: a year of 1-minute steps is half a
# million points, and one Prophet fit was still running after ten minutes on one core with 35
# days of history (the least that holds a past release) and after nine with a year, against 38 s
# with 8 days. Capping its history instead would have given it no past release to learn the
# holiday from, a peer crippled in a way the table would not show.
#
# Usage: bash bench/peers/run_family_peers.sh BUILD_DIR [DRAWS] [STEP_MINUTES]
#   BUILD_DIR  a build with the forecast_family_bench target built:
#                cmake --build BUILD_DIR --target forecast_family_bench
#   DRAWS      scenario draws per number of past releases (forecast_family_bench --draws);
#              default 30, the bench's default
#   STEP_MINUTES  60 (default), 5 or 1: the step of the draws fitted
# Environment: PEERS_KEEP=1 keeps the exported and peer files (their directory is printed);
# PEERS_JOBS=N fits N draws at once (default 1; every fit is single-threaded, so up to the cores).
#
# Without R, prophet or forecast it prints our tables alone with how to install them
# (bench/peers/install_peers.sh) and exits 0. Exit 1 on a usage error or when a step fails (the
# tables are still printed when only some peers.R runs failed). Hourly, about 10 minutes for 30
# draws (150 peers.R runs, 3.7 s each on average, nearly all of it R's start-up and Prophet) on
# one core of a shared AMD EPYC; the bench's own part takes about 20 s. At 5 minutes, 42 minutes
# for 10 draws: Prophet takes a median 11 s a fit with no past release and 121 s with twelve (a
# year of 5-minute steps), mstl 0.3 and 15 s; with PEERS_JOBS=2, 33 minutes for 30 draws. At 1
# minute, 31 minutes for 30 draws with PEERS_JOBS=2: Prophet a median 46 s a fit (no past release
# only), mstl 0.9 s with no past release and 36.5 s with twelve.
set -euo pipefail

if (($# < 1 || $# > 3)); then
  echo "usage: $0 BUILD_DIR [DRAWS] [STEP_MINUTES]" >&2
  exit 1
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bench="$1/forecast_family_bench"
draws="${2:-30}"
step_minutes="${3:-60}"
if [[ ! -x "$bench" ]]; then
  echo "run_family_peers: $bench not found; build it:" \
    "cmake --build $1 --target forecast_family_bench" >&2
  exit 1
fi
if [[ ! "$draws" =~ ^[1-9][0-9]*$ ]]; then
  echo "run_family_peers: DRAWS must be a count >= 1, got '$draws'" >&2
  exit 1
fi
if [[ "$step_minutes" != 60 && "$step_minutes" != 5 && "$step_minutes" != 1 ]]; then
  echo "run_family_peers: STEP_MINUTES must be 60, 5 or 1, got '$step_minutes'" >&2
  exit 1
fi
jobs="${PEERS_JOBS:-1}"
if [[ ! "$jobs" =~ ^[1-9][0-9]*$ ]]; then
  echo "run_family_peers: PEERS_JOBS must be a count >= 1, got '$jobs'" >&2
  exit 1
fi
# peers.R's PROPHET_MAX_DAYS (0: Prophet on every draw; see above).
prophet_max_days=0
if [[ "$step_minutes" == 1 ]]; then prophet_max_days=28; fi

started=$SECONDS
out=$(mktemp -d)
if [[ "${PEERS_KEEP:-0}" == 1 ]]; then
  echo "run_family_peers: files kept in $out"
else
  trap 'rm -rf "$out"' EXIT
fi

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo "run_family_peers on ${cpu:-unknown CPU}, $(nproc) cores available" \
  "(every fit single-threaded; $jobs draw(s) at a time)"

if ! "$bench" --draws "$draws" --step "$step_minutes" --export "$out/family" \
  >"$out/bench.log" 2>&1; then
  cat "$out/bench.log" >&2
  echo "run_family_peers: $bench --draws $draws --step $step_minutes --export $out/family" \
    "failed" >&2
  exit 1
fi
grep -E '^(seed set|[0-9]+ draws):' "$out/bench.log" || true
echo "run_family_peers: forecast_family_bench took $((SECONDS - started)) s"

# forecast_family_bench names the step in seconds (ExportDir): step_3600s is the hourly one.
step_dir="$out/family/step_$((step_minutes * 60))s"
draw_dirs=("$step_dir"/past_*/draw_*)
if [[ ! -f "${draw_dirs[0]}/ours.csv" ]]; then
  echo "run_family_peers: no draws in $step_dir (expected past_<n>/draw_<d>/ours.csv)" >&2
  exit 1
fi

# Fits both peers on one draw; a failure leaves peers.failed beside its log.
fit_draw() {
  if ! Rscript "$here/peers.R" "$1" 0 "$prophet_max_days" >"$1/peers.log" 2>&1; then
    touch "$1/peers.failed"
  fi
}

failed=0
export TZ=UTC
have_peers='quit(status = !all(sapply(c("prophet", "forecast"), requireNamespace, quietly = TRUE)))'
if command -v Rscript >/dev/null && Rscript -e "$have_peers" >/dev/null 2>&1; then
  only=""
  if ((prophet_max_days > 0)); then
    only="; Prophet only where that is at most $prophet_max_days days"
  fi
  echo "run_family_peers: fitting the peers on ${#draw_dirs[@]} $step_minutes-minute draws" \
    "(history: all before as_of, as Patchcast$only)..."
  peers_started=$SECONDS
  running=0
  for dir in "${draw_dirs[@]}"; do
    fit_draw "$dir" &
    running=$((running + 1))
    if ((running >= jobs)); then
      wait -n
      running=$((running - 1))
    fi
  done
  wait
  for dir in "${draw_dirs[@]}"; do
    if [[ -f "$dir/peers.failed" ]]; then
      failed=$((failed + 1))
      echo "run_family_peers: peers.R failed on ${dir#"$out"/}:" >&2
      grep -v 'codetools' "$dir/peers.log" | tail -5 >&2
    fi
  done
  grep -h '^peers.R: prophet ' "${draw_dirs[0]}/peers.log" || true
  echo "run_family_peers: peers took $((SECONDS - peers_started)) s" \
    "($failed of ${#draw_dirs[@]} peers.R runs failed)"
else
  echo "run_family_peers: R with the prophet and forecast packages is not installed, so only our"
  echo "  figures follow. To add the peers: sudo bash $here/install_peers.sh   (Debian 12 packages)"
fi

peer_files=()
for dir in "${draw_dirs[@]}"; do
  if [[ -f "$dir/peers.csv" ]]; then peer_files+=("$dir/peers.csv"); fi
done

echo
echo "forecast_family_bench's $step_minutes-minute draws, as of the advance-notice Thursday," \
  "horizon 168 h,"
echo "scored on the release window [start, start + 72 h) within the horizon (its first 48 h);"
echo "medians and p90 over draws; MAPE over the window; beats = share of the draws scored for both"
echo "where the method's MAPE is below seasonal naive's / mstl's."
echo
awk -f "$here/summarize_family.awk" "${draw_dirs[@]/%//ours.csv}" "${peer_files[@]}"
echo
echo "run_family_peers: whole run $((SECONDS - started)) s"
if ((failed > 0)); then
  echo "run_family_peers: $failed peers.R run(s) failed;" \
    "their draws are missing from the peers' n" >&2
  exit 1
fi
