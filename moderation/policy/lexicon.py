"""Word lists to regular expressions that match whole words of the normalised text.

Syntax of a list entry: a word or phrase; a trailing "*" allows any ending ("fuck*" matches
"fucking", "fuckwit"). Without it only the word itself (plus a plural "s" where asked) matches,
which is what keeps "Scunthorpe", "Penistone", "cocktail", "assess" and "Dickens" clean.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_BEFORE = r"(?<![a-z0-9*])"
_AFTER = r"(?![a-z0-9])"


def _runs(word: str) -> list[tuple[str, int]]:
    runs: list[tuple[str, int]] = []
    for ch in word:
        if runs and runs[-1][0] == ch:
            runs[-1] = (ch, runs[-1][1] + 1)
        else:
            runs.append((ch, 1))
    return runs


def _word_pattern(word: str, *, fuzzy: bool) -> str:
    if not fuzzy or len(word) < 3 or not word.isalpha():
        return re.escape(word)
    # Stretched letters ("fuuck") and masked inside letters ("f*ck", "f**k", "a**hole").
    runs = _runs(word)
    parts: list[str] = []
    for i, (ch, n) in enumerate(runs):
        letter = re.escape(ch) + ("+" if n == 1 else f"{{{n},}}")
        if 0 < i < len(runs) - 1:
            parts.append(f"(?:{letter}|\\*+)")
        else:
            parts.append(letter)
    return "".join(parts)


def term_pattern(term: str, *, fuzzy: bool = False, plural: bool = False) -> str:
    term = term.strip().lower()
    wildcard = term.endswith("*")
    term = term.rstrip("*").strip()
    words = [_word_pattern(w, fuzzy=fuzzy).replace("'", "'?") for w in term.split()]
    body = r"[\s\-]*".join(words) if fuzzy else r"\s+".join(words)
    if wildcard:
        body += r"[a-z*]*"
    elif plural:
        body += r"(?:s|es)?"
    return body


def compile_terms(terms: Iterable[str], *, fuzzy: bool = False, plural: bool = False) -> re.Pattern[str]:
    """One alternation for the whole list, longest entries first so phrases win over words."""
    cleaned = sorted({t.strip().lower() for t in terms if t.strip()}, key=lambda t: (-len(t), t))
    if not cleaned:
        return re.compile(r"(?!x)x")  # matches nothing
    alternation = "|".join(term_pattern(t, fuzzy=fuzzy, plural=plural) for t in cleaned)
    return re.compile(f"{_BEFORE}(?:{alternation}){_AFTER}")
