#!/usr/bin/env python3
"""Independent reference for `botify ab`: the seminar's A/B computation (docs/contracts.md §11) in
pandas (and the t and chi-square functions of stats_reference.py), printing the effects table and the sample-ratio check as JSON.

  /usr/bin/python3 tests/tools/ab_reference.py --logs DIR --experiment NAME [--alpha 0.05]
      [--split N]

Files: every *.jsonl / *.json / *.log under DIR (any nesting, names starting with '.'
skipped), in byte order of their relative paths; rows in file order, then line order.
"""
import argparse
import json
import math
import os
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stats_reference  # noqa: E402

ARMS = ["C"] + [f"T{i}" for i in range(1, 9)]
METRICS = ["time", "sessions", "mean_request_latency", "mean_tracks_per_session",
           "mean_time_per_session"]


def log_files(root):
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if not name.startswith(".") and name.endswith((".jsonl", ".json", ".log")):
                found.append(os.path.relpath(os.path.join(dirpath, name), root))
    return [os.path.join(root, f) for f in sorted(found, key=lambda p: p.encode())]


def load(root, experiment):
    data = pd.concat([pd.read_json(f, lines=True, convert_dates=False, dtype=False)
                      for f in log_files(root)], ignore_index=True)
    data["arm"] = data["experiments"].map(lambda e: e.get(experiment) if isinstance(e, dict) else None)
    data = data[data["arm"].isin(ARMS)].copy()
    data["order"] = np.arange(len(data))  # input order breaks timestamp ties
    return data.sort_values(["user", "arm", "timestamp", "order"], kind="stable")


def user_level(data):
    keys = ["user", "arm"]
    is_last = (data["message"] == "last").astype(int)
    # session number of a row = how many `last` rows came before it in its (user, arm)
    data["session"] = is_last.groupby([data["user"], data["arm"]]).transform(
        lambda s: s.cumsum().shift(fill_value=0))
    data["closed"] = data["session"] < is_last.groupby([data["user"], data["arm"]]).transform("sum")
    data["latency_ms"] = data["latency"] * 1000
    closed = data[data["closed"]]
    sessions = closed.groupby(keys + ["session"]).agg(
        tracks=("time", "size"), time=("time", "sum"), latency=("latency_ms", "sum"))
    users = sessions.groupby(keys).agg(sessions=("tracks", "size"), tracks=("tracks", "sum"),
                                       time=("time", "sum"), latency=("latency", "sum"))
    users = data[keys].drop_duplicates().merge(users.reset_index(), on=keys, how="left")
    users = users.fillna({"sessions": 0, "tracks": 0, "time": 0.0, "latency": 0.0})
    with np.errstate(divide="ignore", invalid="ignore"):
        users["mean_request_latency"] = users["latency"] / users["tracks"]
        users["mean_tracks_per_session"] = users["tracks"] / users["sessions"]
        users["mean_time_per_session"] = users["time"] / users["sessions"]
    return users


def effects(users, alpha):
    rows = []
    for metric in METRICS:
        agg = users.groupby("arm")[metric].agg(["count", "mean", "var"])
        c = agg.loc["C"]
        for arm in [a for a in ARMS[1:] if a in agg.index]:
            t = agg.loc[arm]
            a0, a1 = c["var"] / c["count"], t["var"] / t["count"]
            dof = (a0 + a1) ** 2 / (c["var"] ** 2 / (c["count"] ** 2 * (c["count"] - 1)) +
                                    t["var"] ** 2 / (t["count"] ** 2 * (t["count"] - 1)))
            ci = stats_reference.t_ppf(1 - alpha / 2, dof) * math.sqrt(a0 + a1)
            effect = t["mean"] - c["mean"]
            lower, upper = effect - ci, effect + ci
            rows.append({"treatment": arm, "metric": metric,
                         "effect_pct": effect / c["mean"] * 100,
                         "lower_pct": lower / c["mean"] * 100,
                         "upper_pct": upper / c["mean"] * 100,
                         "control_mean": c["mean"], "treatment_mean": t["mean"],
                         "control_n": int(c["count"]), "treatment_n": int(t["count"]),
                         "significant": bool(lower > 0 or upper < 0)})
    return sorted(rows, key=lambda r: (r["metric"], ARMS.index(r["treatment"])))


def sample_ratio(users, split):
    counts = users.groupby("arm").size()
    split = split or max(ARMS.index(a) for a in counts.index) + 1
    observed = [int(counts.get(a, 0)) for a in ARMS[:split]]
    chi2, p = stats_reference.chisquare(observed)
    return {"observed": observed, "chi_square": float(chi2), "p_value": float(p)}


def clean(v):
    return None if isinstance(v, float) and not math.isfinite(v) else v


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--logs", required=True)
    p.add_argument("--experiment", required=True)
    p.add_argument("--alpha", type=float, default=0.05)
    p.add_argument("--split", type=int, default=0)
    args = p.parse_args()
    users = user_level(load(args.logs, args.experiment))
    out = {"effects": [{k: clean(v) for k, v in r.items()} for r in effects(users, args.alpha)],
           "sample_ratio": sample_ratio(users, args.split)}
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
