#!/usr/bin/env bash
# Install govsim's build and test dependencies from Debian 12 packages.
# Idempotent: packages already present are skipped, so repeated runs are fast.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config
  libeigen3-dev libboost-dev libnlopt-cxx-dev libnlopt-dev
  pybind11-dev catch2
  liblapack-dev libopenblas-dev libopenblas0-pthread
  python3 python3-dev python3-numpy python3-pandas python3-matplotlib
  python3-pytest python3-nbclient python3-nbformat python3-ipykernel python3-scipy
  python3-dask python3-distributed python3-openpyxl python3-tqdm python3-threadpoolctl
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
