#!/usr/bin/env bash
# User-space instructions per /next request, counted by callgrind: deterministic where
# wall-clock throughput on a shared VM drifts by 20-30%. Kernel time is not counted.
# Serves the same setup as bench/http_bench.sh (USER_BASED, 10k users x 100 tracks) under
# valgrind, warms up for 3 s, then counts a 10 s wrk run (-t2 -c64).
# Usage: bench/next_instructions.sh [BUILD_DIR] [extra botify-server flags, e.g. --no-log]
# Loopback only; about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
work=$(mktemp -d /tmp/botify-callgrind.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
source bench/lib.sh
bench_indexed_db "$build" "$work" >/dev/null
echo "$BENCH_USER_BASED_CONFIG" >"$work/config.json"
valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" "$build/botify-server" \
  --db "$work/db" --tracks "$work/world/tracks.json" --config "$work/config.json" \
  --log-dir "$work/logs" --port 0 --port-file "$work/port" --no-admin --threads 2 "$@" \
  >/dev/null 2>"$work/server.err" &
for _ in $(seq 600); do [[ -s "$work/port" ]] && break; sleep 0.1; done
[[ -s "$work/port" ]] || { cat "$work/server.err" >&2; exit 1; }
url="http://127.0.0.1:$(cat "$work/port")"
wrk -t2 -c64 -d3s -s bench/next_requests.lua "$url" >/dev/null  # warm caches and buffers
callgrind_control -z >/dev/null 2>&1
wrk -t2 -c64 -d10s -s bench/next_requests.lua "$url" >"$work/wrk.txt"
callgrind_control -d >/dev/null 2>&1
requests=$(awk '/ requests in / {print $1}' "$work/wrk.txt")
out=$(ls -t "$work"/callgrind.out* | head -1)
instructions=$(callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
echo "requests $requests, instructions $instructions, per request $((instructions / requests))"
