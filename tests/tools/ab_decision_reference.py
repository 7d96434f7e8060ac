#!/usr/bin/env python3
"""Independent reference for `botify ab`'s decision (engine/ab/decision.h, docs/ab.md
"Decisions"): Holm and Benjamini-Hochberg adjusted p-values, the delta-method interval of a
relative effect, CUPED with a pooled theta, and the normal-mixture mSPRT. Written apart from
the C++ and in other forms where one exists: Holm and BH by their textbook step-down/step-up
definitions, the delta method as a gradient times a covariance matrix, theta as the
coefficient of x in a least-squares fit of y on x and arm dummies (or of each arm alone, per-arm), the mSPRT in Johari et
al.'s two-sample form with its interval found by bisection. numpy, pandas and the standard
library only (SciPy cannot be installed beside Boost 1.81 on Debian 12).

  /usr/bin/python3 tests/tools/ab_decision_reference.py --unit
      the values pinned by tests/engine/ab/decision_stats_test.cpp, as JSON (saved as
      tests/engine/ab/decision_reference.json; NaN written as null)
  /usr/bin/python3 tests/tools/ab_decision_reference.py --logs DIR --experiment NAME
      [--pre-logs DIR] [--cuped-theta pooled|per-arm] [--primary METRIC]
      [--correction holm|bh|none] [--sequential]
      [--mixing-sd 0.05] [--alpha 0.05]
      the decision's comparisons from event logs, as JSON (tests/tools/ab_command_test.cpp)
"""
import argparse
import json
import math
import os
import statistics
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ab_reference  # noqa: E402
import stats_reference  # noqa: E402

HIGHER_IS_BETTER = {"time": True, "sessions": True, "mean_request_latency": False,
                    "mean_tracks_per_session": True, "mean_time_per_session": True}


def holm(p):
    """Holm's step-down: the i-th smallest p is rejected at level a when every p(j), j <= i,
    is below a / (m - j + 1); the adjusted value is the smallest such a."""
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    adjusted = [0.0] * m
    for rank, i in enumerate(order):
        adjusted[i] = min(1.0, max((m - j) * p[order[j]] for j in range(rank + 1)))
    return adjusted


def bh(p):
    """Benjamini-Hochberg's step-up: reject the k smallest where k is the largest rank with
    p(k) <= k a / m; the adjusted value of rank i is min over k >= i of m p(k) / k."""
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    adjusted = [0.0] * m
    for rank, i in enumerate(order):
        adjusted[i] = min(1.0, min(m * p[order[k]] / (k + 1) for k in range(rank, m)))
    return adjusted


def adjust(p, correction):
    defined = [i for i, v in enumerate(p) if not math.isnan(v)]
    values = [p[i] for i in defined]
    out = list(p)
    fixed = {"none": lambda v: v, "holm": holm, "bh": bh}[correction](values)
    for i, v in zip(defined, fixed):
        out[i] = v
    return out


def delta_relative(mean_c, var_c, n_c, mean_t, var_t, n_t, alpha):
    """r = mean_t / mean_c - 1; Var(r) = g' S g with g the gradient of (c, t) -> t / c."""
    gradient = np.array([-mean_t / mean_c ** 2, 1.0 / mean_c])
    cov = np.diag([var_c / n_c, var_t / n_t])
    se = math.sqrt(gradient @ cov @ gradient)
    z = statistics.NormalDist().inv_cdf(1 - alpha / 2)
    r = mean_t / mean_c - 1
    return r, se, r - z * se, r + z * se


def cuped_theta(arms):
    """arms: list of (y, x) arrays, x NaN for none. theta = the coefficient of x in the
    least-squares fit of y on x and one dummy per arm, over the users with an x."""
    ys, xs, dummies = [], [], []
    for k, (y, x) in enumerate(arms):
        has = ~np.isnan(x)
        ys.append(y[has])
        xs.append(x[has])
        d = np.zeros((has.sum(), len(arms)))
        d[:, k] = 1
        dummies.append(d)
    design = np.column_stack([np.concatenate(xs), np.vstack(dummies)])
    coef, *_ = np.linalg.lstsq(design, np.concatenate(ys), rcond=None)
    mean_x = np.concatenate(xs).mean()
    return float(coef[0]), float(mean_x)


def cuped_thetas(arms, policy):
    """One theta per arm: the pooled fit's for all, or each arm fitted alone; mean_x over all
    the arms' users with an x."""
    theta, mean_x = cuped_theta(arms)
    if policy == "pooled":
        return [theta] * len(arms), mean_x
    return [cuped_theta([arm])[0] for arm in arms], mean_x


