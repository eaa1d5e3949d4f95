#!/usr/bin/env bash
# install_peers.sh: installs the peer forecasters that bench/peers/run_peers.sh compares Patchcast
# with (issue 5, "peers in the same run"): R, Prophet and the forecast package, from Debian 12
# (bookworm) main — r-base-core 4.2.2, r-cran-prophet 1.0, r-cran-forecast 8.20. Nothing comes from
# CRAN and nothing is compiled: Debian's r-cran-prophet ships its Stan model prebuilt.
#
# Run on request only (it is not part of the tests or CI): needs root or sudo, and network access
# to the Debian mirror. Does nothing when all three packages are already installed. About 145
# packages (~400 MB installed) on a bare bookworm with --no-install-recommends.
#
# Usage: bash bench/peers/install_peers.sh
set -euo pipefail

packages=(r-base-core r-cran-prophet r-cran-forecast)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$package")
  fi
done
if ((${#missing[@]} == 0)); then
  echo "install_peers: ${packages[*]} already installed"
  exit 0
fi

sudo=()
if ((EUID != 0)); then
  if ! command -v sudo >/dev/null; then
    echo "install_peers: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
  sudo=(sudo)
fi

echo "install_peers: installing ${missing[*]}"
"${sudo[@]}" apt-get update
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
Rscript -e 'suppressPackageStartupMessages({library(prophet); library(forecast)});
  cat("install_peers: prophet", format(packageVersion("prophet")),
      "forecast", format(packageVersion("forecast")), "on", R.version.string, "\n")'
