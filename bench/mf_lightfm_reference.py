#!/usr/bin/env python3
"""Trains the real LightFM on a `botify train mf --split-out` split and prints its
precision@k per epoch in the format of bench/mf_numpy_reference.py (same split loading,
same evaluation: train items excluded, users with a test positive, normal 95% interval).

LightFM is not vendored: build it from its public source (github lyst/lightfm, tag 1.17)
with Debian's Cython and put the checkout on PYTHONPATH (docs/trainers-mf.md, "Against
LightFM"). The model has no features (identity user and item features), as botify's.
User biases, which LightFM learns and botify does not, leave every user's ranking as it is
and are left out of the scores.

Usage: mf_lightfm_reference.py SPLIT_DIR [--loss warp|bpr] [--components 16]
       [--learning-rate 0.05] [--schedule adagrad|adadelta] [--max-sampled 10]
       [--item-alpha 0] [--user-alpha 0] [--epochs 10] [--k 10] [--seed 0] [--threads 1]
"""
import os
import sys

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mf_numpy_reference import Split, print_epoch, reference_arguments  # noqa: E402


class Embeddings:
    """LightFM's parameters under the names precision_at_k reads."""

    def __init__(self, lightfm):
        self.p = lightfm.user_embeddings
        self.q = lightfm.item_embeddings
        self.b = lightfm.item_biases


def main():
    ap = reference_arguments(__doc__.splitlines()[0])
    ap.add_argument("--schedule", default="adagrad", choices=["adagrad", "adadelta"])
    ap.add_argument("--item-alpha", type=float, default=0.0)
    ap.add_argument("--user-alpha", type=float, default=0.0)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()

    from lightfm import LightFM, __version__
    from lightfm._lightfm_fast import fit_bpr

    # The extension LightFM fell back to: _lightfm_fast_openmp or _lightfm_fast_no_openmp.
    print(f"LightFM {__version__} ({fit_bpr.__module__})", file=sys.stderr)
    split = Split(args.split_dir)
    interactions = sp.coo_matrix(
        (np.ones(len(split.users), dtype=np.float32), (split.users, split.items)),
        shape=(split.n_users, split.n_items))
    model = LightFM(no_components=args.components, loss=args.loss,
                    learning_schedule=args.schedule, learning_rate=args.learning_rate,
                    item_alpha=args.item_alpha, user_alpha=args.user_alpha,
                    max_sampled=args.max_sampled, random_state=args.seed)
    for e in range(1, args.epochs + 1):
        model.fit_partial(interactions, epochs=1, num_threads=args.threads)
        print_epoch(e, Embeddings(model), split, args.k)


if __name__ == "__main__":
    sys.exit(main())
