#!/usr/bin/env bash
# Index reload benchmark (issue: index lifecycle): time to build and hot-load 10,000 users x
# 100 tracks into a running server, and the server's latency under wrk load while it
# reloads (compared with the same load without reloads).
# Usage: bench/reload_bench.sh [BUILD_DIR] [RELOADS]
# Loopback only; bounded (two 10 s wrk runs).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
reloads=${2:-3}
work=$(mktemp -d /tmp/botify-reload.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

source bench/lib.sh
bench_world_and_recs "$build" "$work"
bench_start_server "$build" "$work" '{"default": "indexed:ub"}'
port=$(cat "$work/port")
admin=(--server "127.0.0.1:$(cat "$work/admin_port")" --token-file "$work/token")

echo "== index build (10,000 users x 100 tracks)"
/usr/bin/time -f "build: %e s wall, %M KiB max RSS" \
  "$build/botify" index build --recs "$work/recs.jsonl" --tracks "$work/world/tracks.json" --out "$work/ub.sst" 2>&1 | tail -2
echo "== index load (upload, ingest, atomic switch, old generation dropped)"
for i in $(seq "$reloads"); do
  /usr/bin/time -f "load $i: %e s wall" "$build/botify" index load --name ub --sst "$work/ub.sst" "${admin[@]}" 2>&1 | tail -1
done

echo "== wrk -t1 -c32 -d10s, no reloads"
wrk -t1 -c32 -d10s --latency -s bench/next_requests.lua "http://127.0.0.1:$port" | grep -E "Requests/sec|50%|99%|Non-2xx"
echo "== wrk -t1 -c32 -d10s, $reloads reloads during the run"
wrk -t1 -c32 -d10s --latency -s bench/next_requests.lua "http://127.0.0.1:$port" > "$work/wrk.txt" &
sleep 2
for i in $(seq "$reloads"); do
  "$build/botify" index load --name ub --sst "$work/ub.sst" "${admin[@]}" >/dev/null
  sleep 1.5
done
wait %2
grep -E "Requests/sec|50%|99%|Non-2xx" "$work/wrk.txt"
