#!/usr/bin/env bash
# The README's main-job command: installs dependencies, builds, and runs the whole loop
# (scripts/pipeline.sh) on the embedded default world. Extra arguments go to the pipeline.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh build
exec bash scripts/pipeline.sh --build build "$@"
