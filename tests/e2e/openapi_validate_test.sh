#!/usr/bin/env bash
# The OpenAPI document the real service serves at GET /openapi.yaml, checked by a real validator:
# swagger-cli (npm's @apidevtools/swagger-cli, installed into tests/tools by scripts/test.sh), which
# parses the YAML (duplicate keys included) and validates the document against the OpenAPI 3.0
# schema. The served bytes must be api/openapi.yaml's. A copy with a duplicated response key must
# be refused, so that the check is known to be able to fail.
#
# Usage: tests/e2e/openapi_validate_test.sh PATH_TO_PATCHCAST_BINARY
# Exits 0 when every check passes, 1 on the first failure, 77 (skipped) when swagger-cli or curl
# is missing (run scripts/setup-test-tools.sh).
set -uo pipefail

# shellcheck source=tests/e2e/service.sh
source "$(dirname "${BASH_SOURCE[0]}")/service.sh"

[[ $# -eq 1 ]] || { echo "usage: $0 PATH_TO_PATCHCAST_BINARY" >&2; exit 1; }
binary=$1
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
validator=$repo/tests/tools/node_modules/.bin/swagger-cli
[[ -x $validator ]] || skip "swagger-cli is not installed (scripts/setup-test-tools.sh)"
command -v curl >/dev/null || skip "curl is not installed"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/patchcast-openapi-test.XXXXXX") || fail "mktemp failed"
trap 'stop_service; rm -rf "$tmp"' EXIT
start_service "$binary" "$tmp/service.log" --db "$tmp/p.db"

status=$(curl -sS -o "$tmp/served.yaml" -w '%{http_code}' "http://127.0.0.1:$service_port/openapi.yaml") ||
  fail "GET /openapi.yaml: no answer"
[[ $status == 200 ]] || fail "GET /openapi.yaml answered $status"
cmp -s "$tmp/served.yaml" "$repo/api/openapi.yaml" || fail "the served document is not api/openapi.yaml"

"$validator" validate "$tmp/served.yaml" >"$tmp/validate.out" 2>&1 ||
  fail "swagger-cli refuses GET /openapi.yaml:
$(head -40 "$tmp/validate.out")"
echo "ok: swagger-cli validates GET /openapi.yaml"

# The control: the same document with a response key given twice (a YAML error) is refused.
awk '{ print } /^        "400": \{\$ref: "#\/components\/responses\/Error"\}$/ && !done { print; done = 1 }' \
  "$tmp/served.yaml" >"$tmp/broken.yaml"
cmp -s "$tmp/served.yaml" "$tmp/broken.yaml" && fail "could not make the broken control document"
"$validator" validate "$tmp/broken.yaml" >/dev/null 2>&1 &&
  fail "swagger-cli accepted a document with a duplicated key: the check cannot fail"
echo "ok: swagger-cli refuses a document with a duplicated key"
echo "PASS: openapi_validate"
