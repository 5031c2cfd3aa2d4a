"""`manage.py classify FILE`: run the GP014 engine over a file of comments (issue 3 contract).

Input lines: {"id": ..., "text": ..., "links": [...]} (optional "has_media": true), or plain text,
one comment a line, for a file typed by hand (its id is then the line number; links are found in the text).
Output: one JSON line per input line, {"id", "flags": [...], "route", "action", "priority",
"priority_name", "notes"};
a line that cannot be read gets {"id", "line", "error"} and the rest still run. Needs no
server: without a database the shipped defaults are used.
"""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from moderation.policy import check
from moderation.policy.config import PolicyConfig
from moderation.policy.urls_in_text import find_urls
from moderation.services.policy_config import policy_config_get

_PRIORITY = {0: "low", 1: "normal", 2: "high", 3: "urgent"}
_SNIPPET = 60  # characters of the comment shown beside its id, so a reader can find it in the file
# Column headings for --format table: one line per comment, its notes (what an officer must do beyond
# the action), then one indented line per flag. Evidence comes last, since a quote has no fixed width.
_HEADER = f"{'id':>8}  {'action':<15} {'priority':<8} {'route':<15} comment"
_FLAG_HEADER = f"{'':>10}{'flag (category/subtype)':<28} {'clause':<10} {'score':<5} {'source':<38} evidence"


def _parse(raw: str, number: int) -> tuple[Any, str, list[str], bool]:
    if not raw.lstrip().startswith("{"):
        # A plain comment: only a line that opens like a JSON object is read as one, so a
        # broken JSON line still gets its error instead of being classified as text.
        plain = raw.strip()
        return number, plain, [found.url for found in find_urls(plain)], False
    data = json.loads(raw)
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    text = data.get("text")
    if not isinstance(text, str):
        raise ValueError('"text" must be a string')
    links = data.get("links") or []
    if not isinstance(links, list) or not all(isinstance(link, str) for link in links):
        raise ValueError('"links" must be a list of strings')
    return data.get("id", number), text, links, bool(data.get("has_media", False))


class Command(BaseCommand):
    help = (
        "Classify comments against GP014 and print one JSON line per comment. Input: JSON lines, "
        'or plain text with one comment a line; a file, or "-" for standard input.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help='Comments file, or "-" for standard input.')
        parser.add_argument("--input", help="The same as FILE (the older spelling).")
        parser.add_argument("--format", choices=["json", "table"], default="json")
        parser.add_argument(
            "--defaults", action="store_true", help="Use the shipped config, not the database's."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"] or options["input"]
        if not path:
            raise CommandError(
                'Name a file of comments (JSON lines or one comment a line), or "-" for standard input.'
            )
        config = PolicyConfig.default() if options["defaults"] else policy_config_get()
        try:
            stream: TextIO = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(
                f"Cannot read {path}: {exc.strerror}. Pass an existing file of comments."
            ) from exc
        table = options["format"] == "table"
        if table:
            self.stdout.write(_HEADER)
            self.stdout.write(_FLAG_HEADER)
        bad = 0
        with stream:
            for number, raw in enumerate(stream, 1):
                if not raw.strip():
                    continue
                try:
                    item_id, text, links, has_media = _parse(raw, number)
                except (ValueError, json.JSONDecodeError) as exc:
                    bad += 1
                    error = {"id": None, "line": number, "error": f"line {number}: {exc}"}
                    self.stdout.write(f"line {number}: ERROR {exc}" if table else json.dumps(error))
                    continue
                result = check(text, links=links, has_media=has_media, config=config)
                if table:
                    self._table(item_id, text, result)
                    continue
                out = {
                    "id": item_id,
                    "flags": [
                        {k: v for k, v in f.as_dict().items() if k not in ("start", "end")}
                        | {"evidence_start": f.start, "evidence_end": f.end}
                        for f in result.flags
                    ],
                    "route": result.route,
                    "action": result.action,
                    "priority": result.priority,
                    "priority_name": _PRIORITY[result.priority],
                    "notes": list(result.notes),
                }
                self.stdout.write(json.dumps(out, ensure_ascii=False))
        if bad:
            self.stderr.write(f"{bad} line(s) could not be read; see the error lines above.")

    def _table(self, item_id: Any, text: str, result: Any) -> None:
        snippet = " ".join(text.split())
        if len(snippet) > _SNIPPET:
            snippet = snippet[: _SNIPPET - 3].rstrip() + "..."
        self.stdout.write(
            f"{item_id!s:>8}  {result.action:<15} {_PRIORITY[result.priority]:<8} {result.route or '-':<15} "
            f"{snippet}"
        )
        for note in result.notes:
            self.stdout.write(f"{'':>10}note: {note}")
        for f in result.flags:
            category = f"{f.category}/{f.subtype}" if f.subtype else f.category
            self.stdout.write(
                f"{'':>10}{category:<28} {'GP014 ' + f.clause:<10} {f.score:<5.2f} {f.source:<38} {f.evidence!r}"
            )
