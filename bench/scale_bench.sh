#!/usr/bin/env bash
# The offline loop's cost curve (issue 17, item 2): synthetic logs at 1x, 10x, 100x the
# default day, and wall time and peak memory (/usr/bin/time -v) of every offline tool.
#
# Usage: bench/scale_bench.sh [--build DIR] [--scales "1 10"] [--work DIR] [--limit S]
#                             [--mf-epochs N] [--ctx-epochs N] [--session-epochs N]
#                             [--tools "ub mf contextual session ab index"]
#   scale 1x = 300,000 rows, 10,000 users, 50,000 tracks (the default world's day);
#   10x = 3M rows, 100k users, 200k tracks; 100x = 30M rows, 1M users, 500k tracks.
#   Logs come from bench/ub_gen_log.py --last-every 8 (sessions of ~8 rows; train ub, mf,
#   contextual, index build|load) and
#   bench/ab_generate_log.py (ab). Every tool run is bounded by --limit seconds
#   (default 1200; a run cut short is reported as "timeout"). Defaults: --mf-epochs 5,
#   --ctx-epochs 2 (per-epoch costs; the pipeline's full runs take more epochs),
#   --session-epochs 10 (train session as the pipeline runs it: exact ranking at 1x, at
#   larger scales bounded with --ann-clusters ~sqrt(tracks) --ann-probe 16). --tools picks
#   the tools to measure (default: all).
# Prints one markdown row per tool and scale, with the CPU time (user + sys) and the
# machine's 1-minute load average at the start and end of the run beside the wall time:
# on a shared machine the wall time is an upper bound and the CPU time the steadier one.
set -euo pipefail
cd "$(dirname "$0")/.."
build=build scales="1 10" work="" limit=1200 mf_epochs=5 ctx_epochs=2 session_epochs=10
tools="ub mf contextual session ab index"
while (($#)); do
  case $1 in
    --build) build=$2; shift 2 ;;
    --scales) scales=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --limit) limit=$2; shift 2 ;;
    --mf-epochs) mf_epochs=$2; shift 2 ;;
    --ctx-epochs) ctx_epochs=$2; shift 2 ;;
    --session-epochs) session_epochs=$2; shift 2 ;;
    --tools) tools=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "scale_bench.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ -n $work ]] || { work=$(mktemp -d /tmp/botify-scale.XXXXXX); trap 'rm -rf "$work"' EXIT; }
botify="$build/botify"

# wanted TOOL: true if --tools names it.
wanted() { [[ " $tools " == *" $1 "* ]]; }

# measure SCALE TOOL CMD...: runs CMD under /usr/bin/time -v and `timeout`, prints a row.
measure() {
  local scale=$1 tool=$2 t="$work/time.$1.$2"
  shift 2
  local code=0 load
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -v -o "$t" timeout "$limit" "$@" >"$work/out.$scale.$tool" 2>&1 || code=$?
  load+=" / $(cut -d' ' -f1 /proc/loadavg)"
  local wall rss cpu
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0;
    for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.1f", s}' "$t")
  cpu=$(awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {printf "%.1f", u + s}' "$t")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$t")
  local note=""
  ((code == 124)) && note="timeout after ${limit} s"
  ((code != 0 && code != 124)) && note="exit $code: $(tail -n 1 "$work/out.$scale.$tool")"
  printf '| %sx | %s | %s | %s | %s | %s | %s |\n' "$scale" "$tool" "$wall" "$cpu" "$rss" "$load" "$note"
}

echo "| scale | tool | wall s | cpu s | peak RSS MiB | load start / end | note |"
echo "|---|---|---:|---:|---:|---|---|"
for scale in $scales; do
  case $scale in
    1) users=10000 tracks=50000 ;;
    10) users=100000 tracks=200000 ;;
    100) users=1000000 tracks=500000 ;;
    *) echo "scale_bench.sh: scale must be 1, 10 or 100 (got $scale)" >&2; exit 2 ;;
  esac
  rows=$((300000 * scale))
  d="$work/x$scale"
  mkdir -p "$d"
  /usr/bin/python3 bench/ub_gen_log.py --out "$d/logs" --users "$users" --tracks "$tracks" --rows "$rows" --last-every 8 >/dev/null
  /usr/bin/python3 bench/ab_generate_log.py --out "$d/ablog" --rows "$rows" --users "$users" --experiment AB >/dev/null
  /usr/bin/python3 - "$d/tracks.json" "$tracks" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for t in range(int(sys.argv[2])):
        f.write('{"track": %d, "artist": "artist %d", "title": "title %d"}\n' % (t, t % 5000, t))
PY
  echo "<!-- ${scale}x: $rows rows, $users users, $tracks tracks; logs $(du -sh "$d/logs" | cut -f1) gzip -->"
  wanted ub && measure "$scale" "train ub" "$botify" train ub --logs "$d/logs" --out "$d/ub.jsonl"
  wanted mf && measure "$scale" "train mf ($mf_epochs epochs)" "$botify" train mf --logs "$d/logs" \
    --out "$d/mf.jsonl" --epochs "$mf_epochs" --min-epochs "$mf_epochs" --allow-below-baseline
  wanted contextual && measure "$scale" "train contextual ($ctx_epochs epochs)" "$botify" \
    train contextual --logs "$d/logs" --tracks "$d/tracks.json" --out "$d/ctx.jsonl" \
    --epochs "$ctx_epochs"
  if wanted session; then
    ann=()
    ((scale > 1)) && ann=(--ann-clusters "$(awk -v t="$tracks" 'BEGIN {printf "%d", sqrt(t)}')" --ann-probe 16)
    measure "$scale" "train session ($session_epochs epochs${ann:+, ${ann[*]}})" "$botify" \
      train session --logs "$d/logs" --tracks "$d/tracks.json" --out "$d/sm.jsonl" \
      --model-out "$d/sm.model" --epochs "$session_epochs" "${ann[@]}"
  fi
  wanted ab && measure "$scale" "ab" "$botify" ab --logs "$d/ablog" --experiment AB --format json
  if wanted index && [[ -s $d/ub.jsonl ]]; then
    measure "$scale" "index build (ub lists)" "$botify" index build --recs "$d/ub.jsonl" \
      --tracks "$d/tracks.json" --out "$d/ub.sst"
    measure "$scale" "index load --db" "$botify" index load --name ub --sst "$d/ub.sst" \
      --db "$d/db" --tracks "$d/tracks.json"
  fi
  rm -rf "$d"
done
