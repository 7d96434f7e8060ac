#!/usr/bin/env bash
# Every dense ranking, old code vs new, side by side in one run (issue 33): the MF top-100
# export (exact and bounded), the MF evaluation, and the contextual lists (exact and
# bounded), at 1x, 10x and 100x the default day, with wall time, CPU time, peak memory, the
# machine's load beside each row, and the recall of every list against the exact lists.
#
# Usage: bench/dense_bench.sh --old DIR [--new DIR] [--scales "1 10 100"] [--work DIR]
#                             [--only mf|ctx|eval] [--hnsw-scales "1 10 100"] [--limit S]
#                             [--reuse]
#   --old: a build of the code before (its `botify`), e.g. built from main's commit in a
#   separate tree; --new: this tree's build (default build). Logs as bench/scale_bench.sh
#   (bench/ub_gen_log.py --last-every 8; 1x 300,000 rows, 10,000 users, 50,000 tracks;
#   10x 3 M, 100 k, 200 k; 100x 30 M, 1 M, 500 k), kept in --work/x<S> and reused.
#   The MF model is trained once per scale by the new build (5 epochs, --eval-users 2000,
#   --model-out) and both builds export it. Bounded settings: C ~ sqrt(tracks) cells;
#   the old build's --export-clusters/--ann-clusters with the same C and P.
#   Every run is bounded by --limit seconds (default 3600; cut short: "timeout").
#   --hnsw-scales: the scales whose hnsw rows run (default all; at 100x the MF one is slow).
#   --reuse: runs that finished before in --work (exit 0) are read back, not run again.
#   ivf-flat rows: the ivf cells scanned by faiss's IndexIVFFlat instead of BLAS, at the
#   probe of the MF row that reaches recall 0.95 (64 of 137, 192 of 596) and contextual 32.
# Prints markdown rows: | scale | ranking | code | wall s | cpu s | peak MiB | load at
# start / end | recall@100 of the exact lists | same first | identical lists |.
# Recall of the new exact lists is against the old exact lists (bench/list_recall.py,
# with --mf-model: lists that differ are checked to differ only at near-ties).
set -euo pipefail
cd "$(dirname "$0")/.."
old="" new=build scales="1 10 100" work="" only="" limit=3600 hnsw_scales="1 10 100" reuse=0
while (($#)); do
  case $1 in
    --old) old=$2; shift 2 ;;
    --new) new=$2; shift 2 ;;
    --scales) scales=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --limit) limit=$2; shift 2 ;;
    --hnsw-scales) hnsw_scales=$2; shift 2 ;;
    --reuse) reuse=1; shift ;;
    -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
    *) echo "dense_bench.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ -x $old/botify ]] || { echo "dense_bench.sh: --old DIR must hold a built botify" >&2; exit 2; }
[[ -x $new/botify ]] || { echo "dense_bench.sh: --new DIR must hold a built botify" >&2; exit 2; }
[[ -n $work ]] || { work=$(mktemp -d /tmp/botify-dense.XXXXXX); trap 'rm -rf "$work"' EXIT; }
py=/usr/bin/python3
load() { cut -d' ' -f1 /proc/loadavg; }

