#!/usr/bin/env bash
# The README's main-job command: installs dependencies, builds, and runs the whole loop
# (scripts/pipeline.sh) on the embedded default world. Extra arguments go to the pipeline,
# e.g. `bash scripts/main.sh --world DIR` runs it on your own world (paths relative to
# the folder you call it from).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
(cd "$root" && bash scripts/install-deps.sh && bash scripts/build.sh build)
exec bash "$root/scripts/pipeline.sh" --build "$root/build" "$@"
