#!/usr/bin/env bash
# clang-format (the Debian package's clang-format-14, style in .clang-format) over every
# C++ file git tracks. Usage: scripts/format.sh           rewrite the files in place
#                             scripts/format.sh --check   list unformatted files, exit 1
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.h' '*.cpp')
if [[ "${1:-}" == --check ]]; then
  # One process for all files; each difference is reported as "<file>:<line>:<col>: ...".
  if ! out=$(clang-format --dry-run --Werror "${files[@]}" 2>&1); then
    mapfile -t bad < <(grep -oE '^[^:]+\.(h|cpp):[0-9]+' <<<"$out" | cut -d: -f1 | sort -u)
    echo "format: ${#bad[@]} file(s) differ from .clang-format (fix: bash scripts/format.sh):"
    printf '  %s\n' "${bad[@]}"
    exit 1
  fi
  echo "format: ${#files[@]} files ok"
else
  clang-format -i "${files[@]}"
fi
