#!/usr/bin/env bash
# The dashboard (GET /) in a real browser: Debian's headless Chromium, driven by npm's
# playwright-core (tests/tools/dashboard-browser.js), against the real service. Three services run:
# one without keys holding the demo series; one with a keys file (an admin key and a read key
# limited to the prefix "demo-") holding the demo series and a second series; and one whose chart
# library (--chartjs) is missing. Checks are listed in
# dashboard-browser.js; it saves screenshots under the build folder (dashboard/*.png).
#
# Usage: tests/e2e/dashboard_test.sh PATH_TO_PATCHCAST_BINARY
# Exits 0 when every check passes, 1 on the first failure, 77 (skipped) when Chromium, node,
# playwright-core (scripts/setup-test-tools.sh) or curl is missing.
set -uo pipefail

# A fixed end for the demo data, never today: its advance notice (Thursday 3 December 2026) lies in
# the history, and the release of Tuesday 8 December in the horizon of a forecast made from it.
readonly kDemoEnd=2026-12-04T00:00:00Z

# shellcheck source=tests/e2e/service.sh
source "$(dirname "${BASH_SOURCE[0]}")/service.sh"

[[ $# -eq 1 ]] || { echo "usage: $0 PATH_TO_PATCHCAST_BINARY" >&2; exit 1; }
binary=$1
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
browser=${PATCHCAST_CHROMIUM:-/usr/bin/chromium}
[[ -x $browser ]] || skip "no browser: $browser is not installed (apt-get install chromium)"
command -v node >/dev/null || skip "node is not installed (scripts/setup-test-tools.sh)"
[[ -d $repo/tests/tools/node_modules/playwright-core ]] ||
  skip "playwright-core is not installed (scripts/setup-test-tools.sh)"
command -v curl >/dev/null || skip "curl is not installed"

screenshots=$(cd "$(dirname "$binary")" && pwd)/dashboard
mkdir -p "$screenshots" || fail "cannot make $screenshots"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/patchcast-dashboard-test.XXXXXX") || fail "mktemp failed"
open_pid= keyed_pid= bare_pid=
cleanup() {
  # The one being started when a start failed, then each started one.
  local started=("${service_pid:-}" "$open_pid" "$keyed_pid" "$bare_pid")
  for service_pid in "${started[@]}"; do stop_service; done
  rm -rf "$tmp"
}
trap cleanup EXIT

# The service may run on a faked clock (scripts/test.sh --at); the browser and node may not: they
# keep the real one.
start_service "$binary" "$tmp/open.log" --db "$tmp/open.db" --demo --demo-end "$kDemoEnd"
open_pid=$service_pid open_port=$service_port

# Keys: an admin key to set up, and a read key that sees only series whose id starts with "demo-".
"$binary" keys new --scope admin --name ops >"$tmp/admin.key" || fail "keys new (admin) failed"
"$binary" keys new --scope read --name demo-reader --series demo- >"$tmp/reader.key" ||
  fail "keys new (reader) failed"
{ tail -n 1 "$tmp/admin.key"; tail -n 1 "$tmp/reader.key"; } >"$tmp/keys"
start_service "$binary" "$tmp/keyed.log" --db "$tmp/keyed.db" --demo --demo-end "$kDemoEnd" \
  --api-keys "$tmp/keys"
keyed_pid=$service_pid keyed_port=$service_port
start_service "$binary" "$tmp/bare.log" --db "$tmp/bare.db" --demo --demo-end "$kDemoEnd" \
  --chartjs "$tmp/no-such-chart.js"
bare_pid=$service_pid bare_port=$service_port
service_pid=$open_pid

admin_token=$(head -n 1 "$tmp/admin.key")
status=$(printf 'ts,value\n2026-12-01T00:00:00Z,10\n2026-12-01T00:05:00Z,12\n' |
  curl -sS -o "$tmp/upload.json" -w '%{http_code}' -H "Authorization: Bearer $admin_token" \
    -H 'Content-Type: text/csv' --data-binary @- \
    "http://127.0.0.1:$keyed_port/v1/series/other-login/points") || fail "upload: no answer"
[[ $status == 201 || $status == 200 ]] || fail "upload to other-login answered $status: $(cat "$tmp/upload.json")"

env -u LD_PRELOAD -u FAKETIME -u FAKETIME_DONT_FAKE_MONOTONIC \
  PATCHCAST_CHROMIUM="$browser" \
  node "$repo/tests/tools/dashboard-browser.js" \
    --open "http://127.0.0.1:$open_port" --open-pid "$open_pid" \
    --keyed "http://127.0.0.1:$keyed_port" --reader-token "$(head -n 1 "$tmp/reader.key")" \
    --bare "http://127.0.0.1:$bare_port" \
    --screenshots "$screenshots" ||
  fail "the browser checks failed; the services' last log lines:
$(tail -n 5 "$tmp/open.log" "$tmp/keyed.log" "$tmp/bare.log")"
echo "PASS: dashboard"
