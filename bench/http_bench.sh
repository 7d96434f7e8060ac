#!/usr/bin/env bash
# HTTP benchmark of botify-server against nginx on the same machine (issue: serving core).
# /next with the Indexed arm (USER_BASED, T1 = indexed:ub with 10k users x 100 tracks) and
# logging on, and the same wrk script against nginx returning a static JSON body.
#
# Usage: bench/http_bench.sh [--build DIR] [--duration S] [--threads N] [--rounds R]
#                            [--wrk-threads T] [--pinned] [--no-log] [--session]
#                            [--session-model] [--session-length N] [--users N]
#   defaults: --build build --duration 20 --threads 2 --rounds 3 --wrk-threads 2
#   --pinned  the servers get CPU 0 (botify-server all its threads, nginx one worker) and
#             wrk CPU 1, so the load generator never preempts the server. Use with
#             --threads 1 --wrk-threads 1: two wrk threads sharing one core delay each
#             other's reads by a scheduler tick, whatever the server.
#   --session T1 is session:indexed:ub instead (the server keeps every listener's session:
#             10,000 sessions that only grow, as wrk never sends /last); the run ends with
#             the session figures of /metrics and the server's RSS.
#   --session-model  every user (C and T1) is served session_model:sm, a session model
#             with 200 candidates per track (bench/lib.sh bench_session_model_db: trained
#             first, about a minute, unless BENCH_SESSION_MODEL_DIR names a main job's
#             out/run/recs); implies --session.
#   --arm SPEC  with --session-model: serve SPEC to every user instead, e.g.
#             session:contextual:sm (the same candidate lists walked by the twin's rule).
#   --session-length N  wrk sends a user's /last after their N-th /next (sessions of N
#             requests; each wrk thread owns a share of the users). Default 0: never.
#   --users N  wrk's users are 0..N-1 (10,000). Fewer users make long sessions reachable
#             within a run: ~40k requests/s for 20 s reach ~800 requests per user of 1,000.
#
# Both servers stay up for the whole run and each round runs wrk against botify-server,
# then against nginx: on a shared 2-core VM throughput drifts by 20-30% over minutes, so
# only numbers taken side by side are compared. One row per round, then the medians.
# Loopback only; bounded by ROUNDS x 2 x DURATION.
set -euo pipefail
cd "$(dirname "$0")/.."
build=build duration=20 server_threads=2 rounds=3 wrk_threads=2 pinned=0 log_flag= session=0
session_model=0 session_length=0 users=10000 arm=session_model:sm
while [[ $# -gt 0 ]]; do
  case $1 in
    --build) build=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --threads) server_threads=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --wrk-threads) wrk_threads=$2; shift 2 ;;
    --pinned) pinned=1; shift ;;
    --no-log) log_flag=--no-log; shift ;;
    --session) session=1; shift ;;
    --session-model) session=1 session_model=1; shift ;;
    --session-length) session_length=$2; shift 2 ;;
    --users) users=$2; shift 2 ;;
    --arm) arm=$2; shift 2 ;;
    -h|--help) sed -n '2,32p' "$0"; exit 0 ;;
    *) echo "http_bench.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d /tmp/botify-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

