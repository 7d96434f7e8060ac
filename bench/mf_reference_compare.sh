#!/usr/bin/env bash
# Trains `botify train mf` and the independent NumPy reference (bench/mf_numpy_reference.py)
# with the same hyperparameters on the same split of a synthetic planted log, and prints
# both precision@10 curves. Usage: bench/mf_reference_compare.sh [BUILD_DIR] [LOSS]
# Small data (1500 users, 600 tracks): the reference is a pure Python loop.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
loss=${2:-warp}
py=${PYTHON:-/usr/bin/python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/logs"
"$py" bench/mf_generate_log.py "$work/logs/events.jsonl" --users 1500 --tracks 600 --groups 12 \
  --rows-per-user 30
echo "== botify train mf ($loss, 16 components, lr 0.05, 10 epochs, 1 thread)"
"$build/botify" train mf --logs "$work/logs" --out "$work/recs.jsonl" --loss "$loss" \
  --components 16 --epochs 10 --patience 10 --threads 1 --split-out "$work/split" 2>&1 |
  grep -E "^epoch|popularity|^model|kept"
echo "== numpy reference ($loss, same split and hyperparameters)"
"$py" bench/mf_numpy_reference.py "$work/split" --loss "$loss" --components 16 --epochs 10
