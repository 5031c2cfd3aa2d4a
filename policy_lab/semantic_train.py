"""Train the semantic layer's heads (moderation/policy/data/semantic_heads.json).

Features are what the engine computes (``SemanticModel`` with the shipped vectors), on the rows as
written by default; ``--train-text spelt`` fits on the text as the engine's speller corrects it for the
encoder and the lexical view (``engine.encode_semantic``), which measured lower on the honest dev
column in round 7 (docs/evaluation.md), so the shipped heads are fitted on the raw text. Data: the tuning set (tests/data/havebury_tuning.jsonl) plus the older own
set (tests/data/havebury_comments.jsonl), and for the "offensive" head also TweetEval/OLID train.
Each head's threshold is chosen on out-of-fold scores from 5 folds grouped by template (a head never
scores a template it learnt), then the head is refitted on everything. Every head but "offensive"
also gets a lexical view (TF-IDF word and char n-grams, ``moderation/policy/lexical.py``) whose
probability is blended with the encoder head's; thresholds are chosen on the blend. No fresh slice
is read here; since round 5 the tuning set carries the retired second slice (havebury_fresh2.jsonl,
all in "train", see policy_lab/corpus.py). ``--extra`` adds labelled probe files (tests/data/*_probe*.jsonl,
read by policy_lab/probe_rows.py); the shipped heads are not trained on them (round 10, docs/evaluation.md).
``--retired`` adds retired slices kept out of the tuning set (``corpus.RETIRED_FOR_HEADS``: fresh3 and
fresh4, written blind by other writers; blind7 and blind8, written for the heads) as training rows for every
head (round 11). ``--threshold-on`` chooses each head's threshold on one such slice's blend scores (the
text as the engine reads it, scored by the final fit) instead of the out-of-fold scores, with the same
betas and floor; the out-of-fold thresholds are kept in ``meta.oof_thresholds``.

    python -m policy_lab.semantic_train --tweeteval-dir ../shared/data/tweeteval --floor 0.3
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, f1_score, fbeta_score
from sklearn.model_selection import GroupKFold

from moderation.policy.config import PolicyConfig
from moderation.policy.engine import encode_semantic
from moderation.policy.lexical import ARTEFACT as LEXICAL
from moderation.policy.lexical import analyse, to_artefact
from moderation.policy.semantic import HEADS, SemanticModel
from moderation.policy.semantic_flags import GATED_HEADS
from policy_lab import corpus, probe_rows
from policy_lab.finetune_encoder import held_out

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
OUT = ROOT / "moderation" / "policy" / "data" / HEADS
LEXICAL_C = 8.0
WEIGHT_GRID = (0.3, 0.5, 0.7)
SEED = 20261202

# head -> does a labelled row count as positive? (None: the row says nothing about this head)
Rule = Callable[[dict[str, Any]], bool | None]


def _cat(name: str) -> Rule:
    return lambda r: name in r.get("categories", ()) or r.get("route") == name


def _family(name: str) -> Rule:
    return lambda r: (r["family"] == name) if "family" in r else None


ROUTE_HEADS = ("repair", "complaint", "personal_issue", "compliment")
# GATED_HEADS: heads whose flags the engine gates on evidence in the text (semantic_flags): the gate
# carries precision, so their thresholds take F1 (--gated-beta) instead of F0.5. Threat, harassment and
# defamation have no such gate; staff criticism's (someone in a job is named) passes almost any comment,
# and F1 there added false flags on the dev templates. They keep F0.5.
# Harm heads without an evidence gate whose families the independent slices find weakest (--harm-beta).
HARM_HEADS = ("threat", "harassment", "defamation", "staff_criticism")
HEAD_RULES: dict[str, Rule] = {
    "threat": _family("threat"),
    "harassment": _cat("harassment"),
    "hate": _cat("hate"),
    "misinformation": _cat("misinformation"),
    "defamation": _cat("defamation"),
    "staff_criticism": _cat("staff_criticism"),
    "inappropriate_link": _cat("inappropriate_link"),
    "repair": _cat("repair"),
    "complaint": _cat("complaint"),
    "personal_issue": _cat("personal_issue"),
    "compliment": _family("compliment"),
    "offensive": lambda r: bool({"profanity", "harassment", "hate"} & set(r.get("categories", ()))),
}


def _rows(path: Path) -> list[dict[str, Any]]:
    """JSON lines, one object each."""
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def _extra_rows(paths: list[Path], tuning: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Probe rows to train on too, minus any whose text is a dev row's (dev is what the engine is
    measured on honestly)."""
    dev = {r["text"].strip().casefold() for r in tuning if r["split"] == "dev"}
    rows = probe_rows.read(paths)
    kept = [r for r in rows if r["text"].strip().casefold() not in dev]
    print(f"extra rows: {len(kept)} from {len(paths)} files ({len(rows) - len(kept)} dropped as dev text)")  # noqa: T201
    return kept


