#!/usr/bin/env bash
# Every reply the end-to-end suite received, checked against api/openapi.yaml by
# tests/tools/openapi-responses.js: a documented status and media type for its operation, and a JSON
# body valid against the response's schema with every object closed (an undocumented property
# fails). The document's own rules are checked too (operationIds; 304 on GETs, 401 with security,
# 400 and 415 with a body; 403 on exactly the write and admin routes of the service's GET /v1).
# The patchcast_e2e_* tests write the log (PATCHCAST_RESPONSE_LOG, tests/support/raw_http.h).
#
# The control: tests/e2e/openapi_responses_control.jsonl holds answers the document allows and
# answers that each break it once (an undocumented property: at the top, inside an allOf, and in a
# plan, one of a response's anyOf alternatives; an undocumented status; an undocumented media type;
# a wrong type; an unknown path answered 200; a protocol status with the wrong error code; a body
# where none is documented). Exactly those must be reported, so the check is known to be able to
# fail, and not to fail on what is allowed.
#
# Usage: tests/e2e/openapi_responses_test.sh LOG.jsonl
# Exits 0 when every check passes, 1 on the first failure, 77 (skipped) when node or the npm tools
# are missing (run scripts/setup-test-tools.sh).
set -uo pipefail

# shellcheck source=tests/e2e/service.sh
source "$(dirname "${BASH_SOURCE[0]}")/service.sh"

[[ $# -eq 1 ]] || { echo "usage: $0 LOG.jsonl" >&2; exit 1; }
log=$1
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
checker=$repo/tests/tools/openapi-responses.js
command -v node >/dev/null || skip "node is not installed (scripts/setup-test-tools.sh)"
[[ -d $repo/tests/tools/node_modules/ajv-formats ]] ||
  skip "the npm tools are not installed (scripts/setup-test-tools.sh)"
[[ -s $log ]] || fail "$log is missing or empty: the patchcast_e2e_* tests write it"

node "$checker" "$repo/api/openapi.yaml" "$log" || fail "replies of the e2e suite break api/openapi.yaml"

control=$repo/tests/e2e/openapi_responses_control.jsonl
output=$(node "$checker" "$repo/api/openapi.yaml" "$control")
status=$?
[[ $status -eq 1 ]] || fail "the control log gave exit status $status, not 1:
$output"
for expected in \
  "GET /healthz 200 application/json: /extra: undocumented property" \
  "GET /v1/series/{id}/forecasts/latest: status 418 is not documented" \
  "GET /healthz 200: Content-Type 'text/html' is not documented" \
  "GET /v1/series 200 application/json: /series/0/point_count: must be integer" \
  "GET /v1/undocumented -> 200: no path of the document matches" \
  "GET /v1/calendars/{id}/overrides 200 application/json: /overrides/0/surprise: undocumented property" \
  "GET /v1: status 413 is not documented" \
  "DELETE /v1/series/{id} 204: a body, where none is documented" \
  "GET /v1/plans/{id} 200 application/json: /surprise: undocumented property"; do
  grep -qF "FAIL: $expected" <<<"$output" || fail "the control's '$expected' was not reported:
$output"
done
grep -qx "openapi-responses: 9 failures (9 distinct)" <<<"$output" ||
  fail "the control's allowed answers were reported too:
$output"
echo "ok: the control log's nine defects are reported, and nothing else"
echo "PASS: openapi_responses"
