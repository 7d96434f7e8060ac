#!/usr/bin/env bash
# Benchmark of `botify ab`: generates a synthetic log of about ROWS rows (default 1e6,
# 10,000 users, 2 arms, 8 files; cached under WORK) and analyses it RUNS times, printing
# wall time, user+sys CPU time and peak RSS of each run, then the median wall time.
#
#   bench/ab_bench.sh [BUILD_DIR] ; env: ROWS=1000000 RUNS=5 WORK=/tmp/botify-ab-bench
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
rows=${ROWS:-1000000}
runs=${RUNS:-5}
work=${WORK:-/tmp/botify-ab-bench}
logs="$work/logs-$rows"
if [[ ! -d "$logs" ]]; then
  /usr/bin/python3 bench/ab_generate_log.py --out "$logs" --rows "$rows" --users 10000 \
    --files 8 --seed 42 >&2
fi
echo "log: $(cat "$logs"/*.jsonl | wc -l) lines, $(du -sh "$logs" | cut -f1); load: $(cut -d' ' -f1-3 /proc/loadavg)"
walls=()
for ((i = 1; i <= runs; i++)); do
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" \
    "$build/botify" ab --logs "$logs" --experiment AB --format json >/dev/null 2>"$work/stderr.txt"
  read -r wall user sys rss <"$work/time.txt"
  walls+=("$wall")
  echo "run $i: wall ${wall}s, cpu $(echo "$user + $sys" | bc)s, peak RSS $((rss / 1024)) MiB"
done
median=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")
echo "median wall ${median}s over $runs runs"
