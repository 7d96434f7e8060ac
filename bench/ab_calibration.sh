#!/usr/bin/env bash
# A/A calibration of `botify ab` on logs the loop itself produces (docs/ab.md
# "Calibration"): botify-server serves Random to everyone, `botify sim` plays DAYS days of
# EPISODES episodes against it (the main job's day 1, repeated with seeds 1..DAYS), each day
# sealed and shipped to a folder of its own; then build/bench/ab_calibration re-randomises
# the users into arms with SPLITS salted hashes and reports false-positive rates, family-wise
# errors, sequential looks, CUPED's interval width and power.
#
# Usage: bench/ab_calibration.sh [build-dir] [work-dir]
#   env: DAYS=5 EPISODES=40000 SPLITS=2000 WORLD=dir (reuse a generated default world)
# The logs stay in work-dir/days (default /tmp/botify-ab-calibration), reused when present.
set -euo pipefail
case "${1:-}" in -h|--help) sed -n '2,11p' "$0"; exit 0 ;; esac
cd "$(dirname "$0")/.."
build=${1:-build}
work=${2:-/tmp/botify-ab-calibration}
days=${DAYS:-5}
episodes=${EPISODES:-40000}
splits=${SPLITS:-2000}
mkdir -p "$work"
work=$(cd "$work" && pwd)
server=""
trap '[[ -n "$server" ]] && kill "$server" 2>/dev/null; true' EXIT

if [[ ! -d "$work/days/day$days" ]]; then
  world=${WORLD:-$work/world}
  [[ -s "$world/users.json" ]] || "$build/botify" world gen --out "$world" >/dev/null
  rm -rf "$work/run" "$work/days"
  mkdir -p "$work/run" "$work/days"
  echo '{"experiments": []}' >"$work/run/config.json"
  "$build/botify-server" --db "$work/run/db" --tracks "$world/tracks.json" \
    --config "$work/run/config.json" --log-dir "$work/run/logs" --port 0 \
    --port-file "$work/run/port" --admin-port 0 --admin-port-file "$work/run/admin_port" \
    --admin-token-file "$work/run/token" >/dev/null 2>"$work/run/server.err" &
  server=$!
  for _ in $(seq 200); do [[ -s "$work/run/admin_port" ]] && break; sleep 0.05; done
  [[ -s "$work/run/admin_port" ]] || { cat "$work/run/server.err" >&2; exit 1; }
  admin=(--server "127.0.0.1:$(cat "$work/run/admin_port")" --token-file "$work/run/token")
  for day in $(seq "$days"); do
    echo "ab_calibration.sh: day $day of $days, $episodes episodes against Random" >&2
    "$build/botify" sim --world "$world" --port "$(cat "$work/run/port")" \
      --episodes "$episodes" --seed "$day" --no-progress >/dev/null
    "$build/botify" logs seal "${admin[@]}" >/dev/null
    "$build/botify" logs ship --from "$work/run/logs/sealed" --to "file://$work/days/day$day" \
      --delete >/dev/null
  done
  kill "$server"
  wait "$server" || true
  server=""
fi

day_flags=()
for day in $(seq "$days"); do day_flags+=(--day "$work/days/day$day"); done
"$build/bench/ab_calibration" "${day_flags[@]}" --splits "$splits"
