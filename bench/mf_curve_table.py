#!/usr/bin/env python3
"""Joins precision@k learning curves into one markdown table, an epoch a row, and says
when each curve peaks. Reads the epoch lines of `botify train mf` ("epoch 3/10:
precision@10 0.1234 [...]") and of the bench references ("epoch 3: precision@10 ...").

Usage: mf_curve_table.py NAME=FILE[,FILE...] [NAME=FILE[,FILE...] ...] [--every N]
       [--summary-only]
A curve given by several files (one per seed) is shown as their mean per epoch. The
summary gives, per curve, its best precision, the epoch of the best (what `train mf`
keeps) and the first epoch at 99% of the best (steadier on a plateau), each the mean over
the files with the per-file values in brackets. --every N prints every Nth epoch row
(epoch 1 and the mean curves' peak rows always).
"""
import argparse
import re
import statistics
import sys

EPOCH_LINE = re.compile(r"^epoch (\d+)(?:/\d+)?: precision@\d+ ([0-9.]+)")


def read_curve(path):
    curve = {}
    with open(path) as f:
        for line in f:
            m = EPOCH_LINE.match(line)
            if m:
                curve[int(m.group(1))] = float(m.group(2))
    if not curve:
        sys.exit(f"mf_curve_table.py: {path} has no epoch lines")
    return curve


def peak(curve):
    """(best precision, its first epoch, first epoch at >= 99% of the best)."""
    best = max(curve.values())
    best_epoch = min(e for e, v in curve.items() if v == best)
    near_epoch = min(e for e, v in curve.items() if v >= 0.99 * best)
    return best, best_epoch, near_epoch


def mean_curve(curves):
    epochs = set.intersection(*(set(c) for c in curves))
    return {e: statistics.fmean(c[e] for c in curves) for e in epochs}


def summary_cell(values, fmt):
    if len(values) == 1:
        return fmt.format(values[0])
    listed = ", ".join(fmt.format(v) for v in values)
    return fmt.format(statistics.fmean(values)) + f" ({listed})"


def print_curves(names, means, every):
    marked = {peak(m)[1] for m in means}
    print("| epoch | " + " | ".join(names) + " |")
    print("|---:|" + "---:|" * len(names))
    for e in range(1, max(max(m) for m in means) + 1):
        if e != 1 and e % every != 0 and e not in marked:
            continue
        print(f"| {e} | " + " | ".join(f"{m[e]:.4f}" if e in m else "" for m in means) + " |")
    print()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("curves", nargs="+", metavar="NAME=FILE[,FILE...]")
    ap.add_argument("--every", type=int, default=1)
    ap.add_argument("--summary-only", action="store_true")
    args = ap.parse_args()
    names, runs = [], []
    for spec in args.curves:
        name, _, paths = spec.partition("=")
        names.append(name)
        runs.append([read_curve(p) for p in paths.split(",")])
    if not args.summary_only:
        print_curves(names, [mean_curve(r) for r in runs], args.every)
    print("| curve | best | epoch of best | first epoch at 99% of best |")
    print("|---|---:|---:|---:|")
    for name, curves in zip(names, runs):
        best, best_epoch, near_epoch = zip(*(peak(c) for c in curves))
        print(f"| {name} | {summary_cell(best, '{:.4f}')} | {summary_cell(best_epoch, '{:g}')} "
              f"| {summary_cell(near_epoch, '{:g}')} |")


if __name__ == "__main__":
    sys.exit(main())
