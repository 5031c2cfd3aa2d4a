"""Training for the offensive-language model (``model.py``): JSONL in, gzipped JSON artefact out.

Reproducible: no randomness except the seeded cross-validation folds and the seeded
split of project data into train/val when no validation file is given. The liblinear solver
used here is deterministic for a fixed input order.

Pure code: no Django. ``manage.py train_classifier`` (policy_lab/management) is the command-line wrapper.
"""

from __future__ import annotations

import gzip
import json
import pathlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold, train_test_split

from moderation.policy.model import FORMAT_VERSION, OffensiveModel, char_ngrams, word_ngrams

SEED = 20261125
MODEL_NAME = "olid-tfidf-lr"


@dataclass(frozen=True, slots=True)
class TrainConfig:
    word_max_n: int = 2
    char_min_n: int = 2
    char_max_n: int = 5
    min_df: int = 2
    C: float = 3.0
    class_weight: str | None = "balanced"
    seed: int = SEED


@dataclass(slots=True)
class TrainResult:
    artefact: dict[str, Any]
    report: dict[str, Any] = field(default_factory=dict)


def read_jsonl(path: pathlib.Path) -> tuple[list[str], list[int]]:
    """Read ``{"text": str, "label": 0|1}`` lines; stops with the line number on bad input."""
    texts: list[str] = []
    labels: list[int] = []
    with pathlib.Path(path).open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            row = json.loads(line)
            label = int(row["label"])
            if label not in (0, 1) or not isinstance(row["text"], str):
                raise ValueError(f"{path}:{lineno}: expected text:str and label 0|1, got {row!r:.80}")
            texts.append(row["text"])
            labels.append(label)
    return texts, labels


def _analyzers(cfg: TrainConfig) -> list[tuple[str, int, int, Callable[[str], list[str]]]]:
    def words(t: str) -> list[str]:
        return word_ngrams(t, cfg.word_max_n)

    def chars(t: str) -> list[str]:
        return char_ngrams(t, cfg.char_min_n, cfg.char_max_n)

    return [("word", 1, cfg.word_max_n, words), ("char", cfg.char_min_n, cfg.char_max_n, chars)]


def _fit(
    texts: Sequence[str], labels: Sequence[int], cfg: TrainConfig
) -> tuple[list[Any], LogisticRegression]:
    vecs = [
        TfidfVectorizer(analyzer=fn, min_df=cfg.min_df, sublinear_tf=True, dtype=np.float64)
        for _, _, _, fn in _analyzers(cfg)
    ]
    X = hstack([v.fit_transform(texts) for v in vecs]).tocsr()
    clf = LogisticRegression(
        C=cfg.C, solver="liblinear", class_weight=cfg.class_weight, max_iter=5000, random_state=cfg.seed
    )
    clf.fit(X, np.asarray(labels))
    return vecs, clf


def _sig(x: float) -> float:
    return float(f"{x:.5g}")


def _to_artefact(
    vecs: list[Any],
    clf: LogisticRegression,
    cfg: TrainConfig,
    threshold: float,
    meta: dict[str, Any],
    version: str,
) -> dict[str, Any]:
    coef = clf.coef_[0]
    blocks = []
    offset = 0
    for (kind, min_n, max_n, _), vec in zip(_analyzers(cfg), vecs, strict=True):
        vocab: dict[str, int] = vec.vocabulary_
        terms = sorted(vocab, key=vocab.__getitem__)
        n = len(terms)
        block_coef = coef[offset : offset + n]
        offset += n
        blocks.append(
            {
                "kind": kind,
                "min_n": min_n,
                "max_n": max_n,
                "terms": terms,
                "idf": [_sig(v) for v in vec.idf_],
                "coef": [_sig(v) for v in block_coef],
            }
        )
    return {
        "format": FORMAT_VERSION,
        "name": MODEL_NAME,
        "version": version,
        "intercept": float(clf.intercept_[0]),
        "threshold": threshold,
        "blocks": blocks,
        "meta": meta,
    }


def evaluate(
    model: OffensiveModel, texts: Sequence[str], labels: Sequence[int], threshold: float | None = None
) -> dict[str, Any]:
    """Macro-F1 and per-class precision/recall/F1 at ``threshold`` (default: the model's)."""
    t = model.threshold() if threshold is None else threshold
    scores = np.asarray(model.score_many(texts))
    return metrics(np.asarray(labels), scores >= t) | {"threshold": t}


