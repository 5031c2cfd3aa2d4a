"""Score the engine (with whatever heads are in moderation/policy/data) on labelled probe files.

Per family of rows (policy_lab/probe_rows.py reads every probe format): "found" is the share of
positives given one of their categories (or, for a route row, its route); "false" is the share of
hard negatives given a category (or route) that family is labelled for. Used to check a refit on a
probe family left out of its training (docs/evaluation.md, round 10).

    python -m policy_lab.probe_score tests/data/staff_defamation_probe*.jsonl
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

from moderation.policy.engine import check_many
from policy_lab import probe_rows

ROUTES = ("repair", "complaint", "personal_issue")
# Categories a hard negative of each kind must not get (its family's own, as the probe tests check).
WATCHED = {
    ("harassment", "hate", "staff_criticism", "offensive"): {"harassment", "hate", "staff_criticism"},
    ("offensive", "harassment", "hate"): {"profanity", "harassment", "hate"},
    ("threat", "harassment"): {"harassment"},
    ("hate", "offensive"): {"hate"},
    ("staff_criticism", "defamation"): {"staff_criticism", "defamation"},
    ("inappropriate_link", "repair", "complaint", "personal_issue"): {"inappropriate_link", *ROUTES},
}


def score(paths: list[Path]) -> dict[str, dict[str, int]]:
    rows = probe_rows.read(paths)
    results = check_many([(r["text"], (), False) for r in rows])
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # found, positives, false, negatives
    for row, result in zip(rows, results, strict=True):
        got = {f.category for f in result.flags} | ({result.route} if result.route else set())
        want = set(row["categories"]) | ({row["route"]} if row["route"] else set())
        kind = "+".join(sorted(want)) if want else "negative"
        family = row["id"].split(":")[0].rstrip("0123456789")
        t = tally[f"{family} {kind}"]
        if want:
            t[0] += bool(want & got)
            t[1] += 1
        else:
            t[2] += bool(WATCHED[tuple(row["heads"])] & got)
            t[3] += 1
    return {
        k: {"found": v[0], "positives": v[1], "false": v[2], "negatives": v[3]}
        for k, v in sorted(tally.items())
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", type=Path, nargs="+")
    args = parser.parse_args()
    totals = [0, 0, 0, 0]
    for name, s in score(args.files).items():
        if s["positives"]:
            print(f"{name:50s} found {s['found']}/{s['positives']}")  # noqa: T201
        else:
            print(f"{name:50s} false {s['false']}/{s['negatives']}")  # noqa: T201
        for i, k in enumerate(("found", "positives", "false", "negatives")):
            totals[i] += s[k]
    print(  # noqa: T201
        f"{'all':50s} found {totals[0]}/{totals[1]} ({totals[0] / max(1, totals[1]):.3f}), "
        f"false {totals[2]}/{totals[3]} ({totals[2] / max(1, totals[3]):.3f})"
    )


if __name__ == "__main__":
    main()
