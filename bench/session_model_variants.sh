#!/usr/bin/env bash
# The session model's choices compared (docs/recommenders.md, "The session model"): each
# variant is trained with `botify train session` on the same logs, loaded into one real
# server as index "sm" (the previous variant's generation replaced), served to everyone as
# session_model:sm, and measured by `botify sim` (reward per session in simulator units,
# the same episodes for every variant).
#
# Usage: bench/session_model_variants.sh --logs DIR --world DIR [--build DIR]
#                                        [--episodes N] [--seed S] [--only "NAME ..."]
#   --logs: shipped logs to train on (e.g. a main job's out/hdfs after day 3); --world: the
#   world they were simulated on. Defaults: --build build --episodes 2000 --seed 0.
# Loopback only; bounded by variants x (training + N episodes).
set -euo pipefail
cd "$(dirname "$0")/.."
logs="" world="" build=build episodes=2000 seed=0 only=""
while (($#)); do
  case "$1" in
    --logs) logs=$2; shift 2 ;;
    --world) world=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --episodes) episodes=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "session_model_variants: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ -n $logs && -n $world ]] || { echo "session_model_variants: give --logs and --world" >&2; exit 2; }

# name|flags of `train session` (the defaults, then one change each).
variants=(
  "default|"
  "first-track-only|--surprise-weight 0"
  "fixed-weights|--surprise-weight 0 --like-weight 1 --skip-weight 0.25"
  "surprise-and-fixed|--like-weight 1 --skip-weight 0.25"
  "separate-context|--separate"
  "no-shared-artists|--no-artists"
  "dim-16|--dim 16"
  "plain-best-100|--all-artists"
  "plain-best-200|--all-artists --depth 200"
  "distinct-64-of-400|--depth 64"
)

work=$(mktemp -d /tmp/botify-variants.XXXXXX)
server_pid=""
trap '[[ -n $server_pid ]] && kill -TERM $server_pid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
source bench/lib.sh
ln -s "$(cd "$world" && pwd)" "$work/world"
bench_start_server "$build" "$work" '{"default": "session_model:sm"}'
server_pid=$!
admin=(--server "127.0.0.1:$(cat "$work/admin_port")" --token-file "$work/token")

echo "logs $logs; world $world; $episodes episodes, seed $seed; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| variant | train session flags | train s | validation log loss | reward per session (mean ± se) | steps |"
echo "|---|---|---:|---:|---:|---:|"
for v in "${variants[@]}"; do
  name=${v%%|*} flags=${v#*|}
  [[ -n $only && " $only " != *" $name "* ]] && continue
  start=$(date +%s.%N)
  # shellcheck disable=SC2086  # the flags are words
  "$build/botify" train session --logs "$logs" --tracks "$world/tracks.json" \
    --out "$work/sm.jsonl" --model-out "$work/sm.model" --validation-fraction 0.05 \
    $flags 2>"$work/train.err"
  seconds=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.0f", e - s}')
  loss=$(awk '/validation log loss/ {for (i = 1; i <= NF; i++) if ($i == "loss") v = $(i + 1)} END {print v}' "$work/train.err" | tr -d ',')
  "$build/botify" index build --recs "$work/sm.jsonl" --session-model "$work/sm.model" \
    --tracks "$world/tracks.json" --out "$work/sm.sst" >/dev/null 2>&1
  "$build/botify" index load --name sm --sst "$work/sm.sst" "${admin[@]}" >/dev/null
  read -r mean se steps < <("$build/botify" sim --world "$world" --port "$(cat "$work/port")" \
    --episodes "$episodes" --seed "$seed" --no-progress 2>&1 |
    awk -F'|' '$2 + 0 == 1 && $3 + 0 > 0 {split($4, r, "±"); split($5, s, "±");
      printf "%.2f %.2f %.1f\n", r[1], r[2], s[1]}')
  echo "| $name | ${flags:-(defaults)} | $seconds | $loss | $mean ± $se | $steps |"
done
