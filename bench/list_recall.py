#!/usr/bin/python3
"""Recall of approximate recommendation lists against exact ones (docs/contracts.md §6
files: one {"user": key, "tracks": [...]} or {"track": key, "recommendations": [...]}
per line), for the bounded
modes of `train mf --export-clusters` and `train contextual --ann-clusters`.

recall@K = mean over the exact file's keys of |exact top-K ∩ approximate top-K| / |exact
top-K| (a key missing from the approximate file counts 0); "same first" = share of keys
whose first track is the same. Standard library only; prints one markdown row.

  bench/list_recall.py --exact ctx-exact.jsonl --approx ctx-p16.jsonl [--k 100]
"""
import argparse
import json
import sys


def read_lists(path, k):
    lists = {}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                key = row["user"] if "user" in row else row["track"]
                lists[key] = (row["tracks"] if "user" in row else row["recommendations"])[:k]
            except (ValueError, KeyError, TypeError) as e:
                sys.exit(f"list_recall.py: {path}:{n}: not a recommendations line ({e})")
    return lists


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--exact", required=True, help="lists of the exact computation")
    p.add_argument("--approx", required=True, help="lists of the bounded computation")
    p.add_argument("--k", type=int, default=100, help="list depth compared (default 100)")
    args = p.parse_args()
    exact = read_lists(args.exact, args.k)
    approx = read_lists(args.approx, args.k)
    if not exact:
        sys.exit(f"list_recall.py: {args.exact} has no lists")
    recall = same_first = 0.0
    for key, want in exact.items():
        got = approx.get(key, [])
        if want:
            recall += len(set(want) & set(got)) / len(want)
        same_first += bool(want and got and want[0] == got[0])
    n = len(exact)
    print(f"| {args.approx} | {n} keys | recall@{args.k} {recall / n:.4f} | same first {same_first / n:.4f} |")


if __name__ == "__main__":
    main()
