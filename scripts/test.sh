#!/usr/bin/env bash
# The README's test command: installs dependencies, checks formatting (scripts/format.sh),
# builds (warnings on), runs every test, then the fuzzers for about a minute (scripts/fuzz.sh).
# BOTIFY_SANITIZE=1 builds and runs the suite under ASan+UBSan in build-asan/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# Formatting first: it takes seconds and needs no build.
bash scripts/format.sh --check
if [[ "${BOTIFY_SANITIZE:-0}" == 1 ]]; then
  dir=build-asan
  bash scripts/build.sh "$dir" -DBOTIFY_SANITIZE=ON -DBOTIFY_BENCHMARKS=OFF
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
else
  dir=build
  bash scripts/build.sh "$dir"
fi
(cd "$dir" && ctest --output-on-failure --timeout 900 -j1)
# Clang's thread-safety analysis over the whole tree (the fuzz build covers only part).
bash scripts/thread_safety.sh "$dir"
# The fuzzers, briefly (about a minute; docs/fuzzing.md), in their own clang build.
if [[ "${BOTIFY_SANITIZE:-0}" != 1 ]]; then
  bash scripts/fuzz.sh
fi