def cuped_adjust(y, x, theta, mean_x):
    return np.where(np.isnan(x), y, y - theta * (x - mean_x))


def msprt_lambda(n, big_v, tau2, diff):
    """Johari et al.'s two-sample normal-mixture statistic with n observations per arm, each
    pair's difference of variance big_v, mixing N(0, tau2)."""
    return math.sqrt(big_v / (big_v + n * tau2)) * math.exp(
        n * n * tau2 * diff * diff / (2 * big_v * (big_v + n * tau2)))


def msprt_log_lambda(estimate, variance, tau2):
    """The same with the estimate's variance v (= big_v / n): log Lambda."""
    return (0.5 * math.log(variance / (variance + tau2)) +
            tau2 * estimate * estimate / (2 * variance * (variance + tau2)))


def msprt_half_width(estimate, variance, tau2, alpha):
    """Every theta0 with Lambda(estimate - theta0) < 1/alpha, found by bisection."""
    lo, hi = 0.0, 1.0
    while msprt_log_lambda(hi, variance, tau2) < math.log(1 / alpha):
        hi *= 2
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if msprt_log_lambda(mid, variance, tau2) < math.log(1 / alpha):
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def welch_p(mean_c, var_c, n_c, mean_t, var_t, n_t):
    a0, a1 = var_c / n_c, var_t / n_t
    dof = (a0 + a1) ** 2 / (var_c ** 2 / (n_c ** 2 * (n_c - 1)) + var_t ** 2 / (n_t ** 2 * (n_t - 1)))
    t = (mean_t - mean_c) / math.sqrt(a0 + a1)
    return stats_reference.betainc(dof / 2.0, 0.5, dof / (dof + t * t), t * t / (dof + t * t))


def unit_values():
    # Benjamini & Hochberg (1995), section 4: 15 p-values of a clinical trial.
    bh95 = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459,
            0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.0]
    ties = [0.04, 0.01, 0.04, 0.03, float("nan"), 0.2]
    rng = np.random.default_rng(29)
    arms = []
    for shift, n in ((0.0, 400), (0.3, 350), (-0.2, 300)):
        x = rng.gamma(2.0, 1.5, n)
        y = 1.0 + 0.8 * x + shift + rng.normal(0, 1.0, n)
        x[rng.random(n) < 0.15] = np.nan  # users without a pre-period
        arms.append((y, x))
    theta, mean_x = cuped_theta(arms)
    adjusted = [cuped_adjust(y, x, theta, mean_x) for y, x in arms]

    def pooled_within(values):
        return sum(((v - v.mean()) ** 2).sum() for v in values)

    reduction = 1 - pooled_within(adjusted) / pooled_within([y for y, _ in arms])
    per_arm, _ = cuped_thetas(arms, "per-arm")
    per_arm_adjusted = [cuped_adjust(y, x, t, mean_x) for (y, x), t in zip(arms, per_arm)]
    n, big_v, tau2, diff = 1000, 2.5, 0.01, 0.11
    return {
        "bh95": {"p": bh95, "holm": holm(bh95), "bh": bh(bh95)},
        "ties": {"p": ties, "holm": adjust(ties, "holm"), "bh": adjust(ties, "bh")},
        "delta": {"args": [3.2, 4.1, 800, 3.5, 5.3, 760, 0.05],
                  "value": delta_relative(3.2, 4.1, 800, 3.5, 5.3, 760, 0.05)},
        "cuped": {"arms": [{"y": y.tolist(), "x": [None if math.isnan(v) else v for v in x]}
                           for y, x in arms],
                  "theta": theta, "mean_x": mean_x, "variance_reduction": reduction,
                  "adjusted_means": [float(a.mean()) for a in adjusted],
                  "per_arm_theta": per_arm,
                  "per_arm_adjusted_means": [float(a.mean()) for a in per_arm_adjusted],
                  "per_arm_variance_reduction":
                      1 - pooled_within(per_arm_adjusted) / pooled_within([y for y, _ in arms])},
        "msprt": {"n": n, "V": big_v, "tau2": tau2, "diff": diff,
                  "lambda": msprt_lambda(n, big_v, tau2, diff),
                  "half_width": msprt_half_width(diff, big_v / n, tau2, 0.05)},
    }


