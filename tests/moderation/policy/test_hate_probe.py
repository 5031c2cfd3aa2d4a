"""Hate against immigrants and women, the targets of public hate-speech benchmarks.

tests/data/hate_probe.jsonl holds 53 comments written for this project (none copied
from a public set). The first 30 were used to tune the hate rules; the last 23 were
written before any further change and measured first: recall 0.60, precision 1.00.
They then informed three general patterns ("go home", "X for the X", "can't be
trusted"), so both parts are now tuning data and this test guards against regressions.
"""

import json
from pathlib import Path

from moderation.policy import check

ROWS = [
    json.loads(line) for line in (Path(__file__).resolve().parents[2] / "data" / "hate_probe.jsonl").open()
]


def test_hate_probe_recall_and_precision():
    predicted = {r["id"]: any(f.category == "hate" for f in check(r["text"]).flags) for r in ROWS}
    positives = [r for r in ROWS if r["hate"]]
    negatives = [r for r in ROWS if not r["hate"]]
    recall = sum(predicted[r["id"]] for r in positives) / len(positives)
    false_positive_rate = sum(predicted[r["id"]] for r in negatives) / len(negatives)
    assert recall >= 0.9, [r["text"] for r in positives if not predicted[r["id"]]]
    assert false_positive_rate <= 0.1, [r["text"] for r in negatives if predicted[r["id"]]]


def test_swearing_about_things_is_not_misogyny():
    flags = check("This weather is a bitch, the roof is leaking again").flags
    assert {f.category for f in flags} >= {"profanity"}
    assert not {"hate", "harassment"} & {f.category for f in flags}
