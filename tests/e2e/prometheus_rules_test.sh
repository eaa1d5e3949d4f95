#!/usr/bin/env bash
# deploy/prometheus/alerts.yml checked by Prometheus's own tools and evaluated by a real server:
#  1. `promtool check rules` accepts the file, and `promtool test rules` passes its unit tests
#     (deploy/prometheus/alerts_test.yml: each rule fires where it should and not elsewhere);
#  2. Debian's `prometheus` server scrapes a running service whose latest plan is stale (its clock
#     25 hours after the demo's end, libfaketime) and evaluates the file: PatchcastPlanStale must
#     become active (pending, as it holds for 30 minutes before firing) for demo-login.
#
# Usage: tests/e2e/prometheus_rules_test.sh PATH_TO_PATCHCAST_BINARY
# Exits 0 when every check passes, 1 on the first failure, 77 (skipped) when prometheus, promtool,
# libfaketime, curl or python3 is missing.
set -uo pipefail

readonly kDemoEnd=2026-11-14T00:00:00Z
readonly kClockStart="2026-11-15 01:00:00"  # UTC: the plan made as of kDemoEnd is stale

# shellcheck source=tests/e2e/service.sh
source "$(dirname "${BASH_SOURCE[0]}")/service.sh"

[[ $# -eq 1 ]] || { echo "usage: $0 PATH_TO_PATCHCAST_BINARY" >&2; exit 1; }
binary=$1
rules_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../deploy/prometheus" && pwd)
for tool in promtool prometheus curl python3; do
  command -v "$tool" >/dev/null || skip "$tool is not installed (apt-get install prometheus curl)"
done
libfaketime=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -1)
[[ -n $libfaketime ]] || skip "libfaketime is not installed (apt-get install libfaketime)"

promtool check rules "$rules_dir/alerts.yml" || fail "promtool check rules refuses alerts.yml"
(cd "$rules_dir" && promtool test rules alerts_test.yml) || fail "the rules' unit tests fail"
echo "ok: promtool checks alerts.yml and passes its unit tests"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/patchcast-prometheus-test.XXXXXX") || fail "mktemp failed"
prometheus_pid=
stop_prometheus() {
  [[ -n $prometheus_pid ]] || return 0
  kill -TERM "$prometheus_pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$prometheus_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$prometheus_pid" 2>/dev/null
  wait "$prometheus_pid" 2>/dev/null
}
trap 'stop_prometheus; stop_service; rm -rf "$tmp"' EXIT

start_service_at "$kClockStart" "$libfaketime" "$binary" "$tmp/service.log" --db "$tmp/p.db" \
  --demo --demo-end "$kDemoEnd"
base=http://127.0.0.1:$service_port
status=$(curl -sS -o "$tmp/plan.json" -w '%{http_code}' -H 'Content-Type: application/json' \
  -d '{"horizon_hours":24,"unit_capacity":0.5}' "$base/v1/series/demo-login/plan") ||
  fail "POST plan: no answer"
[[ $status == 200 ]] || fail "POST plan answered $status: $(cat "$tmp/plan.json")"
grep -q '^patchcast_plan_stale{series="demo-login"} 1$' <(curl -sS "$base/metrics") ||
  fail "the service does not report demo-login's plan as stale"

# A free port for Prometheus: bound and released at once (Prometheus takes no port 0).
prometheus_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$tmp/prometheus.yml" <<CONFIG
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $rules_dir/alerts.yml
scrape_configs:
  - job_name: patchcast
    static_configs:
      - targets: ["127.0.0.1:$service_port"]
CONFIG
prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/tsdb" \
  --web.listen-address="127.0.0.1:$prometheus_port" >"$tmp/prometheus.log" 2>&1 &
prometheus_pid=$!

# Waits (up to 60 s) for Prometheus to have scraped and evaluated; not for time to pass.
alerts=
for _ in $(seq 600); do
  kill -0 "$prometheus_pid" 2>/dev/null || fail "prometheus exited: $(tail -n 5 "$tmp/prometheus.log")"
  alerts=$(curl -sS "http://127.0.0.1:$prometheus_port/api/v1/alerts" 2>/dev/null)
  python3 - "$alerts" <<'PY' && break
import json, sys
try:
    alerts = json.loads(sys.argv[1])["data"]["alerts"]
except (ValueError, KeyError, TypeError):
    sys.exit(1)
sys.exit(0 if any(a["labels"].get("alertname") == "PatchcastPlanStale"
                  and a["labels"].get("series") == "demo-login"
                  and a["state"] in ("pending", "firing") for a in alerts) else 1)
PY
  sleep 0.1
done
grep -q '"alertname":"PatchcastPlanStale"' <<<"$alerts" ||
  fail "Prometheus did not raise PatchcastPlanStale for demo-login within 60 s: $alerts"
echo "ok: a real Prometheus evaluates PatchcastPlanStale against the service: $alerts"
# The other rules stay quiet: nothing else is wrong with this service.
python3 - "$alerts" <<'PY' || fail "Prometheus raised an alert it should not have: $alerts"
import json, sys
names = {a["labels"]["alertname"] for a in json.loads(sys.argv[1])["data"]["alerts"]}
sys.exit(0 if names == {"PatchcastPlanStale"} else 1)
PY
echo "PASS: prometheus_rules"
