#!/usr/bin/env bash
# Fails, naming file:line, if a C++ source under the given folders renders recommendations
# file lines itself (catalog::AppendRecommendationsLine): the file (docs/contracts.md §6) has
# one writer, engine/catalog/recommendations_file_writer.h, which the trainers and the CLI
# use instead. engine/catalog/ itself is left out. Comment lines are skipped.
# Usage: recommendations_writer_check.sh DIR...
set -uo pipefail
(($# > 0)) || { echo "usage: $0 DIR..." >&2; exit 2; }
for dir in "$@"; do
  [[ -d $dir ]] || { echo "recommendations_writer_check: no folder $dir" >&2; exit 2; }
done
hits=$(grep -rnE --include='*.cpp' --include='*.h' 'AppendRecommendationsLine[[:space:]]*\(' "$@" |
  grep -vE '^([^:]*/)?engine/catalog/' | grep -vE '^[^:]+:[0-9]+:[[:space:]]*//')
if [[ -n $hits ]]; then
  echo "recommendations lines rendered outside engine/catalog/ (write them through" \
    "catalog::RecommendationsFileWriter, engine/catalog/recommendations_file_writer.h):"
  echo "$hits"
  exit 1
fi
echo "recommendations_writer_check: one writer of recommendations files under $*"