def _retired_rows(paths: list[Path], tuning: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of retired slices the tuning set leaves out, labelled for every head as tuning rows are,
    minus any whose text is a dev row's. Fresh slices, and slices already in the tuning set, are refused."""
    dev = {r["text"].strip().casefold() for r in tuning if r["split"] == "dev"}
    rows: list[dict[str, Any]] = []
    for path in paths:
        _check_retired(path)
        rows += [r for r in corpus.slice_rows(path.name) if str(r["text"]).strip().casefold() not in dev]
    print(f"retired rows: {len(rows)} from {len(paths)} slices")  # noqa: T201
    return rows


def _check_retired(path: Path) -> None:
    if path.name not in corpus.RETIRED_FOR_HEADS:
        raise ValueError(
            f"{path.name} is not a retired slice kept for the heads ({', '.join(corpus.RETIRED_FOR_HEADS)}); "
            "fresh slices are for measuring only and the tuning set's retired rows are read already"
        )


def _threshold_rows(paths: list[Path]) -> list[dict[str, Any]]:
    """The labelled slices that --threshold-on chooses thresholds on: retired slices only, never a fresh one."""
    for path in paths:
        _check_retired(path)
    return [row for path in paths for row in corpus.slice_rows(path.name)]


def _slice_thresholds(
    y_by_head: dict[str, np.ndarray], p_by_head: dict[str, np.ndarray], betas: dict[str, float], floor: float
) -> dict[str, float]:
    """Each head's best F-beta threshold on a slice's blend scores; a head the slice has no positive
    for gets none (the caller keeps its out-of-fold threshold)."""
    return {
        head: _best_threshold(y, p_by_head[head], floor, betas[head])
        for head, y in y_by_head.items()
        if y.any()
    }


def _engine_view(model: SemanticModel, texts: list[str], *, spelt: bool) -> tuple[np.ndarray, list[str]]:
    """Sentence vectors and the text the lexical view reads: with `spelt`, exactly as the engine
    computes them at inference (misspelt key words corrected by the default config's speller since
    round 7); else from the rows as written (--train-text raw, how the shipped heads were fitted)."""
    if not texts:
        return np.zeros((0, 384), dtype=np.float32), []
    if not spelt:
        return np.stack([e.vector for e in model.encode_many(texts)]), list(texts)
    encoded = encode_semantic(model, texts, PolicyConfig.default())
    return np.stack([e.vector for e in encoded]), [e.text for e in encoded]


def _fit(
    x: np.ndarray, y: np.ndarray, extra_x: np.ndarray | None, extra_y: np.ndarray | None, c: float
) -> LogisticRegression:
    if extra_x is not None and extra_y is not None and len(extra_x):
        x, y = np.vstack([x, extra_x]), np.concatenate([y, extra_y])
    return LogisticRegression(C=c, class_weight="balanced", max_iter=3000, random_state=SEED).fit(x, y)


def _cached(
    model: SemanticModel, rows: list[dict[str, Any]], cache: Path | None, name: str, *, spelt: bool
) -> tuple[np.ndarray, list[str]]:
    """Encoding TweetEval takes minutes; --cache keeps the vectors and the engine's text between runs
    (same encoder, same speller)."""
    texts = [r["text"] for r in rows]
    path = cache / f"{name}-{'spelt' if spelt else 'raw'}-{len(texts)}.npy" if cache else None
    seen = path.with_suffix(".json") if path is not None else None
    if path is not None and seen is not None and path.exists() and seen.exists():
        return np.asarray(np.load(path), dtype=np.float32), json.loads(seen.read_text(encoding="utf-8"))
    x, read = _engine_view(model, texts, spelt=spelt)
    if path is not None and seen is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, x)
        seen.write_text(json.dumps(read), encoding="utf-8")
    return x, read


