#!/usr/bin/env bash
# Hot-loading a large index into a running botify-server: uploaded (`botify index load
# --sst`, the SST travels in the request body) against imported from the host's disk
# (`botify index load --import`, botify-server --admin-import-dir). Prints wall time and
# peak memory of the client and of the server for each, as a markdown table.
#
# Usage: bench/index_import_bench.sh [--build DIR] [--lists N] [--tracks T] [--work DIR]
#   Defaults: --lists 1000000 --tracks 500000 (the 100x scale of docs/scale.md): random
#   lists of 100 tracks, built once with `botify index build` (~53 s, a ~420 MB SST).
#   The server listens on 127.0.0.1 (ports picked by the kernel) and is stopped at the end.
#   The import runs first: the server's peak RSS (VmHWM) only grows, so the upload's
#   figure is read after it.
set -euo pipefail
cd "$(dirname "$0")/.."
build=build lists=1000000 tracks=500000 work=""
while (($#)); do
  case $1 in
    --build) build=$2; shift 2 ;;
    --lists) lists=$2; shift 2 ;;
    --tracks) tracks=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "index_import_bench.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ -n $work ]] || { work=$(mktemp -d /tmp/botify-import.XXXXXX); trap 'rm -rf "$work"' EXIT; }
botify="$build/botify"
mkdir -p "$work/import"

if [[ ! -s $work/import/ub.sst ]]; then
  /usr/bin/python3 - "$work" "$lists" "$tracks" <<'PY'
import random, sys
work, lists, tracks = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(f"{work}/tracks.json", "w") as f:
    for t in range(tracks):
        f.write('{"track": %d, "artist": "artist %d", "title": "title %d"}\n' % (t, t % 5000, t))
rng = random.Random(1)
with open(f"{work}/recs.jsonl", "w") as f:
    for u in range(lists):
        f.write('{"user": %d, "tracks": [%s]}\n' % (u, ", ".join(map(str, rng.sample(range(tracks), 100)))))
PY
  "$botify" index build --recs "$work/recs.jsonl" --tracks "$work/tracks.json" \
    --out "$work/import/ub.sst" >/dev/null
  rm -f "$work/recs.jsonl"
fi
sst_mb=$(( $(stat -c %s "$work/import/ub.sst") / 1000000 ))

rm -rf "$work/db" "$work/db.staging" "$work/token"
"$build/botify-server" --db "$work/db" --tracks "$work/tracks.json" --no-log --port 0 \
  --admin-port 0 --port-file "$work/port" --admin-port-file "$work/admin_port" \
  --admin-token-file "$work/token" --admin-import-dir "$work/import" \
  --admin-body-limit 4000000000 >"$work/server.out" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 300); do [[ -s $work/admin_port ]] && break; sleep 0.1; done
[[ -s $work/admin_port ]] || { cat "$work/server.out" >&2; exit 1; }
admin="127.0.0.1:$(cat "$work/admin_port")"

hwm_mib() { awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$server/status"; }

# load MODE ARGS...: one `botify index load` under /usr/bin/time, a table row.
load() {
  local mode=$1
  shift
  local before
  before=$(hwm_mib)
  /usr/bin/time -v -o "$work/time" "$botify" index load --name ub "$@" --server "$admin" \
    --token-file "$work/token" --timeout 600 >"$work/load.out"
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0;
    for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.1f", s}' "$work/time")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$work/time")
  printf '| %s | %s MB | %s s | %s MiB | %s -> %s MiB |\n' "$mode" "$sst_mb" "$wall" "$rss" \
    "$before" "$(hwm_mib)"
}

echo "| load | SST | wall | client peak RSS | server peak RSS (before -> after) |"
echo "|---|---:|---:|---:|---|"
load "--import ub.sst" --import ub.sst
load "--sst (upload)" --sst "$work/import/ub.sst"
