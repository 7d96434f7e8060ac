#!/usr/bin/python3
"""Independent reference for `botify train ub`: the seminar notebook's dense user-based CF.

  normalized time = time - the user's mean time (all rows, both messages)
  R[user, track]  = mean normalized time over duplicate rows, 0 where absent (dense)
  W               = sklearn cosine_similarity(R), diagonal set to 0
  scores          = W @ R
  top-K per user  = scores descending, ties by track id ascending (a stable argsort)

sklearn's cosine_similarity maps an all-zero row to similarity 0 (it normalizes zero
rows to zeros); without sklearn the same is computed with numpy. Reads every *.jsonl,
*.json, *.log (and .gz) file under --logs in sorted relative-path order, like botify.
Writes the recommendations file ({"user": u, "tracks": [...]} per line) to --out.

  /usr/bin/python3 tests/tools/ub_reference.py --logs LOGDIR --out ref.jsonl --top-k 100
"""
import argparse
import json
import os
import sys

import numpy as np
import pandas as pd

try:
    from sklearn.metrics.pairwise import cosine_similarity
except ImportError:  # pragma: no cover - depends on the machine
    cosine_similarity = None

SUFFIXES = (".jsonl", ".json", ".log")


def log_files(root):
    if os.path.isfile(root):
        return [root]
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            base = name[:-3] if name.endswith(".gz") else name
            if not name.startswith(".") and base.endswith(SUFFIXES):
                found.append(os.path.relpath(os.path.join(folder, name), root))
    found.sort(key=lambda p: p.replace(os.sep, "/").encode())
    return [os.path.join(root, p) for p in found]


def read_events(root):
    frames = [
        pd.read_json(path, lines=True, precise_float=True, convert_dates=False,
                     compression="gzip" if path.endswith(".gz") else None)
        for path in log_files(root)
    ]
    return pd.concat(frames, ignore_index=True)[["user", "track", "time"]]


def cosine(R):
    if cosine_similarity is not None:
        return cosine_similarity(R)
    norms = np.linalg.norm(R, axis=1)
    norms[norms == 0] = 1.0
    Rn = R / norms[:, None]
    return Rn @ Rn.T


def recommend(data, top_k):
    data = data.copy()
    data["time"] = data["time"] - data.groupby("user")["time"].transform("mean")
    interactions = data.groupby(["user", "track"])["time"].mean().reset_index()
    users = np.sort(data["user"].unique())
    tracks = np.sort(data["track"].unique())
    R = np.zeros((len(users), len(tracks)))
    R[np.searchsorted(users, interactions["user"]),
      np.searchsorted(tracks, interactions["track"])] = interactions["time"]
    W = cosine(R)
    np.fill_diagonal(W, 0)
    scores = W @ R
    order = np.argsort(-scores, axis=1, kind="stable")[:, :top_k]
    return users, tracks[order]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--logs", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--top-k", type=int, default=100)
    a = p.parse_args()
    users, lists = recommend(read_events(a.logs), a.top_k)
    with open(a.out, "w") as out:
        for user, tracks in zip(users, lists):
            out.write(json.dumps({"user": int(user), "tracks": [int(t) for t in tracks]}) + "\n")
    print(f"ub_reference: {len(users)} users, cosine from "
          f"{'sklearn' if cosine_similarity is not None else 'numpy'}", file=sys.stderr)


if __name__ == "__main__":
    main()
