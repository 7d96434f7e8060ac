#!/usr/bin/python3
"""Generates a synthetic event log (docs/contracts.md §7 lines) for the user-based CF benchmark.

Shape, like one simulated day with the Random recommender plus some taste: every user has
a taste cluster of tracks (shared by users of the same "genre"); about half of a user's
rows come from it with long listens, the rest are uniform over the catalog with short
listens; a few tracks are globally popular (long columns stress the similarity pass).
Deterministic from --seed. Writes gzip-compressed .jsonl files into --out (a folder).

  /usr/bin/python3 bench/ub_gen_log.py --out /tmp/ub-log --users 10000 --tracks 50000 --rows 1000000
"""
import argparse
import gzip
import os

import numpy as np


def generate(users, tracks, rows, seed):
    rng = np.random.default_rng(seed)
    genres = max(1, users // 100)
    genre_of_user = rng.integers(0, genres, users)
    cluster = 300  # tracks per genre's taste cluster
    genre_base = rng.integers(0, tracks - cluster, genres)
    user = rng.integers(0, users, rows)
    kind = rng.random(rows)
    taste = genre_base[genre_of_user[user]] + rng.integers(0, cluster, rows)
    uniform = rng.integers(0, tracks, rows)
    popular = (rng.zipf(1.3, rows) - 1) % tracks
    track = np.where(kind < 0.5, taste, np.where(kind < 0.9, uniform, popular))
    time = np.where(kind < 0.5, rng.beta(5, 2, rows), rng.beta(1, 6, rows)).round(2)
    timestamp = 1708300000000 + np.sort(rng.integers(0, 86_400_000, rows))
    return user, track, time, timestamp


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--users", type=int, default=10000)
    p.add_argument("--tracks", type=int, default=50000)
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--files", type=int, default=8, help="number of .jsonl.gz files")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--last-every", type=int, default=0,
                   help="make about one row in N a 'last' (closing the user's session), for "
                        "the session-based tools (train contextual); 0 = none, all rows 'next'")
    a = p.parse_args()
    user, track, time, timestamp = generate(a.users, a.tracks, a.rows, a.seed)
    # Drawn from its own stream, so the rows above are the same with and without it.
    last = (np.random.default_rng(a.seed + 1).random(a.rows) < 1 / a.last_every
            if a.last_every > 0 else np.zeros(a.rows, dtype=bool))
    os.makedirs(a.out, exist_ok=True)
    bounds = np.linspace(0, a.rows, a.files + 1).astype(int)
    for f in range(a.files):
        path = os.path.join(a.out, f"day1/events-{f:03d}.jsonl.gz")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with gzip.open(path, "wt", compresslevel=1) as out:
            for i in range(bounds[f], bounds[f + 1]):
                message, rec = ("last", "null") if last[i] else ("next", track[i])
                out.write(
                    f'{{"message": "{message}", "timestamp": {timestamp[i]}, "user": {user[i]}, '
                    f'"track": {track[i]}, "time": {time[i]}, "latency": 0.0012, '
                    f'"recommendation": {rec}, "experiments": {{"USER_BASED": "C"}}}}\n')


if __name__ == "__main__":
    main()
