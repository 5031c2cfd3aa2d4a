"""Read the labelled probe files (tests/data/*_probe*.jsonl) as rows the heads can train on.

The probes were written by this project's engineers in issue 10, each family in its own row format:

- insults, profanity, personal data: ``family`` + ``harmful`` (0/1), optional ``accept`` categories;
- threats and hate: ``family`` + ``label`` (0/1);
- staff criticism and defamation: ``category`` (a category or null for a hard negative);
- routes and scams: ``categories`` + ``route``, the tuning set's own format.

Each row becomes ``{"id", "text", "categories", "route", "family", "group", "heads"}``. ``heads`` names
the heads the row was labelled for: a threat probe's hard negative says the comment is no threat, not
that it is no complaint, so the route heads do not learn from it (and a personal-data row teaches no
head at all: there is no personal-data head). Rows without labels are skipped. Fresh slices and the
tuning set are refused: the first are for measuring only, the second is read by the trainer already.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

# What a positive of each family is in the engine's categories (as the probe tests expect).
CATEGORIES = {
    "insult": ("harassment",),
    "profanity": ("profanity",),
    "personal_data": ("personal_data",),
    "threat": ("harassment",),  # the tuning set's threats: family "threat", category harassment
    "hate": ("hate",),
}
# Heads each family's labels speak for (positives and hard negatives alike).
HARM_HEADS = {
    "insult": ("harassment", "hate", "staff_criticism", "offensive"),
    "profanity": ("offensive", "harassment", "hate"),
    "personal_data": (),
    "threat": ("threat", "harassment"),
    "hate": ("hate", "offensive"),
    "staff": ("staff_criticism", "defamation"),
    "routes": ("inappropriate_link", "repair", "complaint", "personal_issue"),
}
REFUSED = ("havebury_fresh", "havebury_tuning", "havebury_comments")


def _normalise(raw: dict[str, Any], source: str) -> dict[str, Any] | None:
    family = raw.get("family")
    categories: list[str] = []
    route = None
    if "harmful" in raw and family in CATEGORIES:
        kind = str(family)
        if raw["harmful"]:
            categories = list(raw.get("accept") or CATEGORIES[kind])
    elif "label" in raw and family in ("threat", "hate"):
        kind = str(family)
        if raw["label"]:
            categories = list(CATEGORIES[kind])
    elif "category" in raw:
        kind = "staff"
        if raw["category"]:
            categories = [raw["category"]]
    elif "categories" in raw and "route" in raw:
        kind = "routes"
        categories, route = list(raw["categories"]), raw["route"]
    else:
        return None  # no label this reader knows
    threat = kind == "threat" and bool(categories)
    return {
        "id": f"{source}:{raw.get('id', '')}",
        "text": raw["text"],
        "categories": categories,
        "route": route,
        # Only the threat head reads "family"; every other row is a threat negative if it speaks for it.
        "family": "threat" if threat else "probe",
        "group": f"{source}:{raw.get('id', raw['text'])}",
        "heads": list(HARM_HEADS[kind]),
    }


def read(paths: Iterable[Path]) -> list[dict[str, Any]]:
    """Normalised rows of every file, in order; rows that teach no head are left out."""
    rows = []
    for path in paths:
        if path.name.startswith(REFUSED):
            raise ValueError(f"{path.name} is not a probe file (fresh slices are for measuring only)")
        for line in path.open(encoding="utf-8"):
            if not line.strip():
                continue
            row = _normalise(json.loads(line), path.stem)
            if row is not None and row["heads"] and row["text"].strip():
                rows.append(row)
    return rows
