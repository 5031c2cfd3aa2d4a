"""Text normalisation for matching, with a map back to the author's original offsets.

Matching runs on a lower-cased, de-obfuscated copy: homoglyphs and accents fold to ASCII,
leetspeak inside words is undone (sh1t, tw@t), masking becomes "*" (f*ck, f#ck), spaced-out
letters are joined (f.u.c.k, f u c k) and runs of 3+ repeated letters shrink to two.
Every character of the copy remembers where it came from, so evidence spans shown to an
officer are the author's own words.

The Scunthorpe problem is handled by the matchers, not here: they match whole words only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Look-alike letters NFKD does not fold (Cyrillic, Greek and a few Latin ones).
# Escaped so the source shows which code point is folded (Cyrillic, Greek, Armenian, Latin).
_CONFUSABLES = {
    "\u0430": "a", "\u0432": "b", "\u0435": "e", "\u0451": "e", "\u043a": "k", "\u043c": "m",
    "\u043d": "h", "\u043e": "o", "\u0440": "p", "\u0441": "c", "\u0442": "t", "\u0443": "y",
    "\u0445": "x", "\u0455": "s", "\u0456": "i", "\u0457": "i", "\u0458": "j", "\u0501": "d",
    "\u0261": "g", "\u057d": "u", "\u0578": "n", "\u03b1": "a", "\u03b2": "b", "\u03b5": "e",
    "\u03b9": "i", "\u03ba": "k", "\u03bd": "v", "\u03bf": "o", "\u03c1": "p", "\u03c4": "t",
    "\u03c5": "u", "\u03c7": "x", "\u03c9": "w", "\u0131": "i", "\u0142": "l", "\u00f8": "o",
    "\u00df": "s", "\u0111": "d", "\u0127": "h", "\u0140": "l", "\u017f": "s", "\u00e6": "a",
    "\u0153": "o", "\u00fe": "p", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
    "\u2013": "-", "\u2014": "-",
}  # fmt: skip

_RANGES = (
    (0x00, 0x250),  # ASCII, Latin-1, Latin Extended-A/B
    (0x370, 0x530),  # Greek, Cyrillic
    (0x2018, 0x201E),  # curly quotes
    (0x2460, 0x24FF),  # enclosed alphanumerics (ⓐ)
    (0xFF01, 0xFF5F),  # fullwidth forms
    (0x1D400, 0x1D7FF),  # mathematical alphanumerics (bold, script... letters)
)


def _fold(ch: str) -> str:
    if ch in _CONFUSABLES:
        return _CONFUSABLES[ch]
    low = ch.lower()
    if low in _CONFUSABLES:
        return _CONFUSABLES[low]
    if len(low) == 1 and low.isascii():
        return low
    decomposed = unicodedata.normalize("NFKD", ch)
    base = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    if len(base) == 1 and base.isascii():
        return base
    if len(low) == 1:
        return low
    return ch


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for lo, hi in _RANGES:
        for cp in range(lo, hi):
            ch = chr(cp)
            folded = _fold(ch)
            if folded != ch:
                table[cp] = folded
    return table


# One character in, one character out, so this pass keeps offsets unchanged.
_TABLE = _build_table()
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i", "#": "*"}
)
_LEET_DIGITS = frozenset("013457")
_LEET_SYMBOLS = frozenset("@$!#*")

_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff]")
_LEETY = re.compile(r"[a-z][0-9@$!#*]|[0-9@$!#*][a-z]")
_TOKEN = re.compile(r"[a-z0-9@$!#*]+")
# Three or more single letters separated by one separator: "f.u.c.k", "f u c k", "f-u-c-k".
_SPACED = re.compile(r"(?<![a-z0-9*])[a-z*](?:[ .\-_][a-z*]){2,}(?![a-z0-9*])")
_SPACED_SEP = re.compile(r"[ .\-_]")
_REPEATS = re.compile(r"([a-z*])\1{2,}")


@dataclass(frozen=True, slots=True)
class Normalised:
    """The matching copy of a text and, per character, its offset in the original."""

    original: str
    text: str
    offsets: tuple[int, ...] | None  # None: same offsets as the original

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalised text back to the original."""
        if self.offsets is None:
            return start, end
        if start >= end:
            pos = self.offsets[start] if start < len(self.offsets) else len(self.original)
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1


def _unleet_token(match: re.Match[str]) -> str:
    token = match.group()
    if not any(c.isalpha() for c in token):
        return token
    out = []
    last = len(token) - 1
    for i, c in enumerate(token):
        if c in _LEET_DIGITS:
            out.append(c.translate(_LEET))
        elif c in _LEET_SYMBOLS and 0 < i < last:
            out.append(c.translate(_LEET))  # symbols count only inside a word: "sh!t" but "hello!"
        else:
            out.append(c)
    return "".join(out)


def _apply(text: str, offsets: list[int], pattern: re.Pattern[str], mode: str) -> tuple[str, list[int]]:
    """Rewrite each match (join spaced letters, drop invisibles, shrink repeats), keeping offsets."""
    out: list[str] = []
    out_offsets: list[int] = []
    pos = 0
    for m in pattern.finditer(text):
        out.append(text[pos : m.start()])
        out_offsets.extend(offsets[pos : m.start()])
        if mode == "join":
            for i in range(m.start(), m.end()):
                if not _SPACED_SEP.match(text[i]):
                    out.append(text[i])
                    out_offsets.append(offsets[i])
        elif mode == "repeat":
            out.append(text[m.start()] * 2)
            out_offsets.extend(offsets[m.start() : m.start() + 2])
        # mode "drop": nothing kept
        pos = m.end()
    out.append(text[pos:])
    out_offsets.extend(offsets[pos:])
    return "".join(out), out_offsets


# Fully masked swear words keep only their first letter ("f*** you", "s***"). These two are
# unambiguous in comments; the replacement has the same length, so offsets stay put.
_FULLY_MASKED = re.compile(
    r"(?<![a-z0-9*])([fs])\*\*\*(?![a-z0-9*])|(?<![a-z0-9*])([fs])\*\*\*(?=(?:ing|in|ed|er|s)\b)"
)
_UNMASKED = {"f": "fuck", "s": "shit"}


def normalise(text: str) -> Normalised:
    s = text.translate(_TABLE)
    if _LEETY.search(s):
        s = _TOKEN.sub(_unleet_token, s)
    if "***" in s:
        s = _FULLY_MASKED.sub(lambda m: _UNMASKED[m.group(1) or m.group(2)], s)
    shrinking = (
        (_INVISIBLE, "drop"),
        (_SPACED, "join"),
        (_REPEATS, "repeat"),
    )
    offsets: list[int] | None = None
    for pattern, mode in shrinking:
        if pattern.search(s):
            if offsets is None:
                offsets = list(range(len(s)))
            s, offsets = _apply(s, offsets, pattern, mode)
    return Normalised(text, s, None if offsets is None else tuple(offsets))
