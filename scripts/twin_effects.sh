#!/usr/bin/env bash
# Effects of each session-aware twin over its plain list recommender, and of the session
# model over the best twin, from the ALL day of a main-job run: the rows of the two arms
# are relabelled C (the first) and T1 (the second) of an experiment TWIN and analysed with
# `botify ab`. Users are hashed into arms independently, so the two arms are as comparable
# as any C and T of the experiment.
#
# Usage: scripts/twin_effects.sh [OUT_DIR (default out)] [BUILD_DIR (default build)]
# Pairs (scripts/pipeline.sh): T3 indexed:lfm / T7 session:indexed:lfm,
# T5 contextual:ctx / T4 session:contextual:ctx, T4 session:contextual:ctx / T8 session_model:sm.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out} build=${2:-build}
[[ -s "$out/run/ALL.json" ]] || { echo "twin_effects: no ALL run in $out (run scripts/pipeline.sh)" >&2; exit 1; }
work=$(mktemp -d /tmp/botify-twins.XXXXXX)
trap 'rm -rf "$work"' EXIT
for pair in "T3 T7" "T5 T4" "T4 T8"; do
  read -r plain twin <<<"$pair"
  mkdir -p "$work/$plain$twin"
  find "$out/hdfs" -name '*.jsonl' -print0 | sort -z | xargs -0 cat |
    python3 -c '
import json, sys
plain, twin = sys.argv[1:]
for line in sys.stdin:
    row = json.loads(line)
    arm = row.get("experiments", {}).get("ALL")
    if arm in (plain, twin):
        row["experiments"] = {"TWIN": "C" if arm == plain else "T1"}
        print(json.dumps(row))' "$plain" "$twin" >"$work/$plain$twin/rows.jsonl"
  echo "== $plain $(grep -o "\"$plain\": \"[^\"]*\"" "$out/run/ALL.json") -> twin $twin $(grep -o "\"$twin\": \"[^\"]*\"" "$out/run/ALL.json")"
  "$build/botify" ab --logs "$work/$plain$twin" --experiment TWIN --format markdown 2>/dev/null |
    awk '/^## Effects/ {e = 1} e && /^\| treatment|^\|---|mean_time_per_session|mean_tracks_per_session/'
done
