#!/usr/bin/env bash
# Builds the Debian package, BUILD_DIR/botify_<version>_<arch>.deb, for an edge host
# (docs/operations.md): installs the build dependencies, builds the two binaries in a
# build folder of its own (no tests, no benchmarks) and runs cpack. Then, as root:
#   apt install ./build-package/botify_*.deb
# Usage: scripts/package.sh [BUILD_DIR]   (default build-package)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build-package}
bash scripts/install-deps.sh
bash scripts/build.sh "$dir" -DBOTIFY_TESTS=OFF -DBOTIFY_BENCHMARKS=OFF
(cd "$dir" && cpack -G DEB)
ls -l "$dir"/botify_*.deb