def metrics(y: np.ndarray[Any, Any], pred: np.ndarray[Any, Any]) -> dict[str, Any]:
    p, r, f, s = precision_recall_fscore_support(y, pred, labels=[0, 1], zero_division=0)
    return {
        "macro_f1": float(f1_score(y, pred, average="macro")),
        "per_class": {
            name: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(s[i])}
            for i, name in enumerate(("not_offensive", "offensive"))
        },
    }


def best_threshold(y: Sequence[int], scores: Sequence[float]) -> tuple[float, float]:
    """The threshold on a 0.01 grid in [0.20, 0.80] with the highest macro-F1 (ties: nearest 0.5)."""
    ya = np.asarray(y)
    sa = np.asarray(scores)
    grid = np.round(np.arange(0.20, 0.801, 0.01), 2)
    results = [(float(f1_score(ya, sa >= t, average="macro")), -abs(float(t) - 0.5), float(t)) for t in grid]
    f1, _, t = max(results)
    return t, f1


def cross_validate(texts: Sequence[str], labels: Sequence[int], cfg: TrainConfig, folds: int = 5) -> float:
    """Mean macro-F1 at 0.5 over seeded stratified folds of the training data (for choosing ``C``)."""
    y = np.asarray(labels)
    scores = []
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=cfg.seed)
    for tr, te in splitter.split(np.zeros(len(y)), y):
        vecs, clf = _fit([texts[i] for i in tr], y[tr].tolist(), cfg)
        X = hstack([v.transform([texts[i] for i in te]) for v in vecs]).tocsr()
        scores.append(f1_score(y[te], clf.predict(X), average="macro"))
    return float(np.mean(scores))


def train(
    train_texts: Sequence[str],
    train_labels: Sequence[int],
    val_texts: Sequence[str] | None = None,
    val_labels: Sequence[int] | None = None,
    *,
    cfg: TrainConfig | None = None,
    version: str = "dev",
    meta: dict[str, Any] | None = None,
    log: Callable[[str], None] = lambda _msg: None,
) -> TrainResult:
    """Fit on train; choose the decision threshold on val (or on a seeded 10% hold-out of train)."""
    cfg = cfg or TrainConfig()
    texts, labels = list(train_texts), list(train_labels)
    if val_texts is None or val_labels is None:
        texts, val_t, labels, val_l = train_test_split(
            texts, labels, test_size=0.1, stratify=labels, random_state=cfg.seed
        )
        val_texts, val_labels = val_t, val_l
        log(f"no validation file: held out {len(val_texts)} of the training rows (seed {cfg.seed})")
    log(f"fitting on {len(texts)} rows ({sum(labels)} offensive), C={cfg.C}")
    vecs, clf = _fit(texts, labels, cfg)
    log(f"vocabulary: {' + '.join(str(len(v.vocabulary_)) for v in vecs)} terms")
    draft = OffensiveModel.from_dict(_to_artefact(vecs, clf, cfg, 0.5, {}, version))
    val_scores = draft.score_many(val_texts)
    threshold, _ = best_threshold(val_labels, val_scores)
    at_half = metrics(np.asarray(val_labels), np.asarray(val_scores) >= 0.5)
    at_best = metrics(np.asarray(val_labels), np.asarray(val_scores) >= threshold)
    report = {
        "train_rows": len(texts),
        "val_rows": len(val_texts),
        "config": {k: getattr(cfg, k) for k in cfg.__slots__},
        "val_at_0.5": at_half,
        "threshold": threshold,
        "val_at_threshold": at_best,
    }
    log(
        f"val macro-F1 {at_half['macro_f1']:.4f} at 0.50; {at_best['macro_f1']:.4f} at tuned threshold {threshold:.2f}"
    )
    artefact = _to_artefact(vecs, clf, cfg, threshold, (meta or {}) | {"report": report}, version)
    return TrainResult(artefact=artefact, report=report)


def save_artefact(artefact: dict[str, Any], path: pathlib.Path) -> int:
    """Write the artefact as gzipped JSON (deterministic bytes: fixed mtime); returns its size."""
    raw = json.dumps(artefact, separators=(",", ":"), ensure_ascii=False, sort_keys=True).encode()
    data = gzip.compress(raw, compresslevel=9, mtime=0)
    pathlib.Path(path).parent.mkdir(parents=True, exist_ok=True)
    pathlib.Path(path).write_bytes(data)
    return len(data)
