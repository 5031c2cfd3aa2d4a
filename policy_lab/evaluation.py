"""Scoring the engine against labelled data (pure; used by `manage.py evaluate_policy` and tests).

Own data lines: {"id", "text", "links", "has_media"?, "categories": [...], "route": null|"..."}.
TweetEval offensive lines: {"text", "label": 0|1}. For TweetEval, "offensive" means the engine
raised profanity, harassment or hate, or the model's score reached its own tuned threshold
(OLID's "offensive" covers profanity and targeted insults, and the page-level flag for those
categories needs a stricter model threshold than OLID's tweets do).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from moderation.policy.result import HARM_CATEGORIES, ROUTES, Result

ABUSE = ("profanity", "harassment", "hate")


@dataclass
class Scores:
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    support: Counter[str] = field(default_factory=Counter)

    def precision(self, c: str) -> float:
        d = self.tp[c] + self.fp[c]
        return self.tp[c] / d if d else 0.0

    def recall(self, c: str) -> float:
        d = self.tp[c] + self.fn[c]
        return self.tp[c] / d if d else 0.0

    def f1(self, c: str) -> float:
        p, r = self.precision(c), self.recall(c)
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class OwnReport:
    n: int
    scores: Scores
    route_confusion: Counter[tuple[str, str]]
    harm_recall: float
    clean_false_flag_rate: float
    route_recall: float
    macro_f1: float
    errors: list[dict[str, Any]]
    right_category: float = 0.0  # harmful items whose every labelled category was flagged
    false_route_rate: float = 0.0  # items with no route label that were given one
    families: dict[str, tuple[int, int]] = field(default_factory=dict)  # family -> (right, total)


def load_jsonl(path: str) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def evaluate_own(rows: Sequence[dict[str, Any]], run: Callable[[dict[str, Any]], Result]) -> OwnReport:
    scores = Scores()
    routes: Counter[tuple[str, str]] = Counter()
    harm_items = harm_found = clean_items = clean_flagged = routed = routed_ok = 0
    harm_right = unrouted = false_routes = 0
    families: dict[str, list[int]] = {}
    errors: list[dict[str, Any]] = []
    for row in rows:
        result = run(row)
        gold = set(row.get("categories", ()))
        pred = set(result.categories)
        for c in HARM_CATEGORIES:
            scores.support[c] += c in gold
            if c in gold and c in pred:
                scores.tp[c] += 1
            elif c in pred:
                scores.fp[c] += 1
            elif c in gold:
                scores.fn[c] += 1
        gold_route = row.get("route") or "none"
        pred_route = result.route or "none"
        routes[(gold_route, pred_route)] += 1
        for r in ROUTES:
            scores.support[r] += gold_route == r
            if gold_route == r and pred_route == r:
                scores.tp[r] += 1
            elif pred_route == r:
                scores.fp[r] += 1
            elif gold_route == r:
                scores.fn[r] += 1
        if gold:
            harm_items += 1
            harm_found += bool(pred)
            harm_right += gold <= pred
        else:
            clean_items += 1
            clean_flagged += bool(pred)
        if gold_route != "none":
            routed += 1
            routed_ok += gold_route == pred_route
        else:
            unrouted += 1
            false_routes += pred_route != "none"
        if "family" in row:
            # Right for its family: every labelled category found (or nothing, for a clean row),
            # and the labelled route (or none).
            right = (gold <= pred if gold else not pred) and gold_route == pred_route
            tally = families.setdefault(str(row["family"]), [0, 0])
            tally[0] += right
            tally[1] += 1
        if gold != pred or gold_route != pred_route:
            errors.append(
                {
                    "id": row.get("id"),
                    "gold": sorted(gold),
                    "pred": sorted(pred),
                    "route": [gold_route, pred_route],
                }
            )
    present = [c for c in (*HARM_CATEGORIES, *ROUTES) if scores.support[c]]
    macro = sum(scores.f1(c) for c in present) / len(present) if present else 0.0
    return OwnReport(
        n=len(rows),
        scores=scores,
        route_confusion=routes,
        harm_recall=harm_found / harm_items if harm_items else 0.0,
        clean_false_flag_rate=clean_flagged / clean_items if clean_items else 0.0,
        route_recall=routed_ok / routed if routed else 0.0,
        macro_f1=macro,
        errors=errors,
        right_category=harm_right / harm_items if harm_items else 0.0,
        false_route_rate=false_routes / unrouted if unrouted else 0.0,
        families={k: (v[0], v[1]) for k, v in sorted(families.items())},
    )


@dataclass
class BinaryReport:
    n: int
    tp: int
    fp: int
    fn: int
    tn: int

    def f1(self, positive: bool = True) -> float:
        tp, fp, fn = (self.tp, self.fp, self.fn) if positive else (self.tn, self.fn, self.fp)
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    @property
    def macro_f1(self) -> float:
        return (self.f1(True) + self.f1(False)) / 2

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0


def offensive(result: Result, model_threshold: float | None, semantic_threshold: float | None = None) -> bool:
    """Abuse flags, or the word model's score, or the semantic layer's offensive head, at threshold."""
    if any(c in ABUSE for c in result.categories):
        return True
    if (
        result.model_score is not None
        and model_threshold is not None
        and result.model_score >= model_threshold
    ):
        return True
    score = result.semantic_scores.get("offensive")
    return score is not None and semantic_threshold is not None and score >= semantic_threshold


def evaluate_binary(gold: Iterable[bool], pred: Iterable[bool]) -> BinaryReport:
    tp = fp = fn = tn = 0
    for g, p in zip(gold, pred, strict=True):
        tp += g and p
        fp += (not g) and p
        fn += g and not p
        tn += (not g) and not p
    return BinaryReport(n=tp + fp + fn + tn, tp=tp, fp=fp, fn=fn, tn=tn)
