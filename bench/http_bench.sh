#!/usr/bin/env bash
# HTTP benchmark of botify-server against nginx on the same machine (issue: serving core).
# /next with the Indexed arm (USER_BASED, T1 = indexed:ub with 10k users x 100 tracks) and
# logging on, then the same wrk script against nginx returning a static JSON body.
# Usage: bench/http_bench.sh [BUILD_DIR] [DURATION_SECONDS] [SERVER_THREADS] [--no-log]
# Loopback only; bounded by the duration.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
duration=${2:-20}
server_threads=${3:-2}
log_flag=${4:-}  # --no-log to measure the cost of logging
work=$(mktemp -d /tmp/botify-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

source bench/lib.sh
bench_world_and_recs "$build" "$work"
"$build/botify" index build --recs "$work/recs.jsonl" --tracks "$work/world/tracks.json" --out "$work/ub.sst" 2>/dev/null
"$build/botify" index load --name ub --sst "$work/ub.sst" --db "$work/db" >/dev/null 2>&1
bench_start_server "$build" "$work" \
  '{"experiments": [{"name": "USER_BASED", "split": 2, "arms": {"C": "random", "T1": "indexed:ub"}}], "routing": "USER_BASED"}' \
  --threads "$server_threads" $log_flag
port=$(cat "$work/port")
echo "== botify-server /next (Indexed arm, ${log_flag:-logging on}, $server_threads server threads): wrk -t2 -c64 -d${duration}s"
wrk -t2 -c64 -d"${duration}s" --latency -s bench/next_requests.lua "http://127.0.0.1:$port" | tee "$work/botify.txt"
kill -TERM %1 2>/dev/null || true
wait %1 2>/dev/null || true
echo "events logged: $(cat "$work"/logs/sealed/*.jsonl 2>/dev/null | wc -l)"

mkdir -p "$work/nginx"
nginx_port=$((port + 1))
sed -e "s|NGINX_DIR|$work/nginx|g" -e "s|NGINX_PORT|$nginx_port|g" bench/nginx_static.conf > "$work/nginx/nginx.conf"
/usr/sbin/nginx -c "$work/nginx/nginx.conf" &
sleep 0.5
echo "== nginx static JSON (one worker per core): wrk -t2 -c64 -d${duration}s"
wrk -t2 -c64 -d"${duration}s" --latency -s bench/next_requests.lua "http://127.0.0.1:$nginx_port" | tee "$work/nginx.txt"
kill %2 2>/dev/null || true
b=$(awk '/Requests\/sec/ {print $2}' "$work/botify.txt")
n=$(awk '/Requests\/sec/ {print $2}' "$work/nginx.txt")
python3 -c "print(f'botify/nginx requests/s: {float($b)/float($n)*100:.1f}%')"
