"""TweetEval offensive: can a blend learnt on the train split alone beat the shipped models on val?

Out-of-fold scores on train (5 stratified folds) for the word model (``training._fit``, the shipped
recipe) and for a head on the MiniLM sentence vectors (logistic, as shipped, or a one-layer MLP);
a logistic stack on their log-odds and its threshold are fitted on those train scores only; then
the models refitted on all of train score val once. Prints val macro-F1 for each system. Nothing
is written: this measures what a stacked blend would buy (docs/evaluation.md), it is not shipped.

    python -m policy_lab.tweeteval_stack --tweeteval-dir ../shared/data/tweeteval --cache /tmp/plcache
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import hstack
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.neural_network import MLPClassifier

from moderation.policy.semantic import SemanticModel
from policy_lab.semantic_train import _cached, _rows
from policy_lab.training import TrainConfig, _fit

SEED = 20261202
GRID = np.round(np.arange(0.15, 0.85, 0.01), 2)


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.asarray(np.log(p / (1 - p)))


def _macro(y: np.ndarray, pred: np.ndarray) -> float:
    return float(f1_score(y, pred, average="macro"))


def _head(kind: str) -> Any:
    if kind == "mlp":
        return MLPClassifier(
            hidden_layer_sizes=(256,), alpha=1e-3, early_stopping=True, random_state=1, max_iter=200
        )
    return LogisticRegression(C=4.0, class_weight="balanced", max_iter=3000, random_state=SEED)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tweeteval-dir", type=Path, required=True)
    parser.add_argument("--cache", type=Path, help="Folder to keep encoded vectors between runs.")
    args = parser.parse_args()
    train, val = (
        _rows(args.tweeteval_dir / "offensive_train.jsonl"),
        _rows(args.tweeteval_dir / "offensive_val.jsonl"),
    )
    tx, vx = [r["text"] for r in train], [r["text"] for r in val]
    ty, vy = np.array([int(r["label"]) for r in train]), np.array([int(r["label"]) for r in val])
    model = SemanticModel.load(
        {"version": "0", "labels": ["x"], "weights": [[0.0] * 384], "bias": [0.0], "thresholds": {}},
        lexical=False,
    )
    (xs, _), (vs, _) = (
        _cached(model, train, args.cache, "olid", spelt=False),
        _cached(model, val, args.cache, "olidval", spelt=False),
    )
    cfg = TrainConfig()
    folds = list(StratifiedKFold(5, shuffle=True, random_state=SEED).split(xs, ty))
    oof: dict[str, np.ndarray] = {k: np.zeros(len(ty)) for k in ("word", "lr", "mlp")}
    for tr, te in folds:
        vecs, clf = _fit([tx[i] for i in tr], ty[tr], cfg)
        oof["word"][te] = clf.predict_proba(hstack([v.transform([tx[i] for i in te]) for v in vecs]).tocsr())[
            :, 1
        ]
        for kind in ("lr", "mlp"):
            oof[kind][te] = _head(kind).fit(xs[tr], ty[tr]).predict_proba(xs[te])[:, 1]
    vecs, clf = _fit(tx, ty.tolist(), cfg)
    on_val = {"word": clf.predict_proba(hstack([v.transform(vx) for v in vecs]).tocsr())[:, 1]}
    for kind in ("lr", "mlp"):
        on_val[kind] = _head(kind).fit(xs, ty).predict_proba(vs)[:, 1]
    systems = {name: (oof[name], on_val[name]) for name in oof}
    for kind in ("lr", "mlp"):
        feats, vfeats = (
            np.c_[_logit(oof["word"]), _logit(oof[kind])],
            np.c_[_logit(on_val["word"]), _logit(on_val[kind])],
        )
        stack = LogisticRegression().fit(feats, ty)
        systems[f"word + {kind} stack"] = (
            stack.predict_proba(feats)[:, 1],
            stack.predict_proba(vfeats)[:, 1],
        )
    for name, (o, v) in systems.items():
        t = max(GRID, key=lambda t: _macro(ty, o >= t))
        line = f"{name:18s} threshold {t:.2f} (train out-of-fold macro-F1 {_macro(ty, o >= t):.3f})"
        print(f"{line}  val macro-F1 {_macro(vy, v >= t):.3f}")  # noqa: T201


if __name__ == "__main__":
    main()
