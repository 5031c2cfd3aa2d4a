"""Helpers for the X, YouTube and LinkedIn adapter tests against the fake server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PAYLOADS = Path(__file__).parent / "payloads"


def payload(name: str) -> Any:
    """A recorded-shape body written from the platform's public reference (see payloads/README.md)."""
    return json.loads((PAYLOADS / name).read_text())


def sweep(adapter, cursor=None, *, limit=200):
    """Run one sweep to its end: (items, pages, completed roots, the cursor it hands on)."""
    cursor, items, roots = dict(cursor or {}), [], []
    for pages in range(1, limit + 1):
        page = adapter.fetch_page(cursor=cursor)
        items += page.items
        roots += page.completed_roots
        cursor = page.cursor
        if page.done:
            return items, pages, roots, cursor
    raise AssertionError("sweep never finished")
