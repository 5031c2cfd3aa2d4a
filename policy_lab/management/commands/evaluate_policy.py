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

from moderation.policy import POLICY_VERSION, check
from moderation.policy.config import PolicyConfig
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
            lines = self._own(dataset, config)
            name = f"Own labelled set `{Path(dataset).name}`"
        text = "\n".join(lines)
        self.stdout.write(text)
        if not options["no_write"]:
            _write_section(Path(options["output"]), name, text)
            self.stdout.write(f"\nWrote the section to {options['output']}")

    def _own(self, path: str, config: PolicyConfig) -> list[str]:
        rows = load_jsonl(path)
        report = evaluate_own(
            rows,
            lambda r: check(
                r["text"], links=r.get("links", ()), has_media=r.get("has_media", False), config=config
            ),
        )
        return _own_lines(report)

    def _tweeteval(self, path: Path, config: PolicyConfig) -> list[str]:
        rows = load_jsonl(str(path))
        model = _model()
        threshold = model.threshold()
        gold = [bool(r["label"]) for r in rows]
        results = [check(r["text"], config=config, model=model) for r in rows]
        engine = evaluate_binary(gold, [offensive(res, threshold) for res in results])
        rules = evaluate_binary(gold, [offensive(res, None) for res in results])
        model_only = evaluate_binary(gold, [(res.model_score or 0.0) >= threshold for res in results])
        lines = [
            f"Policy {POLICY_VERSION}; model {model.name} {model.version} (threshold {threshold:.3f}); "
            f"{len(rows)} tweets.",
            "",
            "Offensive = a profanity, harassment or hate flag, or the model score at or above its threshold.",
            "",
            "| system | macro-F1 | offensive P | offensive R | offensive F1 |",
            "|---|---:|---:|---:|---:|",
        ]
        for label, rep in (("whole engine", engine), ("rules only", rules), ("model only", model_only)):
            lines.append(
                f"| {label} | {rep.macro_f1:.3f} | {rep.precision:.3f} | {rep.recall:.3f} | {rep.f1():.3f} |"
            )
        lines += ["", *_binary_confusion(engine)]
        return lines


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
