#!/usr/bin/env python3
"""Prints the ALL experiment's mean_time_per_session effects beside the effects the
original course published for its seven arms (C = Random), with, for each of botify's
arms, the closest course recommender and why, and what the two can be compared on.

  python3 scripts/course_table.py ALL_AB.json ALL_CONFIG.json

ALL_AB.json is `botify ab --experiment ALL --format json`; ALL_CONFIG.json the routing
config pushed for it (which recommender serves each arm). When the JSON holds the decision
(any decision flag, e.g. --config), each arm's verdict is printed beside it: better / worse /
no evidence on the primary metric after the correction, and the guardrails it violates.

What compares: the direction (significantly up, down, or not significant) and the
ordering of the recommenders that are the same on both sides. Percentages do not: the
worlds differ (catalog, users, embeddings), and the bases differ (see BASES).
"""
import json
import sys

METRIC = "mean_time_per_session"

# The course's ALL experiment as published: arm -> (recommender, effect %, lower %, upper %,
# significant). Source: anokhin/recsys-course-spring-2024, hw/homework-recommenders.png.
COURSE = {
    "T1": ("StickyArtist", 66.808790, 49.888056, 83.729524, True),
    "T2": ("TopPop", -8.107443, -24.809644, 8.594757, False),
    "T3": ("LightFM", 85.355152, 58.079592, 112.630712, True),
    "T4": ("DSSM", 124.734433, 88.423286, 161.045579, True),
    "T5": ("Contextual", 24.435533, 3.013460, 45.857605, True),
    "T6": ("Contextual, diverse lists", 122.130619, 81.885322, 162.375917, True),
}
COURSE_CONTROL_MEAN = 0.977139

# botify's recommender -> (the closest course recommender, why). Exact specs first, then
# by kind (the part before the list's name).
COUNTERPARTS = {
    "random": ("Random", "the same: a uniform track"),
    "sticky_artist": ("StickyArtist", "the same rule: a random track by the previous track's artist"),
    "toppop": ("TopPop", "the same rule: uniform among the 100 most played"),
    "indexed:lfm": ("LightFM", "the same model (WARP factorisation) and serving (uniform pick "
                    "from the user's top-100); also botify's nearest to DSSM, a learned "
                    "two-tower model botify does not have"),
    "indexed:ub": ("user-based CF (seminar, not in ALL)", "the seminar's algorithm exactly"),
    "contextual:ctxd": ("Contextual, diverse lists", "lists keyed by the previous track, "
                        "artists spread; botify's own trainer"),
    "contextual": ("Contextual", "lists keyed by the previous track, uniform pick; botify's "
                   "own trainer"),
    "session:contextual": ("Contextual (no course arm keeps sessions)", "the contextual lists "
                           "served with the server's memory of the session; not DSSM, which "
                           "is a learned two-tower model served as per-user lists"),
    "session:indexed": ("LightFM (no course arm keeps sessions)", "the per-user lists served "
                        "with the server's memory of the session"),
    "session:toppop": ("TopPop (no course arm keeps sessions)", "the top list served with the "
                       "server's memory of the session"),
    "session_model": ("DSSM (no course arm keeps sessions)", "a learned model of the session so "
                      "far (listen times, skips, artists) ranking the next track; closest to the "
                      "course's learned DSSM, but queried per request, not per user"),
}

BASES = """Bases. botify's analyzer counts in every session the start track's time 1.0 (the
simulator sends it with the session's first /next, as the course's simulator does), so
botify's control mean is 1.0 + the mean listening to Random's picks ({control:.3f} here).
The course's published control mean is {course:.3f}, below 1.0, which sessions that each
carry the start track's 1.0 cannot average: the course's figures leave it out. The column
"without the start 1.0" puts botify's effects on that basis, (T - C) / (C - 1). The
worlds still differ (catalog, users, embeddings), so compare directions and orderings,
not percentages."""


def counterpart(spec):
    if spec in COUNTERPARTS:
        return COUNTERPARTS[spec]
    parts = spec.split(":")
    for n in range(len(parts) - 1, 0, -1):
        kind = ":".join(parts[:n])
        if kind in COUNTERPARTS:
            return COUNTERPARTS[kind]
    return ("-", "no course counterpart")


def direction(significant, effect):
    return "0" if not significant else ("+" if effect > 0 else "-")


def interval(effect, lower, upper):
    return f"{effect:+.1f} [{lower:+.1f}, {upper:+.1f}]"


def rebased(e):
    """The effect and interval as % of (control mean - 1): the start track left out."""
    c = e["control_mean"]
    if c <= 1.0:
        return "n/a"
    scale = c / (c - 1.0)
    if e["lower_pct"] is None:
        return f"{e['effect_pct'] * scale:+.1f}"
    return interval(e["effect_pct"] * scale, e["lower_pct"] * scale, e["upper_pct"] * scale)


