"""`manage.py evaluate_policy --dataset FILE.jsonl|tweeteval-offensive-val` (issue 3 contract).

Prints macro-F1, per-category precision and recall and a confusion table, and writes them to a
section of docs/evaluation.md (other sections are kept).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from moderation.policy import POLICY_VERSION
from moderation.policy.config import PolicyConfig
from moderation.policy.engine import check_many
from moderation.policy.result import HARM_CATEGORIES, ROUTES
from policy_lab.evaluation import (
    BinaryReport,
    OwnReport,
    evaluate_binary,
    evaluate_own,
    load_jsonl,
    offensive,
)

TWEETEVAL = "tweeteval-offensive-val"


def _model() -> Any:
    from moderation.policy.model import default_model

    return default_model()


class Command(BaseCommand):
    help = "Measure the policy engine on labelled data and write docs/evaluation.md."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dataset", required=True, help=f"A labelled JSONL file, or {TWEETEVAL}.")
        parser.add_argument(
            "--tweeteval-dir", default=str(Path(settings.BASE_DIR).parent / "shared/data/tweeteval")
        )
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "docs/evaluation.md"))
        parser.add_argument(
            "--no-write", action="store_true", help="Print only; leave docs/evaluation.md alone."
        )
        parser.add_argument(
            "--split", choices=["train", "dev"], help='Only rows whose "split" is this (the tuning set).'
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dataset = options["dataset"]
        config = PolicyConfig.default()  # evaluation measures the shipped defaults, not local edits
        if dataset == TWEETEVAL:
            path = Path(options["tweeteval_dir"]) / "offensive_val.jsonl"
            if not path.exists():
                raise CommandError(
                    f"{path} not found. Pass --tweeteval-dir pointing at the TweetEval folder."
                )
            lines = self._tweeteval(path, config)
            name = "TweetEval offensive (validation split)"
        else:
            if not Path(dataset).exists():
                raise CommandError(f"{dataset} not found. Pass a JSONL file or {TWEETEVAL}.")
            lines = self._own(dataset, config, options["split"])
            name = f"Own labelled set `{Path(dataset).name}`" + (
                f" ({options['split']} split)" if options["split"] else ""
            )
        text = "\n".join(lines)
        self.stdout.write(text)
        if not options["no_write"]:
            _write_section(Path(options["output"]), name, text)
            self.stdout.write(f"\nWrote the section to {options['output']}")

    def _own(self, path: str, config: PolicyConfig, split: str | None) -> list[str]:
        rows = load_jsonl(path)
        if split:
            rows = [r for r in rows if r.get("split") == split]
            if not rows:
                raise CommandError(f'{path} has no rows with "split": "{split}".')
        results = check_many(
            [(r["text"], r.get("links", ()), r.get("has_media", False)) for r in rows], config=config
        )
        by_row = {id(r): res for r, res in zip(rows, results, strict=True)}
        return _own_lines(evaluate_own(rows, lambda r: by_row[id(r)]))

    def _tweeteval(self, path: Path, config: PolicyConfig) -> list[str]:
        rows = load_jsonl(str(path))
        model = _model()
        threshold = model.threshold()
        gold = [bool(r["label"]) for r in rows]
        results = check_many([(r["text"], (), False) for r in rows], config=config, model=model)
        sem = _semantic_threshold()
        sem_scores = [res.semantic_scores.get("offensive", 0.0) for res in results]
        systems = {
            "whole engine: abuse flags, word model or semantic head at their thresholds": [
                offensive(res, threshold, sem) for res in results
            ],
            "abuse flags or word model (the issue-3 definition)": [
                offensive(res, threshold) for res in results
            ],
            "abuse flags only (rules + semantic flags)": [offensive(res, None) for res in results],
            "word model only": [(res.model_score or 0.0) >= threshold for res in results],
            f"semantic offensive head only (threshold {sem:.2f})": [s >= sem for s in sem_scores],
            "semantic offensive head only (0.50)": [s >= 0.5 for s in sem_scores],
            # Not what the page uses: the weights and 0.50 were chosen on this val split, so optimistic.
            "blend 0.3 x word model + 0.7 x semantic head >= 0.50 (weights chosen on val)": [
                0.3 * (res.model_score or 0.0) + 0.7 * s >= 0.5
                for res, s in zip(results, sem_scores, strict=True)
            ],
        }
        reports = {label: evaluate_binary(gold, pred) for label, pred in systems.items()}
        engine = next(iter(reports.values()))
        lines = [
            f"Policy {POLICY_VERSION}; word model {model.name} {model.version} (threshold {threshold:.3f}); "
            f"semantic offensive head threshold {sem:.2f}; {len(rows)} tweets.",
            "",
            "Offensive = a profanity, harassment or hate flag, or a model score at or above its threshold.",
            "",
            "| system | macro-F1 | offensive P | offensive R | offensive F1 |",
            "|---|---:|---:|---:|---:|",
        ]
        for label, rep in reports.items():
            lines.append(
                f"| {label} | {rep.macro_f1:.3f} | {rep.precision:.3f} | {rep.recall:.3f} | {rep.f1():.3f} |"
            )
        lines += ["", *_binary_confusion(engine)]
        return lines


def _semantic_threshold() -> float:
    from moderation.policy.semantic import default_semantic

    return default_semantic().thresholds["offensive"]


def _binary_confusion(rep: BinaryReport) -> list[str]:
    return [
        "Confusion (whole engine):",
        "",
        "| gold \\ predicted | offensive | not offensive |",
        "|---|---:|---:|",
        f"| offensive | {rep.tp} | {rep.fn} |",
        f"| not offensive | {rep.fp} | {rep.tn} |",
    ]


def _own_lines(report: OwnReport) -> list[str]:
    s = report.scores
    lines = [
        f"Policy {POLICY_VERSION}; {report.n} comments.",
        "",
        f"- macro-F1 over categories and routes present: **{report.macro_f1:.3f}**",
        f"- harm recall (items with any harm label that got any harm flag): **{report.harm_recall:.3f}**",
        f"- clean comments falsely flagged: **{report.clean_false_flag_rate:.3f}**",
        f"- routes found (items with a route that got the right one): **{report.route_recall:.3f}**",
        f"- right category (harmful items whose every labelled category was flagged): **{report.right_category:.3f}**",
        f"- false routes (items with no route that were given one): **{report.false_route_rate:.3f}**",
        f"- personal data found: **{s.recall('personal_data'):.3f}**",
        "",
        "| category | clause | support | precision | recall | F1 |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for c in (*HARM_CATEGORIES, *ROUTES):
        clause = "2.4" if c in ROUTES else "2.3"
        lines.append(
            f"| {c} | {clause} | {s.support[c]} | {s.precision(c):.3f} | {s.recall(c):.3f} | {s.f1(c):.3f} |"
        )
    names = ["none", *ROUTES]
    lines += [
        "",
        "Route confusion (rows gold, columns predicted):",
        "",
        "| gold \\ predicted | " + " | ".join(names) + " |",
    ]
    lines.append("|---|" + "---:|" * len(names))
    for g in names:
        lines.append(f"| {g} | " + " | ".join(str(report.route_confusion[(g, p)]) for p in names) + " |")
    lines += ["", "Harm categories (per category: true positives / false positives / false negatives):", ""]
    lines.append("| category | TP | FP | FN |")
    lines.append("|---|---:|---:|---:|")
    for c in HARM_CATEGORIES:
        lines.append(f"| {c} | {s.tp[c]} | {s.fp[c]} | {s.fn[c]} |")
    if report.families:
        lines += [
            "",
            "By family (right = every labelled category found and the right route; for clean rows, "
            "nothing flagged and no route):",
            "",
        ]
        lines += ["| family | right | total | share |", "|---|---:|---:|---:|"]
        lines += [f"| {f} | {r} | {t} | {r / t:.2f} |" for f, (r, t) in report.families.items()]
    if report.errors:
        lines += ["", f"Items that differ from their labels ({len(report.errors)}), by id:", ""]
        lines += [f"- {json.dumps(e)}" for e in report.errors]
    return lines


def _write_section(path: Path, name: str, body: str) -> None:
    start, end = f"<!-- evaluate_policy: {name} -->", f"<!-- /evaluate_policy: {name} -->"
    today = dt.datetime.now(tz=dt.UTC).date().isoformat()
    section = (
        f"{start}\n## {name}\n\nMeasured {today} with `python manage.py evaluate_policy`.\n\n{body}\n{end}"
    )
    if path.exists():
        current = path.read_text(encoding="utf-8")
    else:
        current = (
            "# Policy engine evaluation\n\nWritten by `python manage.py evaluate_policy`; each dataset has its own "
            "section, replaced on every run.\n"
        )
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(current):
        current = pattern.sub(lambda _: section, current)
    else:
        current = current.rstrip() + "\n\n" + section + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(current, encoding="utf-8")
