"""semantic_train --retired: retired slices kept out of the tuning set, as training rows for the heads
(issue 10, round 11; policy_lab/corpus.py RETIRED_FOR_HEADS)."""

import json
from pathlib import Path

import pytest

from policy_lab import corpus
from policy_lab.semantic_train import HEAD_RULES, _retired_rows

DATA = Path(__file__).resolve().parents[2] / "data"
TUNING = [json.loads(line) for line in (DATA / "havebury_tuning.jsonl").open(encoding="utf-8")]


@pytest.mark.parametrize("name", corpus.RETIRED_FOR_HEADS)
def test_a_retired_slice_teaches_every_head_from_its_own_labels(name):
    raw = [json.loads(line) for line in (DATA / name).open(encoding="utf-8") if line.strip()]
    rows = _retired_rows([DATA / name], TUNING)
    assert len(rows) == len(raw)
    assert {r["split"] for r in rows} == {"train"}
    assert len({r["group"] for r in rows}) == len(rows)  # each comment its own template
    assert all("heads" not in r for r in rows)  # unlike a probe row, it speaks for every head
    threats = [r for r in rows if r["family"] == "threat"]
    assert threats
    assert all(HEAD_RULES["threat"](r) and HEAD_RULES["harassment"](r) for r in threats)
    routed = [r for r in rows if r["route"]]
    assert all(HEAD_RULES[str(r["route"])](r) for r in routed)


@pytest.mark.parametrize(
    "name",
    ["havebury_fresh.jsonl", "havebury_fresh2.jsonl", "havebury_tuning.jsonl", "threat_hate_probe.jsonl"],
)
def test_fresh_slices_and_rows_already_in_the_tuning_set_are_refused(name):
    with pytest.raises(ValueError, match="not a retired slice kept for the heads"):
        _retired_rows([DATA / name], TUNING)


def test_the_tuning_set_leaves_the_heads_slices_out():
    # Their rows stay out of the rules' train figures and the honest dev heads unless asked for.
    assert not set(corpus.RETIRED_FOR_HEADS) & set(corpus.RETIRED)
    assert not {r.get("source") for r in TUNING} & set(corpus.RETIRED_FOR_HEADS)
    assert corpus.retired() == [r for r in TUNING if r.get("source")]
