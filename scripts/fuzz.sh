#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, docs/fuzzing.md) in build-fuzz/ and runs each one
# for SECONDS (default 15, about a minute for all four) from its seed corpus in
# fuzz/corpus/<target>/; fails if any target crashes, leaks, hangs or breaks a property.
# Usage: scripts/fuzz.sh [seconds-per-target]     (a longer run: scripts/fuzz.sh 600)
# Inputs a run finds are kept in build-fuzz/corpus/<target>/ (next runs start from them);
# an input that fails is saved as build-fuzz/artifacts/<target>-crash-<sha1>.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-15}
dir=build-fuzz
targets=(fuzz_event_line fuzz_recommendations_file fuzz_routing_config fuzz_http_request)
bash scripts/build.sh "$dir" -DBOTIFY_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++
mkdir -p "$dir/artifacts"
failed=()
for target in "${targets[@]}"; do
  mkdir -p "$dir/corpus/$target"
  log="$dir/artifacts/$target.log"
  # The first folder receives new inputs; the checked-in seeds are only read. -timeout is
  # seconds per input, -rss_limit_mb bounds the process (the machine is shared).
  if "$dir/fuzz/$target" "$dir/corpus/$target" "fuzz/corpus/$target" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$dir/artifacts/$target-" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    echo "fuzz: $target ok: $runs inputs in ${seconds}s, $cov"
  else
    echo "fuzz: $target FAILED; the last lines of $log:"
    tail -n 40 "$log"
    failed+=("$target")
  fi
done
if ((${#failed[@]})); then
  echo "fuzz: failed: ${failed[*]} (inputs in $dir/artifacts/)"
  exit 1
fi