def kendall(pairs):
    """Kendall's tau-a of two orderings given as [(x, y)]; None with fewer than 2 pairs."""
    concordant = discordant = 0
    for i in range(len(pairs)):
        for j in range(i + 1, len(pairs)):
            s = (pairs[i][0] - pairs[j][0]) * (pairs[i][1] - pairs[j][1])
            concordant += s > 0
            discordant += s < 0
    n = len(pairs) * (len(pairs) - 1) // 2
    return None if n == 0 else (concordant - discordant) / n


def verdict_cell(v):
    if v is None:
        return "n/a"
    cell = v["verdict"]
    if v["guardrails_violated"]:
        cell += "; violates " + ", ".join(v["guardrails_violated"])
    return cell


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        ab = json.load(f)
    with open(sys.argv[2]) as f:
        config = json.load(f)
    arms = next(e["arms"] for e in config["experiments"] if e["name"] == ab["experiment"])
    effects = {e["treatment"]: e for e in ab["effects"] if e["metric"] == METRIC}
    decision = ab.get("decision")
    verdicts = {v["treatment"]: v for v in decision["verdicts"]} if decision else {}
    print("| arm | botify recommender | effect % [95% CI] | dir | verdict | "
          "without the start 1.0 % | course recommender in this arm | "
          "course effect % [95% CI] | dir | closest course counterpart of botify's "
          "recommender |")
    print("|---|---|---:|---|---|---:|---|---:|---|---|")
    for arm in sorted(set(effects) | set(COURSE), key=lambda a: (len(a), a)):
        spec = arms.get(arm, "default")
        e = effects.get(arm)
        ours = interval(e["effect_pct"], e["lower_pct"], e["upper_pct"]) if e else "n/a"
        ours_dir = direction(e["significant"], e["effect_pct"]) if e else ""
        course = COURSE.get(arm)
        theirs = interval(*course[1:4]) if course else "-"
        theirs_dir = direction(course[4], course[1]) if course else ""
        name, why = counterpart(spec)
        print(f"| {arm} | {spec} | {ours} | {ours_dir} | {verdict_cell(verdicts.get(arm))} | "
              f"{rebased(e) if e else 'n/a'} | "
              f"{course[0] if course else '-'} | {theirs} | {theirs_dir} | {name}: {why} |")

    # The same recommender on both sides: a botify arm whose closest counterpart is a course
    # arm's recommender (the session-aware arms have none).
    course_by_name = {v[0]: (arm, v) for arm, v in COURSE.items()}
    matched = []
    for arm, e in effects.items():
        name = counterpart(arms.get(arm, ""))[0]
        if name in course_by_name:
            matched.append((arm, e, *course_by_name[name]))
    print("\nDirections (+ significantly longer sessions than Random, - shorter, 0 not "
          "significant) and ordering of the recommenders both sides have:")
    agree = 0
    for arm, e, course_arm, c in sorted(matched, key=lambda m: -m[1]["effect_pct"]):
        ours, theirs = direction(e["significant"], e["effect_pct"]), direction(c[4], c[1])
        agree += ours == theirs
        print(f"  {arms[arm]} ({arm}) {ours} {e['effect_pct']:+.1f}% | course {c[0]} "
              f"({course_arm}) {theirs} {c[1]:+.1f}%")
    tau = kendall([(m[1]["effect_pct"], m[3][1]) for m in matched])
    if matched:
        print(f"  same direction: {agree} of {len(matched)}; order agreement (Kendall tau) "
              f"{'n/a' if tau is None else f'{tau:+.2f}'}")
    print("  DSSM (course T4) has no counterpart: botify has no two-tower model; its nearest is "
          "indexed:lfm, a learned embedding model served as per-user lists.")
    if decision:
        cuped = "CUPED with day 1" if decision["cuped"] else "no CUPED"
        print(f"\nverdict: {decision['primary']} after {decision['correction']} over "
              f"{decision['primary_tests']} arms (guardrails: {decision['guardrail_tests']} "
              f"tests), {cuped}, alpha {decision['alpha']}")
    best = max(effects.values(), key=lambda e: e["effect_pct"], default=None)
    if best:
        print(f"\nbest arm: {best['treatment']} ({arms.get(best['treatment'])}) "
              f"{best['effect_pct']:+.1f}%; the course's best: T4 (DSSM) +124.7%, "
              "on another world and basis")
        print("\n" + BASES.format(control=best["control_mean"], course=COURSE_CONTROL_MEAN))


if __name__ == "__main__":
    main()
