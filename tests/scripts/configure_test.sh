#!/usr/bin/env bash
# scripts/configure.sh resets every cached choice of a build folder: a folder configured by hand
# (or by an older run.sh) with the tests, benches or sanitizers switched differently ends with the
# same tests as a fresh one. This is what keeps `run.sh` then `test.sh` from running no test, or
# stale test binaries.
# Usage: configure_test.sh   (from anywhere; it configures folders in a temporary directory only)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/patchcast-configure-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# The tests CTest would run in a folder, one name a line.
tests_of() { ctest --test-dir "$1" -N | sed -n 's/^ *Test *#[0-9]*: //p' | sort; }
# The project's cached options of a folder.
options_of() { cmake -L -N "$1" 2>/dev/null | grep -E '^(PATCHCAST_|CMAKE_BUILD_TYPE)' | sort; }

for purpose in "" --sanitize --domain-only; do
  name=${purpose:-default}
  cmake -S "$repo" -B "$tmp/stale-$name" -DPATCHCAST_BUILD_TESTS=OFF -DPATCHCAST_BUILD_BENCH=OFF \
    -DPATCHCAST_SANITIZE=ON -DPATCHCAST_DOMAIN_ONLY=ON -DCMAKE_BUILD_TYPE=Release >/dev/null
  [[ -z $(tests_of "$tmp/stale-$name") ]] || fail "the stale folder already lists tests"
  "$repo/scripts/configure.sh" "$tmp/stale-$name" $purpose
  "$repo/scripts/configure.sh" "$tmp/fresh-$name" $purpose

  fresh_tests=$(tests_of "$tmp/fresh-$name")
  [[ -n $fresh_tests ]] || fail "$name: a fresh folder lists no test"
  [[ $(tests_of "$tmp/stale-$name") == "$fresh_tests" ]] ||
    fail "$name: the reconfigured folder lists other tests than a fresh one:
$(diff <(tests_of "$tmp/stale-$name") <(echo "$fresh_tests"))"
  [[ $(options_of "$tmp/stale-$name") == "$(options_of "$tmp/fresh-$name")" ]] ||
    fail "$name: cached options differ:
$(diff <(options_of "$tmp/stale-$name") <(options_of "$tmp/fresh-$name"))"
  echo "ok: $name: $(wc -l <<<"$fresh_tests") tests after reconfiguring a stale folder"
done

# Both scripts configure the one shared folder, build/, the same way.
for script in run.sh test.sh; do
  grep -q '^scripts/configure.sh build$\|^scripts/configure.sh "\$build_dir"' "$repo/scripts/$script" ||
    fail "scripts/$script does not configure its build folder through scripts/configure.sh"
done
echo "PASS: configure_test"
