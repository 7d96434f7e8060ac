#!/usr/bin/env bash
# Fails, naming file:line, if a C++ source under the given folders spells the event log's
# file names or folder layout itself: the segment name prefix, the active/ and sealed/
# folders, the dot-files of a log folder. They belong to engine/eventlog/ (segment_name.h,
# log_layout.h), which server/ and tools/ use instead. Comment lines are skipped.
# Usage: log_names_check.sh DIR...
set -uo pipefail
(($# > 0)) || { echo "usage: $0 DIR..." >&2; exit 2; }
for dir in "$@"; do
  [[ -d $dir ]] || { echo "log_names_check: no folder $dir" >&2; exit 2; }
done
pattern='"events-|\.botify-(writer|segment|ship|seal)|/[[:space:]]*"(active|sealed)"|"(active|sealed)"[[:space:]]*([);+]|$)|(/|\{\}/)(active|sealed)[" ]|"/(active|sealed)'
hits=$(grep -rnE --include='*.cpp' --include='*.h' "$pattern" "$@" |
  grep -vE '^[^:]+:[0-9]+:[[:space:]]*//')
if [[ -n $hits ]]; then
  echo "event-log names or paths spelled outside engine/eventlog/ (use" \
    "engine/eventlog/log_layout.h and segment_name.h):"
  echo "$hits"
  exit 1
fi
echo "log_names_check: no event-log names or paths under $*"
