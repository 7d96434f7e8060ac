#!/usr/bin/python3
"""Runs botify's sharded offline steps on a Dask cluster (docs/scale.md "Sharded offline steps").

Every shard is a plain `botify` command reading and writing files on a folder every worker
sees (NFS, a CephFS or HDFS fuse mount; a local folder when the workers run on this host):
the driver submits one task per shard, the cluster runs them (a task whose worker dies is
run again on another worker; a command that fails is retried --retries times), and the
driver merges the shards' outputs here, with the same botify binary.

The cluster is started by hand, as any Dask cluster is:

    dask-scheduler --host 127.0.0.1 --port 8786 --no-dashboard &
    dask-worker tcp://127.0.0.1:8786 --nthreads 1 --no-dashboard &   # once per worker

Jobs (each prints what it wrote; `--help` after the job name for its flags):

    botify_dask.py --scheduler tcp://127.0.0.1:8786 --work /shared/run ab \\
        --shards 8 --logs /shared/logs --experiment USER_BASED [report flags of botify ab]
    botify_dask.py ... ub --shards 8 --logs /shared/logs --out ub.jsonl [train ub flags]
    botify_dask.py ... mf-export --shards 8 --model lfm.bin --out lfm.jsonl [mf-export flags]
    botify_dask.py ... index-build --parts 4 --recs ub.jsonl --tracks tracks.json --out ub

`ab` prints the report of `botify ab --merge` (the single run's report); `ub` and `mf-export`
write OUT, the shards' lines merged by user id (the single-machine command's file, byte for
byte); `index-build` writes OUT.<i>-of-<K>.sst, loaded together by
`botify index load --db DB --name NAME --sst OUT.*-of-K.sst`.

Exit status: 0 on success, 1 when a task failed after its retries (its stderr is printed),
2 on bad usage.
"""

import argparse
import heapq
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid

_USAGE_ERROR = 2


def run_shard(argv, out, work, name, hold_seconds):
    """The task a worker runs: one botify command, its "{out}" argument replaced by a path of
    this attempt's own, renamed to `out` once the command succeeded (an attempt on a worker
    that was lost, whose command may still run, never writes into another's file; `out`
    "" for a command that writes nothing). Leaves WORK/attempts/NAME.<uuid> (holding the
    worker's pid) behind, so the driver can count attempts and a failure drill can find the
    worker that runs it. Raises with the command's stderr if it exits non-zero."""
    attempts = os.path.join(work, "attempts")
    os.makedirs(attempts, exist_ok=True)
    attempt = uuid.uuid4().hex
    own = f"{out}.attempt-{attempt}"
    argv = [own if a == "{out}" else a for a in argv]
    with open(os.path.join(attempts, f"{name}.{attempt}"), "w") as marker:
        marker.write(f"{os.getpid()}\n")
    if hold_seconds > 0:
        time.sleep(hold_seconds)
    started = time.monotonic()
    # The command's own peak resident memory: GNU time forks it from a small process (the
    # rusage of a child forked from this worker would count the worker's pages, copied
    # before the exec).
    time_bin = "/usr/bin/time"
    with tempfile.NamedTemporaryFile(mode="r") as peak_file, \
            tempfile.TemporaryFile() as out_file, tempfile.TemporaryFile() as err_file:
        measured = ([time_bin, "-f", "%M", "-o", peak_file.name] + argv
                    if os.access(time_bin, os.X_OK) else argv)
        child = subprocess.run(measured, stdout=out_file, stderr=err_file)
        seconds = time.monotonic() - started
        out_file.seek(0)
        err_file.seek(0)
        stdout, stderr = out_file.read().decode(), err_file.read().decode()
        lines = peak_file.read().split()
        peak_kb = int(lines[-1]) if lines and lines[-1].isdigit() else 0
    if child.returncode != 0:
        raise RuntimeError(f"{name}: {' '.join(argv)} exited {child.returncode}:\n"
                           f"{stderr[-4000:]}")
    if out:
        os.replace(own, out)
    return {"name": name, "seconds": seconds, "peak_kb": peak_kb, "pid": os.getpid(),
            "stdout": stdout}


def attempts_of(work, name):
    folder = os.path.join(work, "attempts")
    if not os.path.isdir(folder):
        return 0
    return sum(1 for f in os.listdir(folder) if f.rsplit(".", 1)[0] == name)


def run_tasks(client, args, tasks):
    """Submits (name, argv, out) tasks, waits for all; returns their results in order. Exits 1
    naming the task when one failed after its retries."""
    futures = [
        client.submit(run_shard, argv, out, args.work, name, args.hold_seconds,
                      key=f"{name}-{uuid.uuid4().hex}", retries=args.retries, pure=False)
        for name, argv, out in tasks
    ]
    results = []
    for (name, _, _), future in zip(tasks, futures):
        try:
            results.append(future.result())
        except Exception as e:  # the task's own error, or KilledWorker after allowed-failures
            sys.exit(f"botify_dask: task {name} failed after {attempts_of(args.work, name)} "
                     f"attempt(s): {e}")
    for r in results:
        tries = attempts_of(args.work, r["name"])
        print(f"task {r['name']}: {r['seconds']:.2f} s, peak {r['peak_kb'] / 1024:.1f} MiB, "
              f"worker pid {r['pid']}, {tries} attempt(s)", file=sys.stderr)
    return results


_KEY = re.compile(rb'^\{"(?:user|track)": (\d+),')


