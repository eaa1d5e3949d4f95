#!/usr/bin/env bash
# Installs the npm tools the test suite runs on what Patchcast serves (tests/tools/package.json, at
# the exact versions of its package-lock.json) into tests/tools/node_modules. Debian's nodejs and
# npm are installed first when there is no npm. npm runs only when the installed tools are missing
# or older than the lock file, so a second run costs a file comparison.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null; then
  scripts/setup.sh scripts/packages-npm.txt
fi
installed=tests/tools/node_modules/.package-lock.json
if [[ ! -f $installed || tests/tools/package-lock.json -nt $installed ]]; then
  echo "setup-test-tools: installing tests/tools (npm ci)" >&2
  npm ci --prefix tests/tools --no-audit --no-fund --loglevel=error >/dev/null
fi
