#!/usr/bin/env python3
"""Writes a synthetic event log (docs/contracts.md §7 lines) of one A/B experiment, for the A/B
analyzer's benchmark and tests. Deterministic from --seed; standard library only.

Users are split over arms by --weights (e.g. 50,50; skew it to provoke a sample ratio
mismatch). Each user plays Poisson-ish sessions; arm k > 0 makes sessions longer by
--effect * k. Rows of all users are interleaved by timestamp (timestamps are in coarse
steps so ties occur) and spread over --files files. About 2% of the users' trailing
sessions are left unclosed (rows after the final last), and --foreign-share of extra rows
carry only another experiment. Users are added beyond --users until the experiment's
rows reach --rows.

With --user-spread S each user's sessions are longer or shorter by a factor exp(S z), z
standard normal, drawn from a stream of its own (so the log without it is unchanged); with
--pre-out DIR a pre-period is written there too: for --pre-share of the users, sessions
with the same factor and no treatment, rows carrying only experiment OTHER (CUPED's input).

  bench/ab_generate_log.py --out DIR --rows 1000000 --users 10000 --experiment AB
"""
import argparse
import math
import os
import random


def user_factor(args, user):
    """The user's own session-length factor, from a stream of its own."""
    if args.user_spread == 0:
        return 1.0
    return math.exp(args.user_spread * random.Random(f"{args.seed}-{user}").gauss(0, 1))


def user_rows(rng, user, arm, args, out, factor=1.0):
    ts = rng.randrange(0, 10_000) * 10
    sessions = 1 + min(int(rng.expovariate(1 / args.sessions)), 30)
    for s in range(sessions):
        length = 1 + int(rng.expovariate(1 / (args.tracks * (1 + args.effect * arm) * factor)))
        unclosed = s == sessions - 1 and rng.random() < 0.02
        for k in range(length):
            ts += rng.choice((0, 10, 10, 20, 50))
            last = k == length - 1 and not unclosed
            out.append((ts, user, arm, last, round(rng.random(), 2), rng.random() * 0.004))


def line(row, experiment, track):
    ts, user, arm, last, time, latency = row
    arm_name = "C" if arm == 0 else f"T{arm}"
    rec = "null" if last else str(track + 1)
    msg = "last" if last else "next"
    return (f'{{"message": "{msg}", "timestamp": {ts}, "user": {user}, "track": {track}, '
            f'"time": {time!r}, "latency": {latency!r}, "recommendation": {rec}, '
            f'"experiments": {{"{experiment}": "{arm_name}", "AA": "C"}}}}\n')


def pre_line(row, track):
    ts, user, _, last, time, latency = row
    rec = "null" if last else str(track + 1)
    msg = "last" if last else "next"
    return (f'{{"message": "{msg}", "timestamp": {ts}, "user": {user}, "track": {track}, '
            f'"time": {time!r}, "latency": {latency!r}, "recommendation": {rec}, '
            f'"experiments": {{"OTHER": "C"}}}}\n')


def write_files(folder, lines, files):
    os.makedirs(folder, exist_ok=True)
    per_file = (len(lines) + files - 1) // files
    for f in range(files):
        with open(os.path.join(folder, f"events-{f:04d}.jsonl"), "w") as out:
            out.writelines(lines[f * per_file:(f + 1) * per_file])


def write_pre_period(args):
    """The pre-period of --pre-share of the users: their own factor, no treatment."""
    rng = random.Random(args.seed + 7919)
    rows = []
    for user in range(args.users):
        if rng.random() < args.pre_share:
            user_rows(rng, user, 0, args, rows, user_factor(args, user))
    rows.sort(key=lambda r: r[0])
    write_files(args.pre_out, [pre_line(r, rng.randrange(50_000)) for r in rows], args.files)
    print(f"{len(rows)} pre-period rows in {args.pre_out}")


def foreign_line(rng, user):
    return (f'{{"message": "next", "timestamp": {rng.randrange(10**6)}, "user": {user}, '
            f'"track": 1, "time": 0.5, "latency": 0.001, "recommendation": 2, '
            f'"experiments": {{"OTHER": "C"}}}}\n')


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--out", required=True, help="output folder (created)")
    p.add_argument("--rows", type=int, default=100_000, help="approximate number of rows")
    p.add_argument("--users", type=int, default=2_000)
    p.add_argument("--experiment", default="AB")
    p.add_argument("--weights", default="50,50", help="users per arm, relative: C,T1,...")
    p.add_argument("--effect", type=float, default=0.1, help="relative session-length lift per arm")
    p.add_argument("--files", type=int, default=4)
    p.add_argument("--foreign-share", type=float, default=0.01)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--user-spread", type=float, default=0.0,
                   help="sd of the log of each user's own session-length factor")
    p.add_argument("--pre-out", help="also write a pre-period of the same users here")
    p.add_argument("--pre-share", type=float, default=0.8,
                   help="share of the users in the pre-period")
    args = p.parse_args()
    weights = [float(w) for w in args.weights.split(",")]
    # Scale the mean tracks per session so that the log has about --rows rows.
    args.sessions = 3.0
    args.tracks = max(1.0, args.rows / args.users / (args.sessions + 1) - 1)
    rng = random.Random(args.seed)
    rows = []
    user = 0
    while user < args.users or len(rows) < args.rows:  # at least --users and --rows
        arm = rng.choices(range(len(weights)), weights)[0]
        user_rows(rng, user, arm, args, rows, user_factor(args, user))
        user += 1
    args.users = user
    rows.sort(key=lambda r: r[0])  # stable: a user's equal timestamps keep their order
    lines = [line(r, args.experiment, rng.randrange(50_000)) for r in rows]
    lines += [foreign_line(rng, rng.randrange(args.users))
              for _ in range(int(len(rows) * args.foreign_share))]
    write_files(args.out, lines, args.files)
    print(f"{len(lines)} rows, {args.users} users, {args.files} files in {args.out}")
    if args.pre_out:
        write_pre_period(args)


if __name__ == "__main__":
    main()
