"""Minimum quality on the project's own labelled set (tests/data); the figures are in docs/evaluation.md."""

from pathlib import Path

import pytest

from moderation.policy import check
from policy_lab.evaluation import evaluate_own, load_jsonl

DATA = Path(__file__).resolve().parents[2] / "data"


def _report(name):
    rows = load_jsonl(str(DATA / name))
    return evaluate_own(
        rows, lambda r: check(r["text"], links=r["links"], has_media=r.get("has_media", False))
    )


@pytest.fixture(scope="module")
def own():
    return _report("havebury_comments.jsonl")


def test_dataset_is_big_enough_and_covers_everything(own):
    assert own.n >= 250
    for c in ("profanity", "harassment", "hate", "defamation", "misinformation", "personal_data",
              "staff_criticism", "inappropriate_link", "inappropriate_image", "copyright",
              "repair", "complaint", "personal_issue"):  # fmt: skip
        assert own.scores.support[c] >= 1, c


def test_harm_recall(own):
    assert own.harm_recall >= 0.90


def test_clean_comments_rarely_flagged(own):
    assert own.clean_false_flag_rate <= 0.05


def test_routes_found(own):
    assert own.route_recall >= 0.85


def test_personal_data(own):
    assert own.scores.recall("personal_data") >= 0.95
    assert own.scores.precision("personal_data") >= 0.95


@pytest.mark.parametrize(
    "category", ["profanity", "harassment", "hate", "staff_criticism", "inappropriate_link"]
)
def test_core_categories(own, category):
    assert own.scores.recall(category) >= 0.85
    assert own.scores.precision(category) >= 0.85


def test_holdout_written_before_the_rules():
    holdout = _report("havebury_comments_holdout.jsonl")
    assert holdout.harm_recall >= 0.90
    assert holdout.clean_false_flag_rate <= 0.05
    assert holdout.route_recall >= 0.85
