#!/usr/bin/env bash
# Installs the Debian packages listed in the given files that are not installed yet.
# Usage: scripts/setup.sh scripts/packages-build.txt [scripts/packages-test.txt ...]
# Runs apt-get only when something is missing, so a second run costs a few dpkg queries.
set -euo pipefail

missing=()
for list in "$@"; do
  while read -r package _; do
    [[ -z "$package" || "$package" == \#* ]] && continue
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$package")
  done < "$list"
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "setup: installing ${missing[*]}" >&2
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "setup: run as root, or install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
