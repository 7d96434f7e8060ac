#!/usr/bin/env bash
# User-space instructions per /next request, counted by callgrind: deterministic where
# wall-clock throughput on a shared VM drifts by 20-30%. Kernel time is not counted.
# Serves the same setup as bench/http_bench.sh (USER_BASED, 10k users x 100 tracks) under
# valgrind, warms up for 3 s, then counts a 10 s wrk run (-t2 -c64).
# Usage: bench/next_instructions.sh [--session-model] [--arm SPEC] [--session-length N]
#                                   [--users N] [--warmup S] [BUILD_DIR]
#                                   [extra botify-server flags, e.g. --no-log]
#   --session-model, --arm, --session-length, --users: as bench/http_bench.sh (every user
#   served the session model, or SPEC; sessions of N requests over N users). --warmup S
#   (default 3) seconds of requests before the count: long enough for sessions to reach
#   their length (valgrind serves a few thousand requests a second), so the count covers
#   requests at every position of a session.
# Loopback only; about a minute (plus training the model with --session-model).
set -euo pipefail
cd "$(dirname "$0")/.."
session_model=0 arm=session_model:sm session_length=0 users=10000 warmup=3
while [[ $# -gt 0 ]]; do
  case $1 in
    --session-model) session_model=1; shift ;;
    --arm) arm=$2; shift 2 ;;
    --session-length) session_length=$2; shift 2 ;;
    --users) users=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    *) break ;;
  esac
done
build=${1:-build}
shift || true
work=$(mktemp -d /tmp/botify-callgrind.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
source bench/lib.sh
config=$BENCH_USER_BASED_CONFIG
if [[ $session_model == 1 ]]; then
  bench_session_model_db "$build" "$work" >/dev/null
  config=${config/indexed:ub/$arm}
  config=${config/\"random\"/\"$arm\"}
else
  bench_indexed_db "$build" "$work" >/dev/null
fi
echo "$config" >"$work/config.json"
export BENCH_USERS=$users BENCH_SESSION_LENGTH=$session_length BENCH_WRK_THREADS=2
valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" "$build/botify-server" \
  --db "$work/db" --tracks "$work/world/tracks.json" --config "$work/config.json" \
  --log-dir "$work/logs" --port 0 --port-file "$work/port" --no-admin --threads 2 "$@" \
  >/dev/null 2>"$work/server.err" &
# Up to 3 minutes: under valgrind on a loaded machine, loading a session model alone can
# take more than one.
for _ in $(seq 1800); do [[ -s "$work/port" ]] && break; sleep 0.1; done
[[ -s "$work/port" ]] || { cat "$work/server.err" >&2; exit 1; }
url="http://127.0.0.1:$(cat "$work/port")"
wrk -t2 -c64 -d"${warmup}s" -s bench/next_requests.lua "$url" >/dev/null  # warm caches, grow sessions
callgrind_control -z >/dev/null 2>&1
wrk -t2 -c64 -d10s -s bench/next_requests.lua "$url" >"$work/wrk.txt"
callgrind_control -d >/dev/null 2>&1
requests=$(awk '/ requests in / {print $1}' "$work/wrk.txt")
out=$(ls -t "$work"/callgrind.out* | head -1)
instructions=$(callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
echo "requests $requests, instructions $instructions, per request $((instructions / requests))"
