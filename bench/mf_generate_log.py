#!/usr/bin/env python3
"""Writes a docs/contracts.md §7 event log with planted taste groups (the same model as
engine/train/mf/synthetic_log.h, with Python's RNG): user u and track t belong to group
u % groups and t % groups; 80% of a user's rows are popularity-skewed tracks of their own
group and listened through, the rest mostly skipped.

Usage: mf_generate_log.py OUT.jsonl [--users 10000] [--tracks 20000] [--groups 50]
       [--rows-per-user 24] [--seed 1]
"""
import argparse
import json
import random


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--users", type=int, default=10000)
    ap.add_argument("--tracks", type=int, default=20000)
    ap.add_argument("--groups", type=int, default=50)
    ap.add_argument("--rows-per-user", type=int, default=24)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    ts = 1_700_000_000_000
    with open(a.out, "w") as f:
        for u in range(a.users):
            for _ in range(a.rows_per_user):
                own = rng.random() < 0.8
                g = u % a.groups if own else rng.randrange(a.groups)
                in_group = (a.tracks - g + a.groups - 1) // a.groups
                rank = min(in_group - 1, int(in_group * rng.random() ** 2))
                track = g + rank * a.groups
                listened = own or rng.random() < 0.2
                time = round(0.85 + 0.15 * rng.random() if listened else 0.5 * rng.random(), 2)
                row = {"message": "next", "timestamp": ts, "user": u, "track": track,
                       "time": time, "latency": 0.001, "recommendation": rng.randrange(a.tracks),
                       "experiments": {}}
                f.write(json.dumps(row) + "\n")
                ts += 1


if __name__ == "__main__":
    main()
