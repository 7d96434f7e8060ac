#!/usr/bin/env bash
# HTTP benchmark of botify-server against nginx on the same machine (issue: serving core).
# /next with the Indexed arm (USER_BASED, T1 = indexed:ub with 10k users x 100 tracks) and
# logging on, and the same wrk script against nginx returning a static JSON body.
#
# Usage: bench/http_bench.sh [BUILD_DIR] [DURATION_SECONDS] [SERVER_THREADS] [ROUNDS] [--no-log]
#   defaults: build 20 2 3
#
# Both servers stay up for the whole run and each round runs wrk against botify-server,
# then against nginx: on a shared 2-core VM throughput drifts by 20-30% over minutes, so
# only numbers taken side by side are compared. One row per round, then the medians.
# Loopback only; bounded by ROUNDS x 2 x DURATION.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
duration=${2:-20}
server_threads=${3:-2}
rounds=${4:-3}
log_flag=${5:-}  # --no-log to measure the cost of logging
work=$(mktemp -d /tmp/botify-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

source bench/lib.sh
bench_world_and_recs "$build" "$work"
"$build/botify" index build --recs "$work/recs.jsonl" --tracks "$work/world/tracks.json" --out "$work/ub.sst" 2>/dev/null
"$build/botify" index load --name ub --sst "$work/ub.sst" --db "$work/db" >/dev/null 2>&1
bench_start_server "$build" "$work" \
  '{"experiments": [{"name": "USER_BASED", "split": 2, "arms": {"C": "random", "T1": "indexed:ub"}}], "routing": "USER_BASED"}' \
  --threads "$server_threads" $log_flag
server_pid=$!
botify_port=$(cat "$work/port")

mkdir -p "$work/nginx"
nginx_port=$((botify_port + 1))
sed -e "s|NGINX_DIR|$work/nginx|g" -e "s|NGINX_PORT|$nginx_port|g" bench/nginx_static.conf > "$work/nginx/nginx.conf"
/usr/sbin/nginx -c "$work/nginx/nginx.conf" &
sleep 0.5

# run_wrk PORT OUT: one wrk run with the issue's parameters; prints "rps p50 p90 p99" (ms).
run_wrk() {
  wrk -t2 -c64 -d"${duration}s" --latency -s bench/next_requests.lua "http://127.0.0.1:$1" >"$2"
  awk '
    function ms(v) { if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000;
                     if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0;
                     if (v ~ /s$/)  return substr(v, 1, length(v) - 1) * 1000; return v }
    /Requests\/sec/ {r = $2} /^ +50%/ {p50 = ms($2)} /^ +90%/ {p90 = ms($2)} /^ +99%/ {p99 = ms($2)}
    / [0-9]+ requests in / {n = $1} /Non-2xx/ {bad = $4}
    END {printf "%.0f %.2f %.2f %.2f %d\n", r, p50, p90, p99, bad}' "$2"
}

echo "== $(nproc) cores, kernel $(uname -r); wrk -t2 -c64 -d${duration}s --latency -s bench/next_requests.lua"
echo "== botify-server: $server_threads threads, ${log_flag:-logging on}; nginx: worker_processes auto"
printf '%-6s | %9s %7s %7s %7s | %9s %7s %7s %7s | %s\n' round botify p50 p90 p99 nginx p50 p90 p99 "botify/nginx"
: >"$work/rows"
for round in $(seq "$rounds"); do
  read -r b_rps b50 b90 b99 bbad < <(run_wrk "$botify_port" "$work/botify.$round.txt")
  read -r n_rps n50 n90 n99 nbad < <(run_wrk "$nginx_port" "$work/nginx.$round.txt")
  ratio=$(awk -v b="$b_rps" -v n="$n_rps" 'BEGIN {printf "%.1f%%", 100 * b / n}')
  printf '%-6s | %9s %7s %7s %7s | %9s %7s %7s %7s | %s\n' "$round" "$b_rps" "$b50" "$b90" "$b99" \
    "$n_rps" "$n50" "$n90" "$n99" "$ratio"
  echo "$b_rps $b50 $b90 $b99 $n_rps $n50 $n90 $n99" >>"$work/rows"
  if [[ "$bbad" != 0 || "$nbad" != 0 ]]; then echo "non-2xx responses: botify $bbad, nginx $nbad" >&2; fi
done
# Medians of each column (rounds is small: sort each column).
medians=()
for col in 1 2 3 4 5 6 7 8; do
  medians+=("$(awk -v c="$col" '{print $c}' "$work/rows" | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}')")
done
ratio=$(awk -v b="${medians[0]}" -v n="${medians[4]}" 'BEGIN {printf "%.1f%%", 100 * b / n}')
printf '%-6s | %9s %7s %7s %7s | %9s %7s %7s %7s | %s\n' median "${medians[@]}" "$ratio"
echo "(requests/s; latencies in ms)"

kill -TERM "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
echo "events logged: $(cat "$work"/logs/sealed/*.jsonl 2>/dev/null | wc -l)"
