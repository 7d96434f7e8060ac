#!/usr/bin/env bash
# The sharded offline steps through scripts/botify_dask.py on a local Dask cluster (a
# dask-scheduler and --workers dask-worker processes on loopback, a local folder standing in
# for HDFS) beside the single-machine commands, on one day of --scale (docs/scale.md
# "Sharded offline steps"). Prints a markdown table: wall time and peak RSS of each
# single-machine command and of each shard (with the worker that ran it), and whether the
# merged output equals the single-machine one (cmp).
#
#   bash bench/dask_scale_bench.sh [--scale 10] [--workers 3] [--shards 3] [--work DIR]
#                                  [--botify build/botify] [--port 35786]
#
# The logs are bench/scale_bench.sh's (bench/ub_gen_log.py --last-every 8 for the trainers,
# bench/ab_generate_log.py --experiment USER_BASED for ab). The mf model is trained once
# (1 epoch, --eval-users 2000) and broadcast to the export shards as a file. train ub runs
# bounded (--candidates-per-track 10 --neighbours 50): the exact one does not finish at 10x
# on one machine (docs/scale.md).
set -euo pipefail
scale=10 workers=3 shards=3 work=/tmp/botify-dask-bench botify=build/botify port=35786
while (($#)); do
  case $1 in
    --scale) scale=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    --shards) shards=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --botify) botify=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "dask_scale_bench.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
case $scale in
  1) users=10000 tracks=50000 ;;
  10) users=100000 tracks=200000 ;;
  *) echo "dask_scale_bench.sh: --scale must be 1 or 10 (got $scale)" >&2; exit 2 ;;
esac
rows=$((300000 * scale))
botify=$(realpath "$botify")
rm -rf "$work" && mkdir -p "$work"
d=$work
echo "generating ${scale}x: $rows rows, $users users, $tracks tracks" >&2
/usr/bin/python3 bench/ub_gen_log.py --out "$d/logs" --users "$users" --tracks "$tracks" \
  --rows "$rows" --last-every 8 >/dev/null
/usr/bin/python3 bench/ab_generate_log.py --out "$d/ablog" --rows "$rows" --users "$users" \
  --experiment USER_BASED >/dev/null
/usr/bin/python3 - "$d/tracks.json" "$tracks" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for t in range(int(sys.argv[2])):
        f.write('{"track": %d, "artist": "artist %d", "title": "title %d"}\n' % (t, t % 5000, t))
PY

echo "| step | run | wall s | peak RSS MiB | note |"
echo "|---|---|---:|---:|---|"
# Runs a command under /usr/bin/time -v; prints a row.
measure() {
  local step=$1 run=$2; shift 2
  local t0 t1 log=$d/time.log
  t0=$(date +%s.%N)
  /usr/bin/time -v "$@" >"$d/last.out" 2>"$log" || { echo "| $step | $run | failed | | $(tail -1 "$log") |"; return 1; }
  t1=$(date +%s.%N)
  local rss
  rss=$(awk -F': ' '/Maximum resident/ {printf "%.0f", $2 / 1024}' "$log")
  printf '| %s | %s | %.1f | %s | |\n' "$step" "$run" "$(echo "$t1 - $t0" | bc)" "$rss"
}

"$botify" train mf --logs "$d/logs" --out "$d/mf_train.jsonl" --epochs 1 --min-epochs 1 \
  --eval-users 2000 --allow-below-baseline --model-out "$d/model.bin" >/dev/null 2>&1
ub_flags=(--candidates-per-track 10 --neighbours 50)
measure ab single "$botify" ab --logs "$d/ablog" --experiment USER_BASED --format json
cp "$d/last.out" "$d/ab_single.json"
measure "train ub (bounded)" single "$botify" train ub --logs "$d/logs" "${ub_flags[@]}" -q -o "$d/ub_single.jsonl"
measure "train mf-export" single "$botify" train mf-export --model "$d/model.bin" --out "$d/mf_single.jsonl"
measure "index build (ub lists)" single "$botify" index build --recs "$d/ub_single.jsonl" \
  --tracks "$d/tracks.json" --out "$d/ub_single.sst"
measure "index load --db" single "$botify" index load --name ub --sst "$d/ub_single.sst" \
  --db "$d/db_single" --tracks "$d/tracks.json"

# The cluster, started by hand as an operator would.
sched=tcp://127.0.0.1:$port
dask-scheduler --host 127.0.0.1 --port "$port" --no-dashboard >"$d/scheduler.log" 2>&1 &
pids=($!)
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
for ((w = 0; w < workers; w++)); do
  dask-worker "$sched" --nthreads 1 --no-nanny --no-dashboard --host 127.0.0.1 \
    --local-directory "$d/w$w" --name "w$w" >"$d/worker$w.log" 2>&1 &
  pids+=($!)
done
sleep 5
driver=(/usr/bin/python3 scripts/botify_dask.py --scheduler "$sched" --botify "$botify")
# Runs one driver job; prints its total row and one row per task.
through_driver() {
  local step=$1; shift
  measure "$step" "driver, $shards shards on $workers workers (total)" "${driver[@]}" "$@" || true
  grep '^task ' "$d/time.log" | while read -r _ name secs _ _ peak _ _ _ pid _; do
    printf '| %s | shard %s (worker pid %s) | %s | %s | |\n' "$step" "${name%:}" "${pid%,}" \
      "$secs" "$peak"
  done
}
through_driver ab --work "$d/work_ab" ab --shards "$shards" --logs "$d/ablog" --experiment USER_BASED --format json
cp "$d/last.out" "$d/ab_driver.json"
through_driver "train ub (bounded)" --work "$d/work_ub" ub --shards "$shards" --logs "$d/logs" --out "$d/ub_driver.jsonl" "${ub_flags[@]}"
through_driver "train mf-export" --work "$d/work_mf" mf-export --shards "$shards" --model "$d/model.bin" --out "$d/mf_driver.jsonl"
through_driver "index build (ub lists)" --work "$d/work_ix" index-build --parts "$shards" --recs "$d/ub_driver.jsonl" --tracks "$d/tracks.json" --out "$d/ub_parts"
parts=()
for ((i = 0; i < shards; i++)); do parts+=(--sst "$d/ub_parts.$i-of-$shards.sst"); done
measure "index load --db" "$shards parts, one generation" "$botify" index load --name ub "${parts[@]}" \
  --db "$d/db_parts" --tracks "$d/tracks.json"
for p in "${pids[@]:1}"; do
  echo "<!-- worker pid $p: VmHWM $(awk '/VmHWM/ {print $2, $3}' /proc/$p/status 2>/dev/null) -->"
done
same() { cmp -s "$1" "$2" && echo equal || echo DIFFERENT; }
echo
echo "ab report: $(same "$d/ab_single.json" "$d/ab_driver.json"); ub lists: $(same "$d/ub_single.jsonl" "$d/ub_driver.jsonl"); mf lists: $(same "$d/mf_single.jsonl" "$d/mf_driver.jsonl")"
