#!/usr/bin/env python3
"""Prints the ALL experiment's mean_time_per_session effects beside the effects the
original course published for the same seven arms (C = Random).

  python3 scripts/course_table.py ALL_AB.json ALL_CONFIG.json

ALL_AB.json is `botify ab --experiment ALL --format json`; ALL_CONFIG.json the routing
config pushed for it (which recommender serves each arm).
"""
import json
import sys

# The course's ALL experiment: arm -> (its recommender, published effect in %, significant).
COURSE = {
    "T1": ("StickyArtist", 66.8, True),
    "T2": ("TopPop", -8.1, False),
    "T3": ("LightFM", 85.4, True),
    "T4": ("DSSM (its best personalised)", 124.7, True),
    "T5": ("Contextual", 24.4, True),
    "T6": ("Contextual, diverse lists", 122.1, True),
    # botify's own (no course counterpart): a session-aware twin, the session model.
    "T7": ("-", None, None),
    "T8": ("-", None, None),
}
METRIC = "mean_time_per_session"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        ab = json.load(f)
    with open(sys.argv[2]) as f:
        config = json.load(f)
    arms = next(e["arms"] for e in config["experiments"] if e["name"] == ab["experiment"])
    effects = {e["treatment"]: e for e in ab["effects"] if e["metric"] == METRIC}
    print("| arm | botify recommender | effect % [95% CI] | significant | "
          "course recommender | course effect % |")
    print("|---|---|---:|---|---|---:|")
    for arm, (name, published, significant) in COURSE.items():
        e = effects.get(arm)
        ours = (f"{e['effect_pct']:+.1f} [{e['lower_pct']:+.1f}, {e['upper_pct']:+.1f}]"
                if e else "n/a")
        sig = ("yes" if e["significant"] else "no") if e else "n/a"
        course = ("-" if published is None else
                  f"{published:+.1f}" + ("" if significant else " (n.s.)"))
        print(f"| {arm} | {arms.get(arm, 'default')} | {ours} | {sig} | {name} | {course} |")
    best = max(effects.values(), key=lambda e: e["effect_pct"], default=None)
    if best:
        print(f"\nbest arm: {best['treatment']} ({arms.get(best['treatment'])}) "
              f"{best['effect_pct']:+.1f}% against the course's best +124.7% (DSSM)")


if __name__ == "__main__":
    main()
