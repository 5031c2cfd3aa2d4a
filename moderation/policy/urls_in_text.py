"""The links written in a comment: one function for ingestion and the policy engine.

Ingestion stores what `find_urls` finds in `Item.links`, and the links rule checks what it
finds in the text, so both always agree on what counts as a link (issue 7: they once used
two regexes that did not). Pure: no Django, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Top-level domains a bare "name.tld/path" link (no scheme, no www.) is recognised by: the
# common ones and those scams favour. A bare domain needs a path ("bit.ly/x"), so "e.g." or
# "Mill.Lane" in a sentence is never taken for a link.
BARE_TLDS = ("com", "co", "uk", "org", "net", "ly", "shop", "io", "me", "info", "xyz", "top", "click", "link")
URL_IN_TEXT = re.compile(
    r"\bhttps?://[^\s<>\"']+"
    r"|\bwww\.[^\s<>\"']+"
    r"|\b(?:[a-z0-9][a-z0-9-]*\.)+(?:" + "|".join(BARE_TLDS) + r")/[^\s<>\"']*",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?"
MAX_LINKS = 20


@dataclass(frozen=True, slots=True)
class FoundUrl:
    url: str
    start: int  # offsets into the text the link was found in
    end: int


def _trim(url: str) -> str:
    """Drop punctuation that ends the sentence rather than the link, and an unbalanced ')'."""
    while url:
        if url[-1] in _TRAILING or (url[-1] == ")" and url.count("(") < url.count(")")):
            url = url[:-1]
            continue
        return url
    return url


def find_urls(text: str, *, limit: int = MAX_LINKS) -> list[FoundUrl]:
    """Every link written in `text`, in order, at most `limit`, each once."""
    found: list[FoundUrl] = []
    seen: set[str] = set()
    for match in URL_IN_TEXT.finditer(text):
        url = _trim(match.group())
        if not url or url in seen:
            continue
        seen.add(url)
        found.append(FoundUrl(url=url, start=match.start(), end=match.start() + len(url)))
        if len(found) >= limit:
            break
    return found
