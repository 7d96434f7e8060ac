#!/usr/bin/env python3
"""Independent NumPy reference of the mf trainer (LightFM's fit_warp / fit_bpr with
adagrad, no L2), for comparing precision@k with `botify train mf` on the same split.

Written from LightFM's published algorithm before LightFM could be built here, it keeps
the sampling as first read: embeddings uniform in [-0.5, 0.5) / d, zero biases, adagrad
accumulators starting at 1; WARP draws up to max_sampled non-positive negatives (a draw
that hits a positive is redrawn without counting, where LightFM 1.17 counts it) and steps
on the first with score > positive - 1 with weight log(max(1, floor((n_items - 1) /
draws))) clipped at 10; BPR steps on one uniformly random non-positive (LightFM draws by
popularity) with weight 1 - sigmoid(s_i - s_j). The real LightFM runs through
bench/mf_lightfm_reference.py, which shares this file's split loading and evaluation.
Single-threaded, pure Python loop over positives: meant for small data.

Usage: mf_numpy_reference.py SPLIT_DIR [--loss warp|bpr] [--components 16]
       [--learning-rate 0.05] [--max-sampled 10] [--epochs 10] [--k 10] [--seed 0]
SPLIT_DIR holds train.tsv and test.tsv as written by `botify train mf --split-out`.
"""
import argparse
import math
import sys

import numpy as np


def load_pairs(path):
    data = np.loadtxt(path, dtype=np.int64, skiprows=1, ndmin=2)
    return data[:, 0], data[:, 1]


def dense(ids):
    values = np.unique(ids)
    return values, {v: i for i, v in enumerate(values)}


class Split:
    """A --split-out directory with dense indices: `users`/`items` are the train positives
    in file order, `train`/`test` map a user to its set of items."""

    def __init__(self, split_dir):
        tr_u, tr_t = load_pairs(f"{split_dir}/train.tsv")
        te_u, te_t = load_pairs(f"{split_dir}/test.tsv")
        user_ids, user_index = dense(tr_u)
        track_ids, track_index = dense(tr_t)
        self.n_users, self.n_items = len(user_ids), len(track_ids)
        self.users = np.array([user_index[u] for u in tr_u])
        self.items = np.array([track_index[t] for t in tr_t])
        self.train, self.test = {}, {}
        for u, i in zip(self.users, self.items):
            self.train.setdefault(int(u), set()).add(int(i))
        for u, t in zip(te_u, te_t):
            self.test.setdefault(user_index[u], set()).add(track_index[t])


class Model:
    def __init__(self, n_users, n_items, d, lr, rng):
        self.q = ((rng.random((n_items, d)) - 0.5) / d).astype(np.float32)
        self.p = ((rng.random((n_users, d)) - 0.5) / d).astype(np.float32)
        self.b = np.zeros(n_items, dtype=np.float32)
        self.gq = np.ones_like(self.q)
        self.gp = np.ones_like(self.p)
        self.gb = np.ones_like(self.b)
        self.lr = lr

    def score(self, u, i):
        return float(self.p[u] @ self.q[i] + self.b[i])

    def step(self, weight, u, i, j):
        grad_p = weight * (self.q[j] - self.q[i])
        grad_qi = -weight * self.p[u]
        grad_qj = weight * self.p[u]
        for row, acc, grad in ((i, self.gq, grad_qi), (j, self.gq, grad_qj)):
            self.q[row] -= self.lr / np.sqrt(acc[row]) * grad
            acc[row] += grad * grad
        for row, grad in ((i, -weight), (j, weight)):
            self.b[row] -= self.lr / math.sqrt(self.gb[row]) * grad
            self.gb[row] += grad * grad
        self.p[u] -= self.lr / np.sqrt(self.gp[u]) * grad_p
        self.gp[u] += grad_p * grad_p


def epoch(model, users, items, positives, n_items, args, rng):
    for s in rng.permutation(len(users)):
        u, i = users[s], items[s]
        seen = positives[u]
        pos = model.score(u, i)
        if args.loss == "bpr":
            j = int(rng.integers(n_items))
            while j in seen:
                j = int(rng.integers(n_items))
            weight = 1.0 - 1.0 / (1.0 + math.exp(-(pos - model.score(u, j))))
            model.step(weight, u, i, j)
            continue
        draws = 0
        while draws < args.max_sampled:
            j = int(rng.integers(n_items))
            if j in seen:
                continue
            draws += 1
            if model.score(u, j) > pos - 1.0:
                weight = min(10.0, math.log(max(1.0, math.floor((n_items - 1) / draws))))
                model.step(weight, u, i, j)
                break


def precision_at_k(model, train, test, k):
    scores = model.p @ model.q.T + model.b
    precisions = []
    for u, wanted in test.items():
        row = scores[u].copy()
        row[list(train.get(u, ()))] = -np.inf
        top = np.argsort(-row, kind="stable")[:k]
        precisions.append(len(wanted.intersection(top.tolist())) / k)
    p = np.array(precisions)
    return p.mean(), 1.96 * p.std(ddof=1) / math.sqrt(len(p))


def print_epoch(e, model, split, k):
    """The line bench/mf_curve_table.py reads; `model` has p (users x d), q (items x d), b."""
    mean, half = precision_at_k(model, split.train, split.test, k)
    print(f"epoch {e}: precision@{k} {mean:.4f} [{mean - half:.4f}, {mean + half:.4f}]",
          flush=True)


def reference_arguments(description):
    """The flags both references take (bench/mf_reference_compare.sh passes them)."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("split_dir")
    ap.add_argument("--loss", default="warp", choices=["warp", "bpr"])
    ap.add_argument("--components", type=int, default=16)
    ap.add_argument("--learning-rate", type=float, default=0.05)
    ap.add_argument("--max-sampled", type=int, default=10)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    return ap


def main():
    args = reference_arguments(__doc__.splitlines()[0]).parse_args()

    split = Split(args.split_dir)
    rng = np.random.default_rng(args.seed)
    model = Model(split.n_users, split.n_items, args.components, args.learning_rate, rng)
    for e in range(1, args.epochs + 1):
        epoch(model, split.users, split.items, split.train, split.n_items, args, rng)
        print_epoch(e, model, split, args.k)


if __name__ == "__main__":
    sys.exit(main())