def merge_recommendation_parts(parts, out):
    """Writes the lines of `parts` (each ascending by key, as botify writes them) merged by key
    into `out` through a temporary file: the unsharded command's file."""
    def keyed(path):
        with open(path, "rb") as f:
            for number, line in enumerate(f, 1):
                m = _KEY.match(line)
                if not m:
                    sys.exit(f"botify_dask: {path}:{number}: not a recommendations line "
                             f"(docs/contracts.md §6)")
                yield int(m.group(1)), line

    tmp = f"{out}.tmp"
    with open(tmp, "wb") as f:
        for _, line in heapq.merge(*(keyed(p) for p in parts), key=lambda kv: kv[0]):
            f.write(line)
    os.replace(tmp, out)


def shard_path(args, job, i, n, ext):
    return os.path.join(args.work, f"{job}.{i}-of-{n}{ext}")


def job_ab(client, args, rest):
    tasks, partials = [], []
    read = ["--logs", args.logs, "--experiment", args.experiment]
    if args.pre_logs:
        read += ["--pre-logs", args.pre_logs]
    for i in range(args.shards):
        partial = shard_path(args, "ab", i, args.shards, ".partial")
        partials.append(partial)
        tasks.append((f"ab-{i}-of-{args.shards}",
                      [args.botify, "ab"] + read + ["--shard", f"{i}/{args.shards}",
                                                     "--partial", "{out}"], partial))
    run_tasks(client, args, tasks)
    merged = subprocess.run([args.botify, "ab", "--merge"] + partials + rest)
    return merged.returncode


def job_lists(client, args, rest, job, base_argv, out_flag):
    tasks, parts = [], []
    for i in range(args.shards):
        part = shard_path(args, job, i, args.shards, ".jsonl")
        parts.append(part)
        tasks.append((f"{job}-{i}-of-{args.shards}",
                      [args.botify] + base_argv + rest +
                      [out_flag, "{out}", "--users-shard", f"{i}/{args.shards}"], part))
    run_tasks(client, args, tasks)
    merge_recommendation_parts(parts, args.out)
    print(f"wrote {args.out} (the lines of {args.shards} shards merged by user id)")
    return 0


def job_index_build(client, args, rest):
    tasks = []
    for i in range(args.parts):
        tasks.append((f"index-{i}-of-{args.parts}",
                      [args.botify, "index", "build", "--tracks", args.tracks, "--out", args.out,
                       "--key-ranges", str(args.parts), "--range", str(i)] +
                      [a for r in args.recs for a in ("--recs", r)] + rest, ""))
    results = run_tasks(client, args, tasks)
    for r in results:
        sys.stdout.write(r["stdout"])
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--scheduler", required=True,
                        help="The Dask scheduler's address, e.g. tcp://127.0.0.1:8786, or a "
                             "scheduler file (dask-scheduler --scheduler-file)")
    parser.add_argument("--work", required=True,
                        help="Shared folder for the shards' outputs (every worker writes here)")
    parser.add_argument("--botify", default="botify",
                        help="The botify binary on the workers' PATH (or a path they all see)")
    parser.add_argument("--retries", type=int, default=2,
                        help="Extra runs of a task whose command fails (a task whose worker "
                             "dies is rescheduled by the scheduler regardless)")
    parser.add_argument("--hold-seconds", type=float, default=0,
                        help="Failure drills: each task waits this long before its command, "
                             "time to kill its worker")
    jobs = parser.add_subparsers(dest="job", required=True)

    ab = jobs.add_parser("ab", help="botify ab by user shard, merged (the single run's report); "
                                    "other flags go to `botify ab --merge`")
    ab.add_argument("--shards", type=int, required=True)
    ab.add_argument("--logs", required=True)
    ab.add_argument("--experiment", required=True)
    ab.add_argument("--pre-logs")

    ub = jobs.add_parser("ub", help="botify train ub by user shard; other flags go to train ub")
    ub.add_argument("--shards", type=int, required=True)
    ub.add_argument("--logs", required=True)
    ub.add_argument("--out", required=True)

    mf = jobs.add_parser("mf-export", help="botify train mf-export by user shard; other flags "
                                           "go to mf-export")
    mf.add_argument("--shards", type=int, required=True)
    mf.add_argument("--model", required=True)
    mf.add_argument("--out", required=True)

    ib = jobs.add_parser("index-build", help="botify index build --key-ranges K, one task per "
                                             "part; other flags go to index build")
    ib.add_argument("--parts", type=int, required=True)
    ib.add_argument("--recs", required=True, action="append")
    ib.add_argument("--tracks", required=True)
    ib.add_argument("--out", required=True)

    args, rest = parser.parse_known_args()
    for count in ("shards", "parts"):
        if getattr(args, count, 1) < 1:
            parser.error(f"--{count} must be at least 1")
    os.makedirs(args.work, exist_ok=True)
    from distributed import Client  # imported late: --help works without dask
    if os.path.isfile(args.scheduler):
        client = Client(scheduler_file=args.scheduler, timeout=30)
    else:
        client = Client(args.scheduler, timeout=30)
    try:
        if args.job == "ab":
            return job_ab(client, args, rest)
        if args.job == "ub":
            return job_lists(client, args, rest, "ub", ["train", "ub", "--logs", args.logs, "-q"],
                             "-o")
        if args.job == "mf-export":
            return job_lists(client, args, rest, "mf", ["train", "mf-export", "--model",
                                                        args.model], "--out")
        return job_index_build(client, args, rest)
    finally:
        client.close()


if __name__ == "__main__":
    sys.exit(main())
