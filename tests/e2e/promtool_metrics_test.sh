#!/usr/bin/env bash
# GET /metrics, with every per-series family present, checked by Prometheus's own linter:
# `promtool check metrics` (Debian's prometheus package). The service runs with the demo series
# and its wall clock an hour after the demo's end (libfaketime), a plan made as of that end, so that
# the plan and forecast gauges have a value now. A copy with a `quantile` label on a gauge must be
# refused, so that the check is known to be able to fail.
#
# Usage: tests/e2e/promtool_metrics_test.sh PATH_TO_PATCHCAST_BINARY
# Exits 0 when every check passes, 1 on the first failure, 77 (skipped) when promtool, libfaketime
# or curl is missing.
set -uo pipefail

readonly kDemoEnd=2026-11-14T00:00:00Z
readonly kClockStart="2026-11-14 01:00:00"  # UTC: an hour into the plan made as of kDemoEnd

# shellcheck source=tests/e2e/service.sh
source "$(dirname "${BASH_SOURCE[0]}")/service.sh"

[[ $# -eq 1 ]] || { echo "usage: $0 PATH_TO_PATCHCAST_BINARY" >&2; exit 1; }
binary=$1
command -v promtool >/dev/null || skip "promtool is not installed (apt-get install prometheus)"
# libfaketime is preloaded directly: the faketime wrapper would fork, and SIGTERM to it would leave
# the service running.
libfaketime=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -1)
[[ -n $libfaketime ]] || skip "libfaketime is not installed (apt-get install libfaketime)"
command -v curl >/dev/null || skip "curl is not installed"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/patchcast-promtool-test.XXXXXX") || fail "mktemp failed"
trap 'stop_service; rm -rf "$tmp"' EXIT
start_service_at "$kClockStart" "$libfaketime" "$binary" "$tmp/service.log" --db "$tmp/p.db" \
  --demo --demo-end "$kDemoEnd"
base=http://127.0.0.1:$service_port

status=$(curl -sS -o "$tmp/plan.json" -w '%{http_code}' -H 'Content-Type: application/json' \
  -d '{"horizon_hours":24,"unit_capacity":0.5}' "$base/v1/series/demo-login/plan") ||
  fail "POST plan: no answer"
[[ $status == 200 ]] || fail "POST plan answered $status: $(cat "$tmp/plan.json")"
status=$(curl -sS -o "$tmp/metrics.txt" -w '%{http_code}' "$base/metrics") || fail "GET /metrics: no answer"
[[ $status == 200 ]] || fail "GET /metrics answered $status"
for family in patchcast_planned_units patchcast_plan_stale patchcast_forecast_demand \
              patchcast_http_request_duration_seconds_bucket; do
  grep -q "^$family{" "$tmp/metrics.txt" || fail "/metrics has no $family sample"
done

promtool check metrics <"$tmp/metrics.txt" >"$tmp/promtool.out" 2>&1 ||
  fail "promtool check metrics refuses /metrics:
$(cat "$tmp/promtool.out")"
[[ ! -s $tmp/promtool.out ]] || fail "promtool check metrics reports: $(cat "$tmp/promtool.out")"
echo "ok: promtool check metrics accepts /metrics ($(grep -c '^patchcast' "$tmp/metrics.txt") samples)"

# The control: the forecast demand labelled by `quantile`, as it once was, is refused.
sed 's/^\(patchcast_forecast_demand{.*\),level=/\1,quantile=/' "$tmp/metrics.txt" >"$tmp/broken.txt"
cmp -s "$tmp/metrics.txt" "$tmp/broken.txt" && fail "could not make the broken control exposition"
promtool check metrics <"$tmp/broken.txt" >/dev/null 2>&1 &&
  fail "promtool accepted a gauge with a quantile label: the check cannot fail"
echo "ok: promtool refuses a gauge labelled quantile"
echo "PASS: promtool_metrics"