source bench/lib.sh
config=$BENCH_USER_BASED_CONFIG
if [[ $session_model == 1 ]]; then
  bench_session_model_db "$build" "$work"
  config=${config/indexed:ub/$arm}
  config=${config/\"random\"/\"$arm\"}
else
  bench_indexed_db "$build" "$work"
  [[ $session == 1 ]] && config=${config/indexed:ub/session:indexed:ub}
fi
export BENCH_USERS=$users BENCH_SESSION_LENGTH=$session_length BENCH_WRK_THREADS=$wrk_threads
bench_start_server "$build" "$work" "$config" --threads "$server_threads" $log_flag
server_pid=$!
botify_port=$(cat "$work/port")

mkdir -p "$work/nginx"
nginx_port=$((botify_port + 1))
nginx_workers=auto server_cpu=() wrk_cpu=()
if [[ $pinned == 1 ]]; then
  taskset -a -p -c 0 "$server_pid" >/dev/null  # every thread, the log writer included
  nginx_workers=1 server_cpu=(taskset -c 0) wrk_cpu=(taskset -c 1)
fi
sed -e "s|NGINX_DIR|$work/nginx|g" -e "s|NGINX_PORT|$nginx_port|g" \
  -e "s|worker_processes auto;|worker_processes $nginx_workers;|" bench/nginx_static.conf >"$work/nginx/nginx.conf"
"${server_cpu[@]}" /usr/sbin/nginx -c "$work/nginx/nginx.conf" &
sleep 0.5

# run_wrk PORT OUT: one wrk run; prints "requests/s p50 p90 p99 non-2xx" (latencies in ms).
run_wrk() {
  "${wrk_cpu[@]}" wrk -t"$wrk_threads" -c64 -d"${duration}s" --latency -s bench/next_requests.lua \
    "http://127.0.0.1:$1" >"$2"
  awk '
    function ms(v) { if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000;
                     if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0;
                     if (v ~ /s$/)  return substr(v, 1, length(v) - 1) * 1000; return v }
    /Requests\/sec/ {r = $2} /^ +50%/ {p50 = ms($2)} /^ +90%/ {p90 = ms($2)} /^ +99%/ {p99 = ms($2)}
    /Non-2xx/ {bad = $4}
    END {printf "%.0f %.2f %.2f %.2f %d\n", r, p50, p90, p99, bad}' "$2"
}

echo "== $(nproc) cores, kernel $(uname -r); wrk -t$wrk_threads -c64 -d${duration}s --latency -s bench/next_requests.lua;" \
  "$users users, sessions of $([[ $session_length == 0 ]] && echo 'unbounded length' || echo "$session_length requests"); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== botify-server: $server_threads threads, ${log_flag:-logging on}, T1 $(grep -o '"T1": "[^"]*"' "$work/config.json"); nginx: worker_processes $nginx_workers;" \
  "$([[ $pinned == 1 ]] && echo 'servers on CPU 0, wrk on CPU 1' || echo 'no pinning')"
row() { printf '%-6s | %9s %7s %7s %7s | %9s %7s %7s %7s | %s\n' "$@"; }
row round botify p50 p90 p99 nginx p50 p90 p99 "botify/nginx"
: >"$work/rows"
for round in $(seq "$rounds"); do
  read -r b_rps b50 b90 b99 bbad < <(run_wrk "$botify_port" "$work/botify.$round.txt")
  read -r n_rps n50 n90 n99 nbad < <(run_wrk "$nginx_port" "$work/nginx.$round.txt")
  row "$round" "$b_rps" "$b50" "$b90" "$b99" "$n_rps" "$n50" "$n90" "$n99" \
    "$(awk -v b="$b_rps" -v n="$n_rps" 'BEGIN {printf "%.1f%%", 100 * b / n}')"
  echo "$b_rps $b50 $b90 $b99 $n_rps $n50 $n90 $n99" >>"$work/rows"
  if [[ "$bbad" != 0 || "$nbad" != 0 ]]; then echo "non-2xx responses: botify $bbad, nginx $nbad" >&2; fi
done
# Median of each column.
medians=()
for col in 1 2 3 4 5 6 7 8; do
  medians+=("$(awk -v c="$col" '{print $c}' "$work/rows" | sort -g |
    awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}')")
done
row median "${medians[@]}" "$(awk -v b="${medians[0]}" -v n="${medians[4]}" 'BEGIN {printf "%.1f%%", 100 * b / n}')"
echo "(requests/s; latencies in ms)"

if [[ $session == 1 ]]; then
  curl -s "http://127.0.0.1:$botify_port/metrics" | grep -E '^botify_session' || true
  echo "server RSS: $(awk '/VmRSS/ {print $2, $3}' "/proc/$server_pid/status")"
fi
kill -TERM "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
echo "events logged: $(cat "$work"/logs/sealed/*.jsonl 2>/dev/null | wc -l)"
