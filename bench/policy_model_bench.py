"""Offensive-language model: quality on TweetEval val, single-core throughput, and the issue's baselines.

Importable by ``bench/policy_bench.py``:

    from bench.policy_model_bench import model_report, baselines_report, throughput

Run on its own (one process, so one core):

    python -m bench.policy_model_bench --data-dir PATH/TO/tweeteval

Baselines (alt-profanity-check, better-profanity) are dev-only; a missing one is reported as such.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sklearn.metrics import f1_score, precision_recall_fscore_support

from moderation.policy.model import OffensiveModel, default_model
from policy_lab.training import read_jsonl


def _quality(labels: Sequence[int], pred: Sequence[bool]) -> dict[str, Any]:
    y = np.asarray(labels)
    p, r, f, _ = precision_recall_fscore_support(y, np.asarray(pred), labels=[0, 1], zero_division=0)
    return {
        "macro_f1": round(float(f1_score(y, np.asarray(pred), average="macro")), 4),
        "precision": [round(float(x), 4) for x in p],
        "recall": [round(float(x), 4) for x in r],
        "f1": [round(float(x), 4) for x in f],
    }


def throughput(fn: Callable[[str], object], texts: Sequence[str], min_seconds: float = 2.0) -> float:
    """Items per second for ``fn`` called on one text at a time, in this process (one core)."""
    done = 0
    start = time.perf_counter()
    while True:
        for t in texts:
            fn(t)
        done += len(texts)
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return done / elapsed


def model_report(
    texts: Sequence[str], labels: Sequence[int], model: OffensiveModel | None = None
) -> dict[str, Any]:
    model = model or default_model()
    cold = OffensiveModel.load()  # a fresh per-word cache: the first pass over unseen words
    cold_s = _timed(lambda: cold.score_many(texts))
    scores = model.score_many(texts)
    pred = [s >= model.threshold() for s in scores]
    return {
        "name": f"{model.name} {model.version}",
        "threshold": model.threshold(),
        **_quality(labels, pred),
        "items_per_s": round(throughput(model.score, texts)),
        "items_per_s_cold_cache": round(len(texts) / cold_s),
        "top_terms_per_s": round(throughput(model.top_terms, texts[:300], min_seconds=1.0)),
        "mean_chars": round(float(np.mean([len(t) for t in texts])), 1),
    }


def baselines_report(texts: Sequence[str], labels: Sequence[int]) -> dict[str, Any]:
    """alt-profanity-check and better-profanity on the same texts: F1 and items/s (one at a time)."""
    out: dict[str, Any] = {}
    try:
        from profanity_check import predict_prob  # type: ignore[import-not-found]

        probs = predict_prob(list(texts))
        out["alt-profanity-check"] = {
            **_quality(labels, [p >= 0.5 for p in probs]),
            "items_per_s": round(throughput(lambda t: predict_prob([t]), texts[:300], min_seconds=1.0)),
            "items_per_s_batched": round(len(texts) / _timed(lambda: predict_prob(list(texts)))),
        }
    except ImportError:
        out["alt-profanity-check"] = "not installed (pip install -r requirements-dev.txt)"
    try:
        from better_profanity import profanity  # type: ignore[import-not-found]

        profanity.load_censor_words()
        out["better-profanity"] = {
            **_quality(labels, [bool(profanity.contains_profanity(t)) for t in texts]),
            "items_per_s": round(throughput(profanity.contains_profanity, texts[:300], min_seconds=1.0)),
        }
    except ImportError:
        out["better-profanity"] = "not installed (pip install -r requirements-dev.txt)"
    return out


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--data-dir", type=pathlib.Path, required=True, help="Folder with offensive_val.jsonl."
    )
    parser.add_argument("--no-baselines", action="store_true")
    args = parser.parse_args()
    texts, labels = read_jsonl(args.data_dir / "offensive_val.jsonl")
    report: dict[str, Any] = {
        "data": f"TweetEval offensive val ({len(texts)} rows)",
        "model": model_report(texts, labels),
    }
    if not args.no_baselines:
        report["baselines"] = baselines_report(texts, labels)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
