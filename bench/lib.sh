# Shared steps of the benchmark scripts (sourced, not run).

# bench_world_and_recs BUILD WORK: the default world in WORK/world and a recommendations
# file WORK/recs.jsonl with 100 random tracks for each of 10,000 users.
bench_world_and_recs() {
  "$1/botify" world gen --out "$2/world" >/dev/null
  python3 - "$2/recs.jsonl" <<'PY'
import random, sys
random.seed(2)
with open(sys.argv[1], "w") as f:
    for u in range(10000):
        f.write('{"user": %d, "tracks": [%s]}\n' % (u, ", ".join(str(t) for t in random.sample(range(50000), 100))))
PY
}

# bench_start_server BUILD WORK CONFIG_JSON [extra server flags...]: starts botify-server
# in the background on ephemeral loopback ports; WORK/port and WORK/admin_port hold them.
bench_start_server() {
  local build=$1 work=$2 config=$3
  shift 3
  echo "$config" >"$work/config.json"
  "$build/botify-server" --db "$work/db" --tracks "$work/world/tracks.json" \
    --config "$work/config.json" --log-dir "$work/logs" --port 0 --port-file "$work/port" \
    --admin-port 0 --admin-port-file "$work/admin_port" --admin-token-file "$work/token" \
    "$@" >/dev/null 2>"$work/server.err" &
  for _ in $(seq 200); do [[ -s "$work/admin_port" ]] && return 0; sleep 0.05; done
  cat "$work/server.err" >&2
  return 1
}

# The routing every /next benchmark serves: USER_BASED, half the users (T1) Indexed.
BENCH_USER_BASED_CONFIG='{"experiments": [{"name": "USER_BASED", "split": 2, "arms": {"C": "random", "T1": "indexed:ub"}}], "routing": "USER_BASED"}'

# bench_indexed_db BUILD WORK: bench_world_and_recs, then the recommendations built into
# index "ub" and loaded into WORK/db (the server is not running yet).
bench_indexed_db() {
  bench_world_and_recs "$1" "$2"
  "$1/botify" index build --recs "$2/recs.jsonl" --tracks "$2/world/tracks.json" --out "$2/ub.sst" 2>/dev/null
  "$1/botify" index load --name ub --sst "$2/ub.sst" --db "$2/db" --tracks "$2/world/tracks.json" >/dev/null
}

# bench_session_model_db BUILD WORK: bench_indexed_db, then index "sm", a session model
# with its candidate lists (`train session`, `index build --session-model`), loaded into
# WORK/db. The model is trained on one day of Random logs simulated against a server on
# WORK/db (20,000 episodes; about a minute on 2 cores), or taken from
# $BENCH_SESSION_MODEL_DIR/sm.jsonl and sm.model when set (a main job's out/run/recs: the
# same default world). The cost of a request does not depend on how well the model was
# trained, only on its size (candidates per anchor, dims).
bench_session_model_db() {
  local build=$1 work=$2 dir=${BENCH_SESSION_MODEL_DIR:-}
  bench_indexed_db "$build" "$work"
  if [[ -z $dir ]]; then
    dir=$work/sm
    mkdir -p "$dir"
    bench_start_server "$build" "$work" '{}' || return 1
    local pid=$!
    "$build/botify" sim --world "$work/world" --port "$(cat "$work/port")" --episodes 20000 \
      --no-progress >/dev/null 2>&1
    kill -TERM "$pid"
    wait "$pid" || true
    "$build/botify" train session --logs "$work/logs" --tracks "$work/world/tracks.json" \
      --out "$dir/sm.jsonl" --model-out "$dir/sm.model" -q
    rm -rf "$work/logs" "$work/port" "$work/admin_port"
  fi
  "$build/botify" index build --recs "$dir/sm.jsonl" --session-model "$dir/sm.model" \
    --tracks "$work/world/tracks.json" --out "$work/sm.sst" 2>/dev/null
  "$build/botify" index load --name sm --sst "$work/sm.sst" --db "$work/db" >/dev/null
}
