#!/usr/bin/env bash
# A fleet of botify-server hosts on one machine behind Debian's nginx (issue 17).
#
# Usage:
#   scripts/fleet.sh start --dir DIR --tracks FILE [--config FILE] [--build DIR] [--hosts N]
#                          [-- extra botify-server flags...]
#       Starts N hosts (default 3, at most 9): host<i> listens on 127.0.0.<i> (API and admin,
#       ports picked by the kernel), has its own DIR/host<i>/{db,logs}, names its segments
#       events-host<i>-..., and shares the admin token DIR/admin.token. Then nginx (config
#       from scripts/fleet-nginx.conf: a user's requests stick to one host by consistent
#       hashing, failover to the next host) on 127.0.0.1:<a free port in 19200-19299>.
#       Returns once every host and the balancer answer; the processes keep running.
#       Writes DIR/balancer_port, DIR/admin_servers (one admin address a line, for
#       `botify ... --server`), DIR/host<i>/{pid,port,admin_port}, and DIR/host<i>/exit_code
#       once that host has exited.
#   scripts/fleet.sh stop --dir DIR
#       SIGTERM every host still running (each drains and seals its log), then nginx;
#       waits (bounded) and fails unless every host exited 0.
#   scripts/fleet.sh ship --dir DIR --to TARGET [botify logs ship flags...]
#       One `botify logs ship --delete` pass per host, all to the same TARGET
#       (<day>/<host>/ under it); fails if any host's pass failed.
#   scripts/fleet.sh demo [--build DIR] [--out DIR] [--preset small|default] [--episodes N]
#       End to end: world, fleet, a Random day through the balancer, ship, train ub,
#       index load and config push on every host, a USER_BASED day, ship, `botify ab`.
# Loopback only; every wait is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
nginx_bin=${NGINX:-/usr/sbin/nginx}

die() { echo "fleet.sh: $*" >&2; exit 1; }
usage() { sed -n '2,28p' "$0"; }

# wait_for_file PATH SECONDS: true once PATH is non-empty.
wait_for_file() {
  local i
  for ((i = 0; i < $2 * 20; i++)); do [[ -s "$1" ]] && return 0; sleep 0.05; done
  return 1
}

# free_port: prints a port of 19200-19299 nothing listens on at 127.0.0.1.
free_port() {
  python3 - <<'PY'
import random, socket, sys
ports = list(range(19200, 19300))
random.shuffle(ports)  # two fleets started at once rarely race for the same port
for p in ports:
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        continue
    finally:
        s.close()
    print(p)
    sys.exit(0)
sys.exit("no free port in 19200-19299")
PY
}

# supervise DIR CMD...: runs CMD in the background in its own session, so it outlives this
# script; DIR/pid holds CMD's pid and DIR/exit_code its exit status once it ends. Both are
# written to a temporary name and renamed, so a reader that sees the file sees its content
# (a plain `echo >file` creates it empty first: the fleet test read "" under load).
supervise() {
  local dir=$1
  shift
  rm -f "$dir/pid" "$dir/exit_code"
  setsid bash -c '"$@" & echo $! >"$0/pid.tmp"; mv "$0/pid.tmp" "$0/pid"; wait $!
                  echo $? >"$0/exit_code.tmp"; mv "$0/exit_code.tmp" "$0/exit_code"' \
    "$dir" "$@" </dev/null >"$dir/stdout" 2>"$dir/stderr" &
  wait_for_file "$dir/pid" 5 || die "could not start $1"
}