class _Lexical:
    """TF-IDF word and char n-grams, each block l2-normalised, as ``moderation.policy.lexical`` scores."""

    def __init__(self, docs: list[tuple[list[str], list[str]]]) -> None:
        self.word = TfidfVectorizer(analyzer=lambda d: d[0], sublinear_tf=True, min_df=2)
        self.char = TfidfVectorizer(analyzer=lambda d: d[1], sublinear_tf=True, min_df=3)
        self.word.fit(docs)
        self.char.fit(docs)

    def transform(self, docs: list[tuple[list[str], list[str]]]) -> csr_matrix:
        return hstack([self.word.transform(docs), self.char.transform(docs)]).tocsr()


def _lexical_fit(x: csr_matrix, y: np.ndarray) -> LogisticRegression:
    return LogisticRegression(C=LEXICAL_C, class_weight="balanced", max_iter=5000, random_state=SEED).fit(
        x, y
    )


def _best_threshold(y: np.ndarray, p: np.ndarray, floor: float, beta: float) -> float:
    """Best F-beta on a 0.01 grid; beta < 1 leans to precision (a false flag costs an officer's time)."""
    grid = np.round(np.arange(floor, 0.96, 0.01), 2)
    scored = [(fbeta_score(y, p >= t, beta=beta, zero_division=0), float(t)) for t in grid]
    return max(scored)[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tweeteval-dir", type=Path, default=ROOT.parent / "shared" / "data" / "tweeteval")
    parser.add_argument("--C", type=float, default=4.0)
    parser.add_argument("--floor", type=float, default=0.5, help="Lowest threshold a head may get.")
    parser.add_argument("--beta", type=float, default=0.5, help="F-beta for harm heads' thresholds.")
    parser.add_argument(
        "--harm-beta",
        type=float,
        help=f"F-beta for the ungated harm heads {HARM_HEADS} (default: --beta); above 0.5 leans to recall.",
    )
    parser.add_argument("--route-beta", type=float, default=1.0, help="F-beta for route heads' thresholds.")
    parser.add_argument(
        "--gated-beta", type=float, default=1.0, help=f"F-beta for the gated heads' thresholds {GATED_HEADS}."
    )
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--cache", type=Path, help="Folder to keep encoded vectors between runs.")
    parser.add_argument(
        "--train-text",
        choices=("raw", "spelt"),
        default="raw",
        help="Fit on the rows as written (raw: the shipped heads; the honest dev column measured "
        "spelt lower in round 7, docs/evaluation.md) or as the engine's speller corrects them.",
    )
    parser.add_argument(
        "--oof-out",
        type=Path,
        help="Save each head's labels and out-of-fold blend scores (.npz), e.g. to compare betas.",
    )
    parser.add_argument(
        "--only-split",
        choices=("train", "dev"),
        help="Train on the tuning set's train (or dev) templates only, e.g. to measure the engine on the other split "
        "honestly with --out to a scratch folder; the older own set is left out too.",
    )
    parser.add_argument(
        "--lexical-weight",
        default="0.5",
        help="Share of the lexical view in every blended head (0: none), or 'auto': each head takes the share "
        f"from {WEIGHT_GRID} with the best out-of-fold average precision (tried, and worse on the dev templates: "
        "MODEL_CARD.md).",
    )
    parser.add_argument(
        "--holdout",
        type=float,
        default=0.0,
        help="For an encoder fine-tuned by policy_lab.finetune_encoder with the same --holdout: choose each "
        "threshold on the templates it held out (heads fitted on the rest) instead of 5 grouped folds.",
    )
    parser.add_argument(
        "--extra",
        type=Path,
        nargs="+",
        default=[],
        help="Labelled probe files to train on as well (e.g. tests/data/*_probe*.jsonl), each row teaching "
        "only the heads its family was labelled for (policy_lab/probe_rows.py); fresh slices are refused, "
        "rows whose text is in the tuning set's dev split are dropped.",
    )
    parser.add_argument(
        "--retired",
        type=Path,
        nargs="+",
        default=[],
        help=f"Retired slices to train every head on as well, each comment its own template ({corpus.RETIRED_FOR_HEADS}).",
    )
    parser.add_argument(
        "--threshold-on",
        type=Path,
        nargs="+",
        default=[],
        help="Choose each head's threshold on these retired slices' blend scores (same betas and floor) instead "
        f"of the out-of-fold scores ({corpus.RETIRED_FOR_HEADS}).",
    )
    args = parser.parse_args()

    # Placeholder heads: only the encoder's vectors are used here.
    model = SemanticModel.load(
        {"version": "0", "labels": ["x"], "weights": [[0.0] * 384], "bias": [0.0], "thresholds": {}}
    )

    tuning = _rows(DATA / "havebury_tuning.jsonl")
    if args.only_split:
        rows = [r for r in tuning if r["split"] == args.only_split]
    else:
        rows = tuning + _rows(DATA / "havebury_comments.jsonl")
    extra = _retired_rows(args.retired, tuning) + _extra_rows(args.extra, tuning)
    groups = np.array([r.get("group", r["id"]) for r in rows + extra])
    olid_path = args.tweeteval_dir / "offensive_train.jsonl"
    olid = _rows(olid_path) if olid_path.exists() else []
    spelt = args.train_text == "spelt"
    x_rows, read = _cached(model, rows, args.cache, "rows", spelt=spelt)
    # One cache entry per file, so fits that combine the same files differently encode nothing again.
    for _, same_file in itertools.groupby(extra, key=lambda r: r.get("source") or r["id"].split(":")[0]):
        chunk = list(same_file)
        digest = hashlib.sha256("\n".join(r["text"] for r in chunk).encode()).hexdigest()[:10]
        x_extra, read_extra = _cached(model, chunk, args.cache, f"extra-{digest}", spelt=spelt)
        rows, x_rows, read = rows + chunk, np.vstack([x_rows, x_extra]), read + read_extra
    x_olid, _ = _cached(model, olid, args.cache, "olid", spelt=spelt)
    on_rows = _threshold_rows(args.threshold_on)
    if on_rows:
        # Scored as the engine reads the comment (speller on), whatever text the heads were fitted on.
        x_on, read_on = _cached(
            model, on_rows, args.cache, "on-" + "+".join(p.stem for p in args.threshold_on), spelt=True
        )
        docs_on = [analyse(t) for t in read_on]
    on_y: dict[str, np.ndarray] = {}
    on_p: dict[str, np.ndarray] = {}
    betas: dict[str, float] = {}
    docs = [analyse(t) for t in read]
    lex_w = None if args.lexical_weight == "auto" else float(args.lexical_weight)
    lex_all = _Lexical(docs)
    x_lex = lex_all.transform(docs)
    lex_labels: list[str] = []
    lex_coef: list[np.ndarray] = []
    lex_bias: list[float] = []
    lex_weights: dict[str, float] = {}

    labels, weights, biases, thresholds, report = [], [], [], {}, {}
    oof_scores: dict[str, Any] = {}  # Any: numpy's savez stub reads a ** dict as allow_pickle
    for head, rule in HEAD_RULES.items():
        # A probe row speaks only for the heads its family was labelled for ("heads"); tuning rows for all.
        ys = [rule(r) if head in r.get("heads", (head,)) else None for r in rows]
        keep = np.array([i for i, y in enumerate(ys) if y is not None])
        x, y, g = x_rows[keep], np.array([bool(ys[i]) for i in keep]), groups[keep]
        extra_x, extra_y = (
            (x_olid, np.array([bool(r["label"]) for r in olid])) if head == "offensive" else (None, None)
        )
        # Out-of-fold scores, folds by template: a template's comments are never scored by a head
        # that saw them, so the threshold is chosen on phrasings the head did not learn.
        lexical = head != "offensive" and lex_w != 0
        oof = np.zeros(len(y))
        oof_lex = np.zeros(len(y))
        if args.holdout:
            # A fine-tuned encoder has seen every other row: only held-out templates score honestly.
            out_mask = np.array([held_out(str(k), args.holdout) for k in g])
            folds = [(np.flatnonzero(~out_mask), np.flatnonzero(out_mask))]
        else:
            folds = list(GroupKFold(n_splits=5).split(x, y, g))
        scored = np.concatenate([te for _, te in folds])
        for tr, te in folds:
            clf = _fit(x[tr], y[tr], extra_x, extra_y, args.C)
            oof[te] = clf.predict_proba(x[te])[:, 1]
            if lexical:
                fold = _Lexical([docs[keep[i]] for i in tr])
                lex = _lexical_fit(fold.transform([docs[keep[i]] for i in tr]), y[tr])
                oof_lex[te] = lex.predict_proba(fold.transform([docs[keep[i]] for i in te]))[:, 1]
        if lexical:
            grid = WEIGHT_GRID if lex_w is None else (lex_w,)
            w = max(
                grid,
                key=lambda w: average_precision_score(y[scored], (1 - w) * oof[scored] + w * oof_lex[scored]),
            )
            oof = (1 - w) * oof + w * oof_lex
            lex_weights[head] = w
            lex = _lexical_fit(x_lex[keep], y)
            lex_labels.append(head)
            lex_coef.append(lex.coef_[0])
            lex_bias.append(float(lex.intercept_[0]))
        beta = (
            args.route_beta
            if head in ROUTE_HEADS
            else args.gated_beta
            if head in GATED_HEADS
            else args.harm_beta
            if head in HARM_HEADS and args.harm_beta is not None
            else args.beta
        )
        y_s, oof = y[scored], oof[scored]
        oof_scores[f"{head}.y"], oof_scores[f"{head}.p"] = y_s, oof
        t = _best_threshold(y_s, oof, args.floor, beta)
        clf = _fit(x, y, extra_x, extra_y, args.C)
        betas[head] = beta
        if on_rows:
            on_y[head] = np.array([bool(rule(r)) for r in on_rows])
            on_p[head] = clf.predict_proba(x_on)[:, 1]
            if lexical:
                w = lex_weights[head]
                on_p[head] = (1 - w) * on_p[head] + w * lex.predict_proba(lex_all.transform(docs_on))[:, 1]
        labels.append(head)
        weights.append([round(float(w), 5) for w in clf.coef_[0]])
        biases.append(round(float(clf.intercept_[0]), 5))
        thresholds[head] = t
        pred = oof >= t
        report[head] = {
            "positives": int(y.sum()),
            "oof_precision": round(float((pred & y_s).sum() / max(1, pred.sum())), 3),
            "oof_recall": round(float((pred & y_s).sum() / max(1, y_s.sum())), 3),
            "oof_f1": round(float(f1_score(y_s, pred, zero_division=0)), 3),
        }
        report[head]["lexical_weight"] = lex_weights.get(head, 0.0)
        print(f"{head:20s} threshold {t:.2f}  {report[head]}")  # noqa: T201
    oof_thresholds = dict(thresholds)
    if on_rows:
        thresholds.update(_slice_thresholds(on_y, on_p, betas, args.floor))
        on_name = " + ".join(p.name for p in args.threshold_on)
        for head, t in thresholds.items():
            print(f"{head:20s} threshold on {on_name}: {t:.2f} (out of fold {oof_thresholds[head]:.2f})")  # noqa: T201
    heads = {
        "version": dt.datetime.now(tz=dt.UTC).strftime("%Y.%m.%d"),
        "lexical_weight": 0.5 if lex_labels else 0.0,  # for a head without its own weight
        "lexical_weights": lex_weights,
        "labels": labels,
        "weights": weights,
        "bias": biases,
        "thresholds": thresholds,
        "meta": {
            "C": args.C,
            "betas": {"harm": args.beta if args.harm_beta is None else args.harm_beta, "other": args.beta},
            "sources": [
                "havebury_tuning.jsonl",
                "havebury_comments.jsonl",
                "tweeteval offensive train (offensive head)" if olid else "",
                *(f"{p.name} ({sum(r.get('source') == p.name for r in extra)} rows)" for p in args.retired),
                *(
                    f"{p.name} ({sum(r['id'].startswith(p.stem + ':') for r in extra)} rows)"
                    for p in args.extra
                ),
            ],
            "only_split": args.only_split,
            "threshold_on": [p.name for p in args.threshold_on],
            "oof_thresholds": oof_thresholds,
            "floor": args.floor,
            "report": report,
        },
    }
    if args.oof_out is not None:
        np.savez_compressed(args.oof_out, **oof_scores)
    args.out.write_text(json.dumps(heads, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {args.out}")  # noqa: T201
    if lex_labels:
        coef = np.stack(lex_coef, axis=1)  # terms x heads
        n_word = len(lex_all.word.vocabulary_)
        blocks = []
        for vec, part in ((lex_all.word, coef[:n_word]), (lex_all.char, coef[n_word:])):
            terms = sorted(vec.vocabulary_, key=vec.vocabulary_.__getitem__)
            blocks.append((terms, vec.idf_, part))
        meta = {"C": LEXICAL_C, "rows": len(rows), "version": heads["version"]}
        args.out.with_name(LEXICAL).write_bytes(to_artefact(lex_labels, blocks, lex_bias, meta))
        print(f"wrote {args.out.with_name(LEXICAL)}")  # noqa: T201


if __name__ == "__main__":
    main()