# run SCALE NAME CODE CMD...: runs CMD under /usr/bin/time -v and `timeout`; sets WALL,
# CPU, RSS, LOAD (start / end) and NOTE, keeps the output in $work/x$SCALE/NAME.CODE.out
# and the load in NAME.CODE.load. With --reuse, a run that finished (exit 0, its .time and
# .load kept) is not run again: its row is read back.
run() {
  local scale=$1 name=$2 code=$3
  shift 3
  local base="$work/x$scale/$name.$code" rc=0 start
  if ((reuse)) && [[ -s $base.load ]] && grep -q 'Exit status: 0' "$base.time" 2>/dev/null; then
    LOAD=$(cat "$base.load")
  else
    start=$(load)
    /usr/bin/time -v -o "$base.time" timeout "$limit" "$@" >"$base.out" 2>&1 || rc=$?
    LOAD="$start / $(load)"
    echo "$LOAD" >"$base.load"
  fi
  WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0;
    for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.1f", s}' "$base.time")
  CPU=$(awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {printf "%.1f", u + s}' "$base.time")
  RSS=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$base.time")
  NOTE=""
  ((rc == 124)) && NOTE="timeout after ${limit} s"
  ((rc != 0 && rc != 124)) && NOTE="exit $rc: $(tail -n 1 "$base.out")"
  return 0
}

# ranking_seconds SCALE NAME CODE: " (ranking N s)" from a `train contextual` output.
ranking_seconds() {
  local s
  s=$(grep -o 'per track (.*) in [0-9.]* s' "$work/x$1/$2.$3.out" | grep -o '[0-9.]* s$' || true)
  [[ -n $s ]] && echo " (ranking $s)"
  return 0
}

# row SCALE RANKING CODE [EXACT APPROX [MODEL]]: prints the last run's row, with the
# recall of APPROX against EXACT when given.
row() {
  local scale=$1 ranking=$2 code=$3 recall="" first="" same=""
  if [[ -n ${4:-} && -s ${5:-} && -z $NOTE ]]; then
    local r
    r=$($py bench/list_recall.py --exact "$4" --approx "$5" ${6:+--mf-model "$6"})
    recall=$(sed -E 's/.*recall@100 ([0-9.]+).*/\1/' <<<"$r")
    first=$(sed -E 's/.*same first ([0-9.]+).*/\1/' <<<"$r")
    same=$(sed -E 's/.*identical ([0-9.]+).*/\1/' <<<"$r")
    [[ $r == *"beyond near-ties"* ]] && same+=" ($(sed -E 's/.*differing beyond near-ties: ([0-9]+).*/\1/' <<<"$r") beyond near-ties)"
  fi
  printf '| %sx | %s | %s | %s | %s | %s | %s | %s | %s | %s |%s\n' "$scale" "$ranking" "$code" \
    "$WALL" "$CPU" "$RSS" "$LOAD" "$recall" "$first" "$same" "${NOTE:+ $NOTE}"
}

echo "| scale | ranking | code | wall s | cpu s | peak MiB | load start / end | recall@100 | same first | identical |"
echo "|---|---|---|---:|---:|---:|---|---:|---:|---|"
for scale in $scales; do
  case $scale in
    1) users=10000 tracks=50000 mf_cells=137 ctx_cells=224 mf_flat_probe=64 ;;
    10) users=100000 tracks=200000 mf_cells=137 ctx_cells=447 mf_flat_probe=64 ;;
    100) users=1000000 tracks=500000 mf_cells=596 ctx_cells=707 mf_flat_probe=192 ;;
    *) echo "dense_bench.sh: scale must be 1, 10 or 100 (got $scale)" >&2; exit 2 ;;
  esac
  d="$work/x$scale"
  mkdir -p "$d"
  if [[ ! -d $d/logs ]]; then
    $py bench/ub_gen_log.py --out "$d/logs" --users "$users" --tracks "$tracks" \
      --rows $((300000 * scale)) --last-every 8 >/dev/null
  fi
  if [[ ! -s $d/tracks.json ]]; then
    $py - "$d/tracks.json" "$tracks" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for t in range(int(sys.argv[2])):
        f.write('{"track": %d, "artist": "artist %d", "title": "title %d"}\n' % (t, t % 5000, t))