start() {
  local dir="" tracks="" config="" build=build hosts=3 extra=()
  while (($#)); do
    case $1 in
      --dir) dir=$2; shift 2 ;;
      --tracks) tracks=$2; shift 2 ;;
      --config) config=$2; shift 2 ;;
      --build) build=$2; shift 2 ;;
      --hosts) hosts=$2; shift 2 ;;
      --) shift; extra=("$@"); break ;;
      *) die "start: unknown argument '$1' (see --help)" ;;
    esac
  done
  [[ -n $dir ]] || die "start: --dir is required"
  [[ -n $tracks && -f $tracks ]] || die "start: --tracks FILE is required (got '${tracks}')"
  [[ $hosts =~ ^[1-9]$ ]] || die "start: --hosts must be 1..9 (got '$hosts')"
  [[ -x $build/botify-server ]] || die "start: $build/botify-server not built (scripts/build.sh $build)"
  [[ -x $nginx_bin ]] || die "start: nginx not found at $nginx_bin (scripts/install-deps.sh installs nginx-light)"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  build=$(cd "$build" && pwd)
  tracks=$(realpath "$tracks")
  [[ -z $config ]] || config=$(realpath "$config")
  if [[ ! -s $dir/admin.token ]]; then
    (umask 077 && od -An -N24 -tx1 /dev/urandom | tr -d ' \n' >"$dir/admin.token")
  fi
  : >"$dir/admin_servers"
  local servers="" i
  for ((i = 1; i <= hosts; i++)); do
    local h="$dir/host$i" addr="127.0.0.$i"
    mkdir -p "$h"
    rm -f "$h/port" "$h/admin_port"
    local args=(--host "$addr" --port 0 --port-file "$h/port" --admin-host "$addr" --admin-port 0
      --admin-port-file "$h/admin_port" --admin-token-file "$dir/admin.token"
      --db "$h/db" --log-dir "$h/logs" --log-host "host$i" --tracks "$tracks")
    [[ -z $config ]] || args+=(--config "$config")
    supervise "$h" "$build/botify-server" "${args[@]}" "${extra[@]}"
  done
  for ((i = 1; i <= hosts; i++)); do
    local h="$dir/host$i"
    wait_for_file "$h/admin_port" 30 || { cat "$h/stderr" >&2; die "host$i did not start"; }
    servers+="    server 127.0.0.$i:$(cat "$h/port") max_fails=1 fail_timeout=10s;"$'\n'
    echo "127.0.0.$i:$(cat "$h/admin_port")" >>"$dir/admin_servers"
  done
  start_balancer "$dir" "$servers"
  echo "fleet: $hosts hosts behind http://127.0.0.1:$(cat "$dir/balancer_port") (admin: $(paste -sd' ' "$dir/admin_servers"))" >&2
}

# start_balancer DIR SERVER_LINES: nginx on a free port; a port taken between the check
# and nginx's bind is retried with another one.
start_balancer() {
  local dir=$1 servers=$2 n="$1/nginx" attempt port
  mkdir -p "$n"
  for attempt in 1 2 3; do
    port=$(free_port)
    awk -v dir="$n" -v port="$port" -v servers="${servers%$'\n'}" '
      /^@SERVERS@$/ { print servers; next }
      { gsub(/@DIR@/, dir); gsub(/@PORT@/, port); print }' \
      "$repo/scripts/fleet-nginx.conf" >"$n/nginx.conf"
    supervise "$n" "$nginx_bin" -e "$n/error.log" -c "$n/nginx.conf"
    local i
    for ((i = 0; i < 100; i++)); do
      if curl -s -o /dev/null "http://127.0.0.1:$port/"; then echo "$port" >"$dir/balancer_port"; return 0; fi
      [[ -e $n/exit_code ]] && break
      sleep 0.05
    done
    stop_one "$n" 5 || true
  done
  cat "$n/stderr" "$n/error.log" >&2 2>/dev/null || true
  die "nginx did not start (see $n/error.log)"
}

# stop_one DIR SECONDS: SIGTERM the process of DIR/pid and wait for DIR/exit_code; prints
# nothing, returns that exit code (or 124 if it did not end in time, then SIGKILLs it).
stop_one() {
  local dir=$1 pid
  [[ -s $dir/pid ]] || return 0
  pid=$(cat "$dir/pid")
  [[ -e $dir/exit_code ]] || kill -TERM "$pid" 2>/dev/null || true
  if ! wait_for_file "$dir/exit_code" "$2"; then
    kill -KILL "$pid" 2>/dev/null || true
    return 124
  fi
  return "$(cat "$dir/exit_code")"
}

