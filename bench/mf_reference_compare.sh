#!/usr/bin/env bash
# Trains `botify train mf` and a reference with the same hyperparameters on the same split
# of a synthetic planted log (bench/mf_generate_log.py) and prints the precision@10 curves
# side by side with their peaks (bench/mf_curve_table.py). The reference is the
# independent NumPy re-implementation (bench/mf_numpy_reference.py, the default; a pure
# Python loop, so small data only, no L2) or the real LightFM
# (bench/mf_lightfm_reference.py; LIGHTFM_PATH, default /tmp/lightfm, is a checkout built
# in place, see docs/trainers-mf.md). For BPR botify runs once per sampler
# (interactions, LightFM's, and uniform). Every run is single-threaded.
#
# Usage: bench/mf_reference_compare.sh [BUILD_DIR] [LOSS] [--reference numpy|lightfm]
#          [--epochs 10] [--components 16] [--learning-rate 0.05] [--max-sampled 10]
#          [--item-alpha 0] [--seeds "0"] [--every 1] [--users 1500] [--tracks 600]
#          [--groups 12] [--rows-per-user 30]
# Each seed gives its own split (botify's --seed seeds it) and initialisation; with several
# seeds the table shows the mean curves and every seed's peak.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
loss=${2:-warp}
shift $(($# < 2 ? $# : 2))
reference=numpy epochs=10 components=16 lr=0.05 max_sampled=10 item_alpha=0 seeds=0 every=1
users=1500 tracks=600 groups=12 rows_per_user=30
while (($#)); do
  case $1 in
    --reference) reference=$2 ;;
    --epochs) epochs=$2 ;;
    --components) components=$2 ;;
    --learning-rate) lr=$2 ;;
    --max-sampled) max_sampled=$2 ;;
    --item-alpha) item_alpha=$2 ;;
    --seeds) seeds=$2 ;;
    --every) every=$2 ;;
    --users) users=$2 ;;
    --tracks) tracks=$2 ;;
    --groups) groups=$2 ;;
    --rows-per-user) rows_per_user=$2 ;;
    *) echo "mf_reference_compare.sh: unknown flag $1" >&2; exit 2 ;;
  esac
  shift 2
done
py=${PYTHON:-/usr/bin/python3}
if [[ $reference == numpy && $item_alpha != 0 ]]; then
  echo "mf_reference_compare.sh: the NumPy reference has no L2; use --reference lightfm" >&2
  exit 2
fi
if [[ $reference == lightfm ]]; then
  export PYTHONPATH=${LIGHTFM_PATH:-/tmp/lightfm}${PYTHONPATH:+:$PYTHONPATH}
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/logs"
data=(--users "$users" --tracks "$tracks" --groups "$groups" --rows-per-user "$rows_per_user")
"$py" bench/mf_generate_log.py "$work/logs/events.jsonl" "${data[@]}"
hyper=(--loss "$loss" --components "$components" --learning-rate "$lr" --max-sampled
  "$max_sampled" --epochs "$epochs")
samplers=(default)
[[ $loss == bpr ]] && samplers=(interactions uniform)
echo "== $loss, $components components, lr $lr, max_sampled $max_sampled, item_alpha" \
  "$item_alpha, $epochs epochs, 1 thread; log: ${data[*]}; reference: $reference"
declare -A files  # curve name -> its output files, one per seed, comma-separated
names=()
add_curve() {
  [[ -z ${files[$1]:-} ]] && names+=("$1")
  files[$1]=${files[$1]:+${files[$1]},}$2
}
for seed in $seeds; do
  for sampler in "${samplers[@]}"; do
    flags=() name=botify
    [[ $sampler != default ]] && flags=(--bpr-sampler "$sampler") name="botify $sampler"
    out=$work/botify-$sampler-$seed.out
    # Patience from the last epoch on: every run trains all epochs.
    "$build/botify" train mf --logs "$work/logs" --out "$work/recs.jsonl" "${hyper[@]}" \
      --item-alpha "$item_alpha" --min-epochs "$epochs" --threads 1 --seed "$seed" \
      --allow-below-baseline --split-out "$work/split" "${flags[@]}" >"$out" 2>&1
    add_curve "$name" "$out"
  done
  grep -h "^popularity baseline" "$out" | sed "s/^/seed $seed: /"
  out=$work/reference-$seed.out
  case $reference in
    numpy)
      "$py" bench/mf_numpy_reference.py "$work/split" "${hyper[@]}" --seed "$seed" >"$out"
      add_curve NumPy "$out" ;;
    lightfm)
      "$py" bench/mf_lightfm_reference.py "$work/split" "${hyper[@]}" --item-alpha \
        "$item_alpha" --seed "$seed" --threads 1 >"$out"
      add_curve LightFM "$out" ;;
    *) echo "mf_reference_compare.sh: --reference numpy|lightfm" >&2; exit 2 ;;
  esac
done
curves=()
for name in "${names[@]}"; do curves+=("$name=${files[$name]}"); done
[[ $seeds == *" "* ]] && echo "(curves: the mean over seeds $seeds)"
"$py" bench/mf_curve_table.py "${curves[@]}" --every "$every"
