#!/usr/bin/env bash
# Reward per session in simulator units (docs/contracts.md §8: the sum of the
# recommendations' listen times) of recommenders the main job trained, each measured by
# `botify sim` against the real server (everyone routed to it), beside the simulator's
# in-process references random, history, oracle and artist_oracle, with the share of the
# Random -> artist_oracle gap each closes: (reward - random) / (artist_oracle - random).
# For the served ones also the server's p99 time to answer a /next during that run (from
# its botify_request_duration_seconds histogram, so an upper bucket edge) at the main
# job's load (botify sim's 32 connections).
#
# Usage: scripts/oracle_fraction.sh [--out DIR] [--world DIR] [--build DIR] [--episodes N]
#                                   [--seed S] [--specs "session_model:sm ..."]
#   defaults: --out out (a finished scripts/pipeline.sh run), --world: the run's OUT/world-*
#   (give the folder a `pipeline.sh --world DIR` run used), --build build,
#   --episodes 5000, --seed 0 (the episodes docs/simulator.md's references use),
#   --specs "session_model:sm session:contextual:ctx random".
# The server runs on a copy of the run's database (loopback, ephemeral ports); the run's
# own folders are not changed. Bounded: (specs + 4) x episodes sessions.
set -euo pipefail
cd "$(dirname "$0")/.."
out=out world="" build=build episodes=5000 seed=0 specs="session_model:sm session:contextual:ctx random"
while (($#)); do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --world) world=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --episodes) episodes=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --specs) specs=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "oracle_fraction: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ -n $world ]] || world=$(ls -d "$out"/world-* 2>/dev/null | head -1)
[[ -d $out/run/db ]] || {
  echo "oracle_fraction: no finished main job in $out (run scripts/pipeline.sh)" >&2
  exit 1
}
[[ -s $world/tracks.json ]] || {
  echo "oracle_fraction: no world for $out (give --world, the folder the run used)" >&2
  exit 1
}
world=$(cd "$world" && pwd)
work=$(mktemp -d /tmp/botify-oracle.XXXXXX)
server_pid=""
trap '[[ -n $server_pid ]] && kill -TERM $server_pid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
cp -r "$out/run/db" "$work/db"
ln -s "$world" "$work/world"
source bench/lib.sh
bench_start_server "$build" "$work" '{}'
server_pid=$!
admin=(--server "127.0.0.1:$(cat "$work/admin_port")" --token-file "$work/token")

# The sim's day row "| 1 | N | mean ± se | steps ± se |" as "mean se steps".
day_row() { awk -F'|' '$2 + 0 == 1 && $3 + 0 > 0 {split($4, r, "±"); split($5, s, "±");
  printf "%.3f %.3f %.2f\n", r[1], r[2], s[1]}'; }

# "le count" of every /next bucket of the histogram (cumulative counts, any arm).
next_buckets() {
  curl -s "http://127.0.0.1:$(cat "$work/port")/metrics" |
    awk -F'[{}]' '/^botify_request_duration_seconds_bucket\{route="next"/ {
      match($2, /le="[^"]*"/); le = substr($2, RSTART + 4, RLENGTH - 5); n[le] += $3}
      END {for (le in n) print le, n[le]}' | sort -g
}
# p99 of the requests between two next_buckets outputs: the first edge holding 99%.
p99_between() {
  awk 'NR == FNR {before[$1] = $2; next} {le[++n] = $1; d[n] = $2 - before[$1]} END {
    for (i = 1; i <= n; i++) if (d[i] >= 0.99 * d[n]) {
      if (le[i] == "+Inf") print "> 5 s"; else printf "<= %g ms\n", le[i] * 1000; exit}}' \
    <(echo "$1") <(echo "$2")
}

# Rows "in process" (the references) and "served" (the specs), keyed "<how>:<name>".
declare -A mean se steps p99
rows=()
for policy in random history oracle artist_oracle; do
  read -r mean[in:$policy] se[in:$policy] steps[in:$policy] < <("$build/botify" sim \
    --world "$world" --in-process "$policy" --episodes "$episodes" --seed "$seed" \
    --no-progress 2>&1 | day_row)
  rows+=("in:$policy")
done
for spec in $specs; do
  printf '{"experiments": [], "routing": null, "default": "%s"}\n' "$spec" >"$work/config.json"
  "$build/botify" config push --file "$work/config.json" "${admin[@]}" >/dev/null
  before=$(next_buckets)
  read -r mean[served:$spec] se[served:$spec] steps[served:$spec] < <("$build/botify" sim \
    --world "$world" --port "$(cat "$work/port")" --episodes "$episodes" --seed "$seed" \
    --no-progress 2>&1 | day_row)
  p99[served:$spec]=$(p99_between "$before" "$(next_buckets)")
  rows+=("served:$spec")
done

echo "world $world; $episodes episodes, seed $seed; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| recommender | measured | reward per session (mean ± se) | steps | share of the Random -> artist_oracle gap | server p99 of /next |"
echo "|---|---|---:|---:|---:|---|"
for row in "${rows[@]}"; do
  how="in process"
  [[ $row == served:* ]] && how="botify sim, real server"
  awk -v n="${row#*:}" -v h="$how" -v m="${mean[$row]}" -v s="${se[$row]}" \
    -v st="${steps[$row]}" -v r="${mean[in:random]}" -v a="${mean[in:artist_oracle]}" \
    -v p="${p99[$row]:--}" \
    'BEGIN {printf "| %s | %s | %.2f ± %.2f | %.1f | %.2f | %s |\n", n, h, m, s, st, (m - r) / (a - r), p}'
done
