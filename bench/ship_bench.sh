#!/usr/bin/env bash
# Throughput of `botify logs ship` to a local folder (file://), plain and --gzip.
# Usage: bench/ship_bench.sh [BUILD_DIR] [SEGMENTS] [LINES_PER_SEGMENT] [REPEATS]
# Makes SEGMENTS sealed segments of docs/contracts.md §7 lines in a temp dir, ships them REPEATS times
# per mode (copying the segments back before each run) and prints the median wall time,
# MB/s of input and the upload size. Every run fsyncs each file, so the disk matters.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
segments=${2:-50}
lines=${3:-20000}
repeats=${4:-3}
cli="$build/botify"
work=$(mktemp -d /tmp/botify-ship-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/pristine"
python3 - "$work/pristine" "$segments" "$lines" <<'PY'
import json, random, sys
out, segments, lines = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(1)
for s in range(segments):
    with open(f"{out}/events-bench-20240219T{s // 60:02d}{s % 60:02d}00Z-0badf00d-{s:06d}.jsonl", "w") as f:
        for i in range(lines):
            last = rng.random() < 0.2
            f.write(json.dumps({"message": "last" if last else "next",
                                "timestamp": 1708329390469 + s * lines + i,
                                "user": rng.randrange(10000), "track": rng.randrange(50000),
                                "time": round(rng.random(), 2), "latency": rng.random() / 100,
                                "recommendation": None if last else rng.randrange(50000),
                                "experiments": {"USER_BASED": rng.choice(["C", "T1"])}}) + "\n")
PY
input_bytes=$(du -sb "$work/pristine" | cut -f1)
echo "input: $segments segments, $lines lines each, $input_bytes bytes; $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
for mode in plain gzip; do
  times=()
  for ((r = 0; r < repeats; r++)); do
    rm -rf "$work/sealed" "$work/out"
    cp -r "$work/pristine" "$work/sealed"
    flags=(--from "$work/sealed" --to "file://$work/out" --delete)
    [[ $mode == gzip ]] && flags+=(--gzip)
    start=$(date +%s.%N)
    "$cli" logs ship "${flags[@]}" 2>/dev/null
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((repeats + 1) / 2))p")
  out_bytes=$(du -sb "$work/out" | cut -f1)
  printf '%-5s median %.3f s over %d runs (%s), %.1f MB/s input, %d bytes uploaded\n' \
    "$mode" "$median" "$repeats" "${times[*]}" "$(echo "$input_bytes / $median / 1000000" | bc -l)" \
    "$out_bytes"
done
