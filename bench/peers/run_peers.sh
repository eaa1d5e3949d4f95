#!/usr/bin/env bash
# run_peers.sh: issue 5, "peers in the same run". Exports forecast_bench's hourly synthetic
# telemetry and its 12 backtest splits (forecast_export), fits Prophet (the releases as holidays,
# 0..+3 days) and forecast::mstl/stlf on the same splits (peers.R), and prints one table side by
# side with our model and the seasonal-naive reference, with the machine it ran on.
#
# Usage: bash bench/peers/run_peers.sh BUILD_DIR [HISTORY_DAYS]
#   BUILD_DIR     a build with the forecast_export target built:
#                   cmake --build BUILD_DIR --target forecast_export
#   HISTORY_DAYS  history the peers are fitted on, in days before each as_of; default 0 = all of
#                 it, as our model (peers.R explains the choice)
# Environment: PEERS_KEEP=1 keeps the exported and peer CSV files (their directory is printed).
#
# Without R, prophet or forecast it prints our table alone with how to install them
# (bench/peers/install_peers.sh) and exits 0. Exit 1 when a step fails. About 1.5 minutes with all
# history on one core of a shared AMD EPYC, nearly all of it Prophet.
set -euo pipefail

if (($# < 1 || $# > 2)); then
  echo "usage: $0 BUILD_DIR [HISTORY_DAYS]" >&2
  exit 1
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exporter="$1/forecast_export"
history_days="${2:-0}"
if [[ ! -x "$exporter" ]]; then
  echo "run_peers: $exporter not found; build it: cmake --build $1 --target forecast_export" >&2
  exit 1
fi

out=$(mktemp -d)
if [[ "${PEERS_KEEP:-0}" == 1 ]]; then
  echo "run_peers: files kept in $out"
else
  trap 'rm -rf "$out"' EXIT
fi

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo "run_peers on ${cpu:-unknown CPU}, $(nproc) cores available (every fit single-threaded)"
"$exporter" "$out"

files=("$out/ours.csv")
export TZ=UTC
if command -v Rscript >/dev/null &&
   Rscript -e 'quit(status = !all(sapply(c("prophet", "forecast"), requireNamespace, quietly = TRUE)))' \
     >/dev/null 2>&1; then
  echo "run_peers: fitting the peers on the same splits (history: $( ((history_days > 0)) &&
    echo "last $history_days days" || echo "all before as_of"))..."
  started=$SECONDS
  if ! Rscript "$here/peers.R" "$out" "$history_days" >"$out/peers.log" 2>&1; then
    grep -v 'codetools' "$out/peers.log" >&2
    echo "run_peers: peers.R failed; our figures alone:" >&2
    awk -f "$here/summarize.awk" "${files[@]}"
    exit 1
  fi
  grep '^peers.R: prophet ' "$out/peers.log" || true
  echo "run_peers: peers took $((SECONDS - started)) s"
  files+=("$out/peers.csv")
else
  echo "run_peers: R with the prophet and forecast packages is not installed, so only our figures"
  echo "  follow. To add the peers: sudo bash $here/install_peers.sh   (Debian 12 packages)"
fi

echo
echo "Hourly synthetic telemetry (forecast_bench), 12 releases backtested as of their"
echo "advance-notice Thursday, horizon 14 d, scored on [start - 48 h, start + 192 h]:"
awk -f "$here/summarize.awk" "${files[@]}"
