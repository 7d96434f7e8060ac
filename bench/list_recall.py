#!/usr/bin/python3
"""Recall of approximate recommendation lists against exact ones (docs/contracts.md §6
files: one {"user": key, "tracks": [...]} or {"track": key, "recommendations": [...]}
per line), for the bounded rankings (`train mf --export-index`, `train contextual
--ann-index`) and for two exact rankings (old and new code).

recall@K = mean over the exact file's keys of |exact top-K ∩ approximate top-K| / |exact
top-K| (a key missing from the approximate file counts 0); "same first" = share of keys
whose first track is the same; "identical" = share of keys whose lists are equal.
With --mf-model (the `train mf --model-out` file both lists came from), every list that
is not identical is checked position by position in double precision: it differs only at
near-ties when, at every position, the two tracks' scores are within the rounding bound
of a float sum, (dims + 2) x 2^-23 x sum |terms| each (tests/engine/dense/
reference_ranking.h); the row says how many lists differ otherwise, and the largest score
gap seen. Prints one markdown row.

  bench/list_recall.py --exact ctx-exact.jsonl --approx ctx-p16.jsonl [--k 100]
  bench/list_recall.py --exact old.jsonl --approx new.jsonl --mf-model mf.bin
"""
import argparse
import json
import struct
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


def load_mf_model(path):
    """(user id -> row, track id -> row, U, V, b) of a BOTIFYMF version 1 file."""
    import numpy as np
    data = open(path, "rb").read()
    if data[:8] != b"BOTIFYMF":
        sys.exit(f"list_recall.py: {path}: not a botify mf model (bad magic)")
    version, d, nu, ni, _ = struct.unpack_from("<IIIIQ", data, 8)
    if version != 1:
        sys.exit(f"list_recall.py: {path}: model version {version}, this script reads 1")
    o = 32
    uid = np.frombuffer(data, "<u4", nu, o); o += 4 * nu
    tid = np.frombuffer(data, "<u4", ni, o); o += 4 * ni
    U = np.frombuffer(data, "<f4", nu * d, o).reshape(nu, d).astype(np.float64); o += 4 * nu * d
    V = np.frombuffer(data, "<f4", ni * d, o).reshape(ni, d).astype(np.float64); o += 4 * ni * d
    b = np.frombuffer(data, "<f4", ni, o).astype(np.float64)
    return ({int(u): i for i, u in enumerate(uid)}, {int(t): i for i, t in enumerate(tid)}, U, V, b)


def near_tie_check(model, key, a, c):
    """(True if a and c differ only at near-ties, largest |score gap| at a differing place)."""
    import numpy as np
    users, tracks, U, V, b = model
    p = U[users[key]]

    def scored(lst):
        rows = [tracks[t] for t in lst]
        terms = V[rows] * p
        return terms.sum(axis=1) + b[rows], (np.abs(terms).sum(axis=1) + np.abs(b[rows])) * (
            (U.shape[1] + 2) * 2.0 ** -23)

    if len(a) != len(c):
        return False, float("inf")
    sa, ta = scored(a)
    sc, tc = scored(c)
    gap = np.abs(sa - sc)
    worst = float(gap[np.array(a) != np.array(c)].max()) if a != c else 0.0
    return bool((gap <= ta + tc).all()), worst


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--exact", required=True, help="lists of the exact computation")
    p.add_argument("--approx", required=True, help="lists of the bounded (or other) computation")
    p.add_argument("--k", type=int, default=100, help="list depth compared (default 100)")
    p.add_argument("--mf-model", help="the mf model both files came from: check differences are near-ties")
    args = p.parse_args()
    exact = read_lists(args.exact, args.k)
    approx = read_lists(args.approx, args.k)
    if not exact:
        sys.exit(f"list_recall.py: {args.exact} has no lists")
    model = load_mf_model(args.mf_model) if args.mf_model else None
    recall = same_first = identical = 0.0
    not_near = 0
    worst_gap = 0.0
    for key, want in exact.items():
        got = approx.get(key, [])
        if want:
            recall += len(set(want) & set(got)) / len(want)
        same_first += bool(want and got and want[0] == got[0])
        identical += want == got
        if model is not None and want != got:
            ok, gap = near_tie_check(model, key, want, got)
            not_near += not ok
            worst_gap = max(worst_gap, gap)
    n = len(exact)
    row = (f"| {args.approx} | {n} keys | recall@{args.k} {recall / n:.4f} | same first "
           f"{same_first / n:.4f} | identical {identical / n:.4f} |")
    if model is not None:
        row += f" differing beyond near-ties: {not_near} (largest gap at a differing place {worst_gap:.3g}) |"
    print(row)


if __name__ == "__main__":
    main()
