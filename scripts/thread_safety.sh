#!/usr/bin/env bash
# Clang's thread-safety analysis (-Wthread-safety, base/thread_annotations.h) over every
# source the build compiles: base, engine, storage, server, tools, tests and benchmarks,
# whatever compiler built them. Parses only (-fsyntax-only), two files at a time. The
# compile commands come from BUILD_DIR/compile_commands.json (scripts/build.sh writes it);
# tests/thread_safety/ holds the sources that must fail the analysis and is left out.
# Usage: scripts/thread_safety.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
[[ -f "$build/compile_commands.json" ]] || {
  echo "thread_safety.sh: no $build/compile_commands.json; run scripts/build.sh $build" >&2
  exit 2
}
command -v clang++ >/dev/null || { echo "thread_safety.sh: clang++ not found" >&2; exit 2; }
python3 - "$build/compile_commands.json" "$(pwd)" <<'PY'
import concurrent.futures, json, os, shlex, subprocess, sys

commands, root = sys.argv[1], sys.argv[2]
skip = (os.path.join(root, "tests/thread_safety/"), os.path.join(root, "tests/layering/"))
jobs = []
for entry in json.load(open(commands)):
    src = entry["file"]
    if not src.startswith(root + "/") or src.startswith(skip) or "/build" in src[len(root):]:
        continue
    args = shlex.split(entry["command"])
    out = ["clang++"]
    i = 1
    while i < len(args):
        if args[i] == "-o":
            i += 2
            continue
        if args[i] != "-c":
            out.append(args[i])
        i += 1
    out += ["-fsyntax-only", "-Wthread-safety", "-Werror=thread-safety",
            "-Wno-unknown-warning-option"]
    jobs.append((src, entry["directory"], out))

def run(job):
    src, cwd, argv = job
    p = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    return src, p.returncode, p.stderr

failed = 0
with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
    for done, (src, code, err) in enumerate(pool.map(run, jobs), 1):
        if code != 0:
            failed += 1
            sys.stderr.write(f"{os.path.relpath(src, root)}:\n{err}\n")
        if done % 50 == 0:
            print(f"thread_safety.sh: {done}/{len(jobs)} files", file=sys.stderr)
print(f"thread_safety.sh: {len(jobs)} files, {failed} failed")
sys.exit(1 if failed else 0)
PY
