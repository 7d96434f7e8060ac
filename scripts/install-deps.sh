#!/usr/bin/env bash
# Installs every Debian 12 package botify needs to build, test, benchmark and package.
# Packaging (packaging/, tests/packaging): dpkg-dev for dpkg-shlibdeps (the .deb's Depends),
# systemd for systemd-analyze (the units are verified, not run: systemd need not be PID 1),
# passwd for useradd in the maintainer scripts.
# Idempotent; skips apt-get when everything is already installed.
set -euo pipefail
PACKAGES=(
  build-essential cmake ninja-build pkg-config
  clang libclang-rt-14-dev clang-format valgrind
  librocksdb-dev rocksdb-tools
  libboost1.81-all-dev libboost-json1.81-dev libboost-url1.81-dev
  libfmt-dev catch2 libcli11-dev libbenchmark-dev zlib1g-dev
  libopenblas-dev libfaiss-dev
  python3 python3-numpy python3-pandas
  curl wrk nginx-light procps faketime
  dpkg-dev systemd passwd
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