PY
  fi
  if [[ -z $only || $only == mf ]]; then
    if [[ ! -s $d/mf.bin ]]; then
      "$new/botify" train mf --logs "$d/logs" --epochs 5 --min-epochs 5 --allow-below-baseline \
        --eval-users 2000 --model-out "$d/mf.bin" --out "$d/mf-train.jsonl" >"$d/mf-train.out" 2>&1
    fi
    m=(train mf-export --model "$d/mf.bin" --threads 2)
    run "$scale" mf-exact old "$old/botify" "${m[@]}" --out "$d/mf-exact.old.jsonl"
    row "$scale" "mf export, exact" old
    run "$scale" mf-exact new "$new/botify" "${m[@]}" --out "$d/mf-exact.new.jsonl"
    row "$scale" "mf export, exact" new "$d/mf-exact.old.jsonl" "$d/mf-exact.new.jsonl" "$d/mf.bin"
    for p in 32 64; do
      run "$scale" "mf-c$p" old "$old/botify" "${m[@]}" --out "$d/mf-c$p.old.jsonl" \
        --export-clusters "$mf_cells" --export-probe "$p"
      row "$scale" "mf export, $p of $mf_cells clusters" old "$d/mf-exact.new.jsonl" "$d/mf-c$p.old.jsonl"
    done
    for p in 32 64 128 192; do
      ((p <= mf_cells)) || continue
      run "$scale" "mf-ivf$p" new "$new/botify" "${m[@]}" --out "$d/mf-ivf$p.new.jsonl" \
        --export-index ivf --export-clusters "$mf_cells" --export-probe "$p"
      row "$scale" "mf export, ivf $p of $mf_cells cells" new "$d/mf-exact.new.jsonl" "$d/mf-ivf$p.new.jsonl"
    done
    p=$mf_flat_probe
    run "$scale" "mf-flat$p" new "$new/botify" "${m[@]}" --out "$d/mf-flat$p.new.jsonl" \
      --export-index ivf-flat --export-clusters "$mf_cells" --export-probe "$p"
    row "$scale" "mf export, ivf-flat $p of $mf_cells cells (faiss scan)" new "$d/mf-exact.new.jsonl" \
      "$d/mf-flat$p.new.jsonl"
    for ef in 128 256; do
      [[ " $hnsw_scales " == *" $scale "* ]] || continue
      run "$scale" "mf-hnsw$ef" new "$new/botify" "${m[@]}" --out "$d/mf-hnsw$ef.new.jsonl" \
        --export-index hnsw --export-hnsw-m 16 --export-ef-search "$ef"
      row "$scale" "mf export, hnsw M 16 efSearch $ef" new "$d/mf-exact.new.jsonl" "$d/mf-hnsw$ef.new.jsonl"
    done
  fi
  if [[ -z $only || $only == eval ]]; then
    # One epoch, every test user evaluated (the model, the popularity baseline): the
    # evaluation's time is the "eval N ms" of the epoch line.
    for code in old new; do
      b=$old
      [[ $code == new ]] && b=$new
      run "$scale" mf-eval "$code" "$b/botify" train mf --logs "$d/logs" --epochs 1 --min-epochs 1 \
        --allow-below-baseline --out "$d/mf-eval.$code.jsonl"
      ms=$(grep -o 'eval [0-9]* ms' "$d/mf-eval.$code.out" | head -1 || true)
      row "$scale" "mf evaluation, 1 epoch, every test user (${ms:-?})" "$code"
    done
  fi
  if [[ -z $only || $only == ctx ]]; then
    c=(train contextual --logs "$d/logs" --tracks "$d/tracks.json" --epochs 2 --threads 2)
    run "$scale" ctx-exact old "$old/botify" "${c[@]}" --out "$d/ctx-exact.old.jsonl"
    row "$scale" "contextual, exact$(ranking_seconds "$scale" ctx-exact old)" old
    run "$scale" ctx-exact new "$new/botify" "${c[@]}" --out "$d/ctx-exact.new.jsonl"
    row "$scale" "contextual, exact$(ranking_seconds "$scale" ctx-exact new)" new \
      "$d/ctx-exact.old.jsonl" "$d/ctx-exact.new.jsonl"
    run "$scale" ctx-c16 old "$old/botify" "${c[@]}" --out "$d/ctx-c16.old.jsonl" \
      --ann-clusters "$ctx_cells" --ann-probe 16
    row "$scale" "contextual, 16 of $ctx_cells clusters$(ranking_seconds "$scale" ctx-c16 old)" old \
      "$d/ctx-exact.new.jsonl" "$d/ctx-c16.old.jsonl"
    for p in 16 32; do
      run "$scale" "ctx-ivf$p" new "$new/botify" "${c[@]}" --out "$d/ctx-ivf$p.new.jsonl" \
        --ann-index ivf --ann-clusters "$ctx_cells" --ann-probe "$p"
      row "$scale" "contextual, ivf $p of $ctx_cells cells$(ranking_seconds "$scale" "ctx-ivf$p" new)" \
        new "$d/ctx-exact.new.jsonl" "$d/ctx-ivf$p.new.jsonl"
    done
    run "$scale" ctx-flat32 new "$new/botify" "${c[@]}" --out "$d/ctx-flat32.new.jsonl" \
      --ann-index ivf-flat --ann-clusters "$ctx_cells" --ann-probe 32
    row "$scale" "contextual, ivf-flat 32 of $ctx_cells cells (faiss scan)$(ranking_seconds "$scale" ctx-flat32 new)" \
      new "$d/ctx-exact.new.jsonl" "$d/ctx-flat32.new.jsonl"
    [[ " $hnsw_scales " == *" $scale "* ]] && run "$scale" ctx-hnsw new "$new/botify" "${c[@]}" --out "$d/ctx-hnsw.new.jsonl" \
      --ann-index hnsw --ann-hnsw-m 16 --ann-ef-search 128
    [[ " $hnsw_scales " == *" $scale "* ]] &&
      row "$scale" "contextual, hnsw M 16 efSearch 128$(ranking_seconds "$scale" ctx-hnsw new)" new \
        "$d/ctx-exact.new.jsonl" "$d/ctx-hnsw.new.jsonl"
  fi
done
