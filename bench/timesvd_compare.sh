#!/usr/bin/env bash
# Static vs time-aware item bias online (issue 18, docs/trainers-mf.md "A time-aware item
# bias"): one `botify sim` run of DAYS days against botify-server; day 1 is served by
# Random, and between days (`sim --between-days`) the logs are sealed and shipped, two
# models are retrained on every shipped day -- C: `train mf --item-bias static`, T1: the
# same with the time-aware bias -- and hot-loaded as the arms of experiment TIMESVD.
# At the end: `botify ab` on TIMESVD and the per-epoch precision@10 of every retrain.
#
# Usage: bench/timesvd_compare.sh [--drift|--no-drift] [--form binned|drift] [--days N]
#          [--episodes N] [--preset default|small] [--epochs N] [--time-flags "FLAGS"]
#          [--out DIR] [--build DIR]
# Defaults: --drift, binned, 5 days, 20000 episodes/day, default world, 30 epochs,
# time flags "--bin-learning-rate 0.05 --bin-alpha 0.001 --drift-learning-rate 0.05
# --drift-alpha 0.001" (T1 only), out/timesvd-{drift,static}, build.
set -euo pipefail
cd "$(dirname "$0")/.."

drift=1 form=binned days=5 episodes=20000 preset=default epochs=30 out="" build=build
time_flags="--bin-learning-rate 0.05 --bin-alpha 0.001 --drift-learning-rate 0.05 --drift-alpha 0.001"
while (($#)); do
  case "$1" in
    --drift) drift=1; shift ;;
    --no-drift) drift=0; shift ;;
    --form) form=$2; shift 2 ;;
    --days) days=$2; shift 2 ;;
    --episodes) episodes=$2; shift 2 ;;
    --preset) preset=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --time-flags) time_flags=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "timesvd_compare: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ -n $out ]] || out=out/timesvd-$( ((drift)) && echo drift || echo static)
botify=$(cd "$build" && pwd)/botify
server_bin=$(cd "$build" && pwd)/botify-server
mkdir -p "$out"
out=$(cd "$out" && pwd)
world=$out/world run=$out/run hdfs=$out/hdfs
rm -rf "$run" "$hdfs" "$world"
mkdir -p "$run/recs" "$hdfs"

world_flags=() sim_flags=()
if ((drift)); then
  # Releases spread over the simulated days, so that each retrain meets new ones.
  world_flags=(--drift --drift-release-window-days "$days")
  sim_flags=(--drift)
fi
echo "\$ botify world gen --out $world --preset $preset ${world_flags[*]}" >&2
"$botify" world gen --out "$world" --preset "$preset" "${world_flags[@]}"

"$server_bin" --db "$run/db" --tracks "$world/tracks.json" --log-dir "$run/logs" --port 0 \
  --port-file "$run/port" --admin-port 0 --admin-port-file "$run/admin_port" \
  --admin-token-file "$run/admin.token" >"$run/server.out" 2>"$run/server.err" &
server_pid=$!
trap 'kill -TERM $server_pid 2>/dev/null; wait $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 200); do [[ -s "$run/admin_port" ]] && break; sleep 0.05; done
[[ -s "$run/admin_port" ]] || { cat "$run/server.err" >&2; exit 1; }

# The step between days, run by the simulator: ship, retrain both models on every shipped
# day, load them, route TIMESVD. Model parameters: the main job's search pick (warp, 50
# components, lr 0.01, max_sampled 50, item_alpha 1e-4). Time bins of the time-aware model
# are the simulated days: stretches of activity split at the retraining pause (> 5 s).
cat >"$run/between.sh" <<SH
#!/usr/bin/env bash
set -euo pipefail
admin=(--server 127.0.0.1:\$(cat "$run/admin_port") --token-file "$run/admin.token")
day=\$(( \$(cat "$run/day" 2>/dev/null || echo 0) + 1 ))
echo \$day >"$run/day"
"$botify" logs seal "\${admin[@]}" >&2
"$botify" logs ship --from "$run/logs/sealed" --to "file://$hdfs" --delete >&2
common=(--logs "$hdfs" --loss warp --components 50 --learning-rate 0.01 --max-sampled 50
  --item-alpha 0.0001 --epochs $epochs --min-epochs $epochs --allow-below-baseline)
for arm in static $form; do
  extra=(); [[ \$arm == static ]] || extra=($time_flags)
  "$botify" train mf "\${common[@]}" --item-bias \$arm --bias-bin-gap-seconds 5 "\${extra[@]}" \
    --out "$run/recs/\$arm.jsonl" 2>"$run/train-\$arm-day\$day.log" >"$run/train-\$arm-day\$day.out"
  "$botify" index build --recs "$run/recs/\$arm.jsonl" --tracks "$world/tracks.json" \
    --out "$run/recs/\$arm-\$day.sst" >&2
  "$botify" index load --name \$arm --sst "$run/recs/\$arm-\$day.sst" "\${admin[@]}" >&2
done
cat >"$run/TIMESVD.json" <<JSON
{"experiments": [{"name": "TIMESVD", "split": 2,
  "arms": {"C": "indexed:static", "T1": "indexed:$form"}}], "routing": "TIMESVD"}
JSON
"$botify" config push --file "$run/TIMESVD.json" "\${admin[@]}" >&2
SH
chmod +x "$run/between.sh"

echo "\$ botify sim --world $world --port \$(cat $run/port) --episodes $episodes --days $days ${sim_flags[*]} --between-days $run/between.sh --no-progress" >&2
"$botify" sim --world "$world" --port "$(cat "$run/port")" --episodes "$episodes" --days "$days" \
  "${sim_flags[@]}" --between-days "$run/between.sh" --no-progress | tee "$out/sim.md"
admin=(--server "127.0.0.1:$(cat "$run/admin_port")" --token-file "$run/admin.token")
"$botify" logs seal "${admin[@]}" >&2
"$botify" logs ship --from "$run/logs/sealed" --to "file://$hdfs" --delete >&2

echo
echo "== TIMESVD (C = indexed:static, T1 = indexed:$form), days 2..$days"
"$botify" ab --logs "$hdfs" --experiment TIMESVD --format markdown | tee "$out/TIMESVD.md"
echo
echo "== precision@10 per epoch of the last retrain (after day $((days - 1)))"
last=$((days - 1))
python3 - "$run/train-static-day$last.log" "$run/train-$form-day$last.log" <<'PY'
import re, sys
curves = []
for path in sys.argv[1:]:
    curves.append([float(m.group(1)) for m in re.finditer(r"^epoch \d+/\d+: precision@10 ([0-9.]+)", open(path).read(), re.M)])
print("| epoch | C static | T1 time-aware |")
print("|---:|---:|---:|")
for e in range(max(map(len, curves))):
    print("| %d | %s |" % (e + 1, " | ".join("%.4f" % c[e] if e < len(c) else "" for c in curves)))
PY
echo
echo "== final precision@10 of every retrain (model line of train mf)"
for d in $(seq 1 $last); do
  for arm in static $form; do echo "after day $d, $arm: $(head -1 "$run/train-$arm-day$d.out")"; done
done
