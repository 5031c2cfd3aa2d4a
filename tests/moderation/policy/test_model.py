"""The offensive-language model: the shipped artefact and the pure-Python scorer (no database)."""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest
from scipy.sparse import hstack

from moderation.policy.model import OffensiveModel, char_ngrams, default_model, word_ngrams
from policy_lab import training

OFFENSIVE = [
    "you are a fucking idiot",
    "shut up you stupid bitch",
    "what a load of bullshit, you clowns are useless pieces of shit",
]
BENIGN = [
    "Thank you for fixing the boiler so quickly, really appreciated.",
    "When is the next residents' meeting at the community centre?",
    "The lift on the third floor is working again, thanks to the team.",
]
EDGE = ["", "   ", "🙂🙂🙂", "@user URL", "a" * 5000, "Ünïcödé ßtraße"]


@pytest.fixture(scope="module")
def model() -> OffensiveModel:
    return default_model()


def test_shipped_model_identifies_itself(model: OffensiveModel) -> None:
    assert model.name == "olid-tfidf-lr"
    assert model.version
    assert 0.0 < model.threshold() < 1.0
    assert default_model() is model  # loaded once per process


@pytest.mark.parametrize("text", OFFENSIVE)
def test_obviously_offensive_scores_above_threshold(model: OffensiveModel, text: str) -> None:
    assert model.score(text) >= model.threshold()


@pytest.mark.parametrize("text", BENIGN)
def test_benign_scores_below_threshold(model: OffensiveModel, text: str) -> None:
    assert model.score(text) < model.threshold()


@pytest.mark.parametrize("text", OFFENSIVE + BENIGN + EDGE)
def test_score_is_a_probability(model: OffensiveModel, text: str) -> None:
    assert 0.0 <= model.score(text) <= 1.0


def test_scores_are_deterministic_and_batch_equals_single(model: OffensiveModel) -> None:
    texts = OFFENSIVE + BENIGN + EDGE
    assert model.score_many(texts) == [model.score(t) for t in texts]
    assert model.score_many(texts) == model.score_many(texts)
    assert OffensiveModel.load().score_many(texts) == model.score_many(texts)


def test_case_does_not_change_the_score(model: OffensiveModel) -> None:
    assert model.score("You Are An IDIOT") == model.score("you are an idiot")


def test_top_terms_point_at_the_offending_words(model: OffensiveModel) -> None:
    terms = model.top_terms("thanks for nothing you fucking idiot", k=2)
    assert len(terms) == 2
    assert {t for t, _ in terms} <= {"fucking", "idiot"}
    assert all(weight > 0 for _, weight in terms)
    assert terms == sorted(terms, key=lambda tw: -tw[1])


def test_top_terms_respects_k_and_handles_empty_text(model: OffensiveModel) -> None:
    assert len(model.top_terms(OFFENSIVE[2], k=1)) == 1
    assert model.top_terms("", k=3) == []
    assert all(w >= 0.5 for _, w in model.top_terms(BENIGN[0], k=3))
    assert "a" not in dict(model.top_terms("you are a fucking idiot", k=3))


def test_analyzers_build_word_and_char_ngrams() -> None:
    assert word_ngrams("You IDIOT now", max_n=2) == ["you", "idiot", "now", "you idiot", "idiot now"]
    assert char_ngrams("ab", 2, 5) == [" a", "ab", "b ", " ab", "ab ", " ab "]
    assert char_ngrams("a", 2, 5) == [" a", "a ", " a "]


TINY = (
    [
        "you idiot",
        "you are an idiot",
        "what a moron",
        "stupid moron",
        "nice day",
        "lovely garden",
        "thanks a lot",
        "great work team",
    ],
    [1, 1, 1, 1, 0, 0, 0, 0],
)


def test_training_round_trip_matches_sklearn(tmp_path: pathlib.Path) -> None:
    texts, labels = TINY
    cfg = training.TrainConfig(min_df=1, C=10.0)
    result = training.train(texts, labels, texts, labels, cfg=cfg, version="test")
    path = tmp_path / "m.json.gz"
    training.save_artefact(result.artefact, path)
    loaded = OffensiveModel.load(path)
    assert loaded.version == "test"
    assert result.report["val_at_threshold"]["macro_f1"] == 1.0
    # The pure-Python scorer reproduces sklearn's decision function on the same features.
    vecs, clf = training._fit(texts, labels, cfg)
    probe = ["you moron", "nice work", "an idiot garden", "zzz"]
    expected = clf.decision_function(hstack([v.transform(probe) for v in vecs]).tocsr())
    assert np.allclose([loaded.decision(t) for t in probe], expected, atol=1e-3)
    assert loaded.score("you moron") > loaded.score("lovely day")


def test_training_is_reproducible(tmp_path: pathlib.Path) -> None:
    texts, labels = TINY
    cfg = training.TrainConfig(min_df=1)
    sizes = []
    for name in ("a", "b"):
        result = training.train(texts, labels, texts, labels, cfg=cfg, version="test")
        sizes.append(training.save_artefact(result.artefact, tmp_path / name))
    assert (tmp_path / "a").read_bytes() == (tmp_path / "b").read_bytes()


def test_read_jsonl_rejects_bad_labels(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "ok", "label": 0}\n{"text": "x", "label": 2}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.jsonl:2"):
        training.read_jsonl(path)


def test_artefact_format_is_checked() -> None:
    with pytest.raises(ValueError, match="train_classifier"):
        OffensiveModel.from_dict({"format": 999})


def test_train_classifier_command_runs_on_project_data_alone(tmp_path: pathlib.Path) -> None:
    from io import StringIO

    from django.core.management import call_command

    texts, labels = TINY
    extra = tmp_path / "ours.jsonl"
    rows = [{"text": f"{t} {i}", "label": y} for i in range(5) for t, y in zip(texts, labels, strict=True)]
    extra.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    out = tmp_path / "ours.json.gz"
    stdout = StringIO()
    call_command(
        "train_classifier", "--no-tweeteval", "--extra", str(extra), "--output", str(out), stdout=stdout
    )
    assert "held-out macro-F1" in stdout.getvalue()
    assert OffensiveModel.load(out).score("you idiot moron") > 0.5