def load_all_rows(root):
    """Every row of the pre-period, as arm C (whatever experiments it carries)."""
    data = pd.concat([pd.read_json(f, lines=True, convert_dates=False, dtype=False)
                      for f in ab_reference.log_files(root)], ignore_index=True)
    data["arm"] = "C"
    data["order"] = np.arange(len(data))
    return data.sort_values(["user", "arm", "timestamp", "order"], kind="stable")


def decision(args):
    users = ab_reference.user_level(ab_reference.load(args.logs, args.experiment))
    pre = None
    if args.pre_logs:
        pre = ab_reference.user_level(load_all_rows(args.pre_logs)).set_index("user")
    arms = [a for a in ab_reference.ARMS if a in set(users["arm"])]
    samples = {}  # metric -> arm -> (y, x)
    for metric in ab_reference.METRICS:
        samples[metric] = {}
        for arm in arms:
            rows = users[(users["arm"] == arm) & users[metric].notna()]
            y = rows[metric].to_numpy(dtype=float)
            if pre is None:
                x = np.full(len(y), np.nan)
            else:
                x = rows["user"].map(pre[metric]).to_numpy(dtype=float)
            samples[metric][arm] = (y, x)
    rows = []
    for arm in arms[1:]:
        ordered = [args.primary] + [m for m in ab_reference.METRICS if m != args.primary]
        for metric in ordered:
            (c, xc), (t, xt) = samples[metric]["C"], samples[metric][arm]
            cuped = None
            if pre is not None:  # CUPED fitted on C and this arm
                thetas, mean_x = cuped_thetas([(c, xc), (t, xt)], args.cuped_theta)
                c, t = cuped_adjust(c, xc, thetas[0], mean_x), cuped_adjust(t, xt, thetas[1], mean_x)
                cuped = {"theta_control": thetas[0], "theta_treatment": thetas[1],
                         "pre_period_mean": mean_x}
            mc, vc, nc = c.mean(), c.var(ddof=1), len(c)
            mt, vt, nt = t.mean(), t.var(ddof=1), len(t)
            r, se, lower, upper = delta_relative(mc, vc, nc, mt, vt, nt, args.alpha)
            p = welch_p(mc, vc, nc, mt, vt, nt)
            row = {"treatment": arm, "metric": metric,
                   "role": "primary" if metric == args.primary else "guardrail",
                   "effect_pct": 100 * r, "delta_lower_pct": 100 * lower,
                   "delta_upper_pct": 100 * upper, "welch_p_value": p, "p_value": p,
                   "cuped": cuped}
            if args.sequential:
                log_lr = msprt_log_lambda(r, se * se, args.mixing_sd ** 2)
                half = msprt_half_width(r, se * se, args.mixing_sd ** 2, args.alpha)
                row["p_value"] = min(1.0, math.exp(-log_lr))
                row["lower_pct"], row["upper_pct"] = 100 * (r - half), 100 * (r + half)
            else:
                row["lower_pct"], row["upper_pct"] = 100 * lower, 100 * upper
            rows.append(row)
    for role in ("primary", "guardrail"):
        family = [r for r in rows if r["role"] == role]
        for r, a in zip(family, adjust([r["p_value"] for r in family], args.correction)):
            r["p_adjusted"] = a
    for r in rows:
        if not r["p_adjusted"] < args.alpha:
            r["outcome"] = "no evidence"
        else:
            good = (r["effect_pct"] > 0) == HIGHER_IS_BETTER[r["metric"]]
            r["outcome"] = "better" if good else "worse"
    return {"comparisons": rows}


def clean(v):
    """NaN -> null, recursively (JSON has no NaN)."""
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, dict):
        return {k: clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [clean(x) for x in v]
    return v


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--unit", action="store_true")
    p.add_argument("--logs")
    p.add_argument("--experiment")
    p.add_argument("--pre-logs")
    p.add_argument("--primary", default="mean_time_per_session")
    p.add_argument("--correction", default="holm", choices=["holm", "bh", "none"])
    p.add_argument("--cuped-theta", default="pooled", choices=["pooled", "per-arm"])
    p.add_argument("--sequential", action="store_true")
    p.add_argument("--mixing-sd", type=float, default=0.05)
    p.add_argument("--alpha", type=float, default=0.05)
    args = p.parse_args()
    out = unit_values() if args.unit else decision(args)
    json.dump(clean(out), sys.stdout, indent=None if args.unit else 1, allow_nan=False)
    print()


if __name__ == "__main__":
    main()
