#!/usr/bin/env bash
# HTTP simulator throughput against botify-server on loopback (target >= 20,000 req/s
# with 32 connections). Bounded: 3 days x 20,000 episodes. Needs botify-server (main).
# Usage: bench/sim_http.sh [build-dir] [connections]
set -euo pipefail
build=${1:-build}
connections=${2:-32}
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
"$build/botify" world gen --out "$work/world" >/dev/null 2>&1
"$build/botify-server" --tracks "$work/world/tracks.json" --db "$work/db" \
  --log-dir "$work/logs" --port 0 --port-file "$work/port" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do [[ -s "$work/port" ]] && break; sleep 0.1; done
port=$(cat "$work/port")
"$build/botify" sim --world "$work/world" --port "$port" --connections "$connections" \
  --episodes 20000 --days 3 --no-progress 2>&1