stop() {
  [[ ${1:-} == --dir && -n ${2:-} ]] || die "stop: --dir DIR is required"
  local dir=$2 failed=0 h code
  for h in "$dir"/host*/; do
    [[ -s $h/pid && ! -e $h/exit_code ]] && kill -TERM "$(cat "$h/pid")" 2>/dev/null || true
  done
  for h in "$dir"/host*/; do
    code=0
    stop_one "${h%/}" 20 || code=$?
    if ((code != 0)); then
      echo "fleet.sh: $(basename "$h") exited $code: $(tail -n 3 "$h/stderr" 2>/dev/null)" >&2
      failed=1
    fi
  done
  stop_one "$dir/nginx" 10 || true
  return "$failed"
}

ship() {
  local dir="" to="" build=build rest=()
  while (($#)); do
    case $1 in
      --dir) dir=$2; shift 2 ;;
      --to) to=$2; shift 2 ;;
      --build) build=$2; shift 2 ;;
      *) rest+=("$1"); shift ;;
    esac
  done
  [[ -n $dir && -n $to ]] || die "ship: --dir DIR and --to TARGET are required"
  local failed=0 h
  for h in "$dir"/host*/; do
    "$build/botify" logs ship --from "$h/logs/sealed" --to "$to" --delete "${rest[@]}" || failed=1
  done
  return "$failed"
}

demo() {
  local build=build out=out-fleet preset=small episodes=4000
  while (($#)); do
    case $1 in
      --build) build=$2; shift 2 ;;
      --out) out=$2; shift 2 ;;
      --preset) preset=$2; shift 2 ;;
      --episodes) episodes=$2; shift 2 ;;
      *) die "demo: unknown argument '$1' (see --help)" ;;
    esac
  done
  [[ -x $nginx_bin ]] || bash scripts/install-deps.sh
  local botify="$build/botify" fleet
  rm -rf "$out" && mkdir -p "$out"
  out=$(cd "$out" && pwd)
  fleet="$out/fleet"
  trap 'stop --dir "$fleet" || true' EXIT
  run() { printf '$ %s\n' "$*" >&2; "$@"; }
  run "$botify" world gen --out "$out/world" --preset "$preset"
  run "$repo/scripts/fleet.sh" start --dir "$fleet" --tracks "$out/world/tracks.json" --build "$build"
  local port admin=(--token-file "$fleet/admin.token")
  port=$(cat "$fleet/balancer_port")
  while read -r a; do admin+=(--server "$a"); done <"$fleet/admin_servers"
  day() {
    run "$botify" sim --world "$out/world" --port "$port" --episodes "$episodes" --seed "$1" --no-progress
    run "$botify" logs seal "${admin[@]}"
    run "$repo/scripts/fleet.sh" ship --dir "$fleet" --to "file://$out/hdfs" --build "$build"
  }
  day 1
  run "$botify" train ub --logs "$out/hdfs" --out "$out/ub.jsonl"
  run "$botify" index build --recs "$out/ub.jsonl" --tracks "$out/world/tracks.json" --out "$out/ub.sst"
  run "$botify" index load --name ub --sst "$out/ub.sst" "${admin[@]}"
  echo '{"experiments": [{"name": "USER_BASED", "split": 2, "arms": {"C": "random", "T1": "indexed:ub"}}], "routing": "USER_BASED"}' >"$out/USER_BASED.json"
  run "$botify" config push --file "$out/USER_BASED.json" "${admin[@]}"
  day 2
  run "$botify" ab --logs "$out/hdfs" --experiment USER_BASED --format markdown
  trap - EXIT
  run "$repo/scripts/fleet.sh" stop --dir "$fleet"
  run "$repo/scripts/fleet.sh" ship --dir "$fleet" --to "file://$out/hdfs" --build "$build"
  find "$out/hdfs" -name '*.jsonl' | sed "s|$out/hdfs/||" | sort >&2
}

case ${1:-} in
  start | stop | ship | demo) cmd=$1; shift; "$cmd" "$@" ;;
  -h | --help) usage ;;
  *) usage >&2; exit 2 ;;
esac
