#!/usr/bin/env bash
# In-process simulator throughput on the default world (target >= 1M steps/s warm).
# Day 1 is cold (exact neighbour search per new interest track); days 2-3 are warm.
# Usage: bench/sim_in_process.sh [build-dir]
set -euo pipefail
build=${1:-build}
world=$(mktemp -d)
trap 'rm -rf "$world"' EXIT
"$build/botify" world gen --out "$world" >/dev/null 2>&1
for policy in random history oracle; do
  echo "== $policy"
  "$build/botify" sim --world "$world" --in-process "$policy" --episodes 100000 --days 3 \
    --no-progress 2>&1
done
