#!/usr/bin/env bash
# Installs every Debian 12 package botify needs to build, test and benchmark.
# Idempotent; skips apt-get when everything is already installed.
set -euo pipefail
PACKAGES=(
  build-essential cmake ninja-build pkg-config
  librocksdb-dev rocksdb-tools
  libboost1.81-all-dev libboost-json1.81-dev libboost-url1.81-dev
  libfmt-dev catch2 libcli11-dev libbenchmark-dev zlib1g-dev
  python3 python3-numpy python3-pandas python3-sklearn python3-scipy
  curl wrk nginx-light
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Debian 12's python3-pythran (a dependency of python3-scipy) depends on libboost-dev 1.74,
# which conflicts with libboost1.81-dev. SciPy never imports pythran at run time, so an
# empty stand-in package satisfies the dependency (tests/tools/ab_reference.py uses SciPy).
install_pythran_stub() {
  dpkg-query -W -f='${Status}' python3-pythran 2>/dev/null | grep -q "install ok installed" && return
  local d
  d=$(mktemp -d)
  mkdir -p "$d/pkg/DEBIAN"
  cat >"$d/pkg/DEBIAN/control" <<'CONTROL'
Package: python3-pythran
Version: 0.0~botify.stub
Architecture: all
Maintainer: botify developers <dev@botify.invalid>
Description: stub standing in for pythran so python3-scipy installs
 Debian 12's python3-pythran depends on libboost-dev (1.74), which conflicts with
 libboost1.81-dev. SciPy does not import pythran at run time.
CONTROL
  dpkg-deb --build "$d/pkg" "$d/python3-pythran-stub.deb" >/dev/null
  dpkg -i "$d/python3-pythran-stub.deb" >/dev/null
  rm -rf "$d"
}
if ((${#missing[@]})); then
  install_pythran_stub
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
