#!/usr/bin/env bash
# Benchmark of `botify train ub` (docs/contracts.md §10) on a synthetic log of 10,000 users x 50,000
# tracks with 1,000,000 rows (bench/ub_gen_log.py, seed 1): wall and CPU time per phase,
# peak memory (/usr/bin/time -v), repeated RUNS times. Results go in docs/trainers.md.
#
#   bash bench/ub_train_bench.sh [BUILD_DIR=build] [RUNS=3] [THREADS=2]
#
# Targets (the issue): < 10 s wall and < 2 GiB peak with --threads 2.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
runs=${2:-3}
threads=${3:-2}
work=${UB_BENCH_DIR:-/tmp/botify-ub-bench}
if [[ ! -d "$work/logs" ]]; then
  echo "generating $work/logs (10k users x 50k tracks, 1M rows)" >&2
  /usr/bin/python3 bench/ub_gen_log.py --out "$work/logs" --users 10000 --tracks 50000 \
    --rows 1000000 --files 8 --seed 1
fi
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
for run in $(seq "$runs"); do
  /usr/bin/time -v "$build/botify" train ub --logs "$work/logs" --threads "$threads" \
    -o "$work/ub.jsonl" 2>"$work/stderr.txt"
  echo "run $run:"
  grep -E "train ub: read [0-9]+ files, [0-9]+ rows,|scored in|wrote" "$work/stderr.txt" | sed 's/^/  /'
  grep -E "Elapsed \(wall|User time|System time|Maximum resident" "$work/stderr.txt" | sed 's/^\s*/  /'
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
