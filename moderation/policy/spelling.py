"""Misspelt key words in the matching copy become the engine's own words ("theif" -> "thief").

The rules match whole words after de-obfuscation, and the encoder splits an unknown word into
pieces, so "theif", "scroungrs", "immigrunts" or "scroun gers" slipped past both. A word is
changed only when all of these hold:

- it is not an English word (`spelling_words.py`: symspellpy's frequency dictionary, 82,765 words, plus the
  encoder's whole-word vocabulary, which also knows many names), nor a protected person's name;
- it is at least 5 letters long and within one edit (Damerau-Levenshtein, optimal string
  alignment) of a key term, two edits from 8 letters on, with the same first letter;
- the key term is its most likely reading: no dictionary word one edit away costs less, where a
  swap of two letters, a vowel for a vowel and a dropped vowel or doubled letter cost less than other
  edits ("theif" is a swap from "thief" but a substitution from "their"; "thier" is the reverse);
- it is not a capitalised word inside a sentence (a name such as "Thiel").

Two words split by one space or hyphen ("scroun gers") are joined when the join is a key term and
one half is not a word; one unknown word made of a key term and a key term or a small function word
("lyingscum", "bunchofthieves" is not handled) is split. Only the matching copy changes: its offset
map keeps every character's place in the original, so evidence quotes the author's own spelling.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from moderation.policy.normalise import Normalised, normalise

MIN_LEN = 5
TWO_EDITS_LEN = 8
# Glue a run-together word may have beside a key term ("youthief", "dirtyliar").
_GLUE = frozenset(
    {
        "a", "an", "the", "of", "you", "your", "ur", "ya", "yer", "u", "such", "what", "total", "utter",
        "absolute", "bloody", "dirty", "lying", "proper", "right", "little", "pack", "load", "bunch",
    }
)  # fmt: skip
_VOWELS = frozenset("aeiou")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# A chunk between spaces that is words with punctuation round them (not a link, handle or number).
_PLAIN = re.compile(r"(?<!\S)[\"'(\[{<]*([a-z]+(?:['\-][a-z]+)*)[\"')\]}>,.!?;:~]*(?!\S)")
_LETTERS_RUN = re.compile(r"[a-z]+")
_SENTENCE_END = frozenset(".!?\n")


def edits(a: str, b: str) -> tuple[int, float]:
    """(edit count, weighted cost) of the optimal string alignment of a into b."""
    n, m = len(a), len(b)
    count = [[0] * (m + 1) for _ in range(n + 1)]
    cost = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        count[i][0], cost[i][0] = i, cost[i - 1][0] + _indel(a, i - 1)
    for j in range(1, m + 1):
        count[0][j], cost[0][j] = j, cost[0][j - 1] + _indel(b, j - 1)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            same = a[i - 1] == b[j - 1]
            sub = 0.0 if same else (0.7 if a[i - 1] in _VOWELS and b[j - 1] in _VOWELS else 1.0)
            options = [
                (count[i - 1][j] + 1, cost[i - 1][j] + _indel(a, i - 1)),
                (count[i][j - 1] + 1, cost[i][j - 1] + _indel(b, j - 1)),
                (count[i - 1][j - 1] + (0 if same else 1), cost[i - 1][j - 1] + sub),
            ]
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1] and not same:
                options.append((count[i - 2][j - 2] + 1, cost[i - 2][j - 2] + 0.6))
            best_count = min(o[0] for o in options)
            count[i][j] = best_count
            cost[i][j] = min(o[1] for o in options)
    return count[n][m], cost[n][m]


def _indel(word: str, i: int) -> float:
    """A dropped or added vowel or doubled letter is a cheap slip; any other letter is not."""
    ch = word[i]
    if ch in _VOWELS or (i > 0 and word[i - 1] == ch) or (i + 1 < len(word) and word[i + 1] == ch):
        return 0.8
    return 1.0


def _deletes(word: str, depth: int) -> set[str]:
    out = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


def _neighbours(word: str) -> set[str]:
    """Every string one edit from word (Norvig's edits1, with adjacent swaps)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    out |= {a + c + b for a, b in splits for c in _LETTERS}
    return out


def _allowed(a: str, b: str) -> int:
    shorter = min(len(a), len(b))
    return 2 if shorter >= TWO_EDITS_LEN else (1 if shorter >= MIN_LEN else 0)


class Speller:
    """Corrects misspelt key terms in a ``Normalised`` text; built once per config."""

    def __init__(
        self,
        terms: Iterable[str],
        known: dict[str, int],
        never: Iterable[str] = (),
        stems: Iterable[str] = (),
    ) -> None:
        self.known = known
        self.stems = frozenset(stems)
        self.terms = frozenset(terms)
        self.never = frozenset(w.lower() for w in never)
        self._index: dict[str, list[str]] = {}
        for term in self.terms:
            if len(term) < MIN_LEN:
                continue
            for d in _deletes(term, 2 if len(term) >= TWO_EDITS_LEN else 1):
                self._index.setdefault(d, []).append(term)
        self._fixes: dict[str, str | None] = {}
        self._memo: dict[str, list[tuple[int, int, str, list[int]]]] = {}

    def is_word(self, word: str) -> bool:
        """A known word, a key term, a name, or a word a wildcard entry matches as it is ("scrounger")."""
        if word in self.known or word in self.terms or word in self.never:
            return True
        if word.endswith("s") and (word[:-1] in self.known or word[:-1] in self.terms):
            return True  # a possessive without its apostrophe ("everyones", "womens")
        return any(word[:k] in self.stems for k in range(4, len(word)))

    def fix(self, word: str) -> str | None:
        """The key term an unknown word most likely misspells, or None (cached: words repeat)."""
        if len(word) < MIN_LEN or self.is_word(word):
            return None
        if word not in self._fixes:
            if len(self._fixes) > 100_000:
                self._fixes.clear()
            self._fixes[word] = self._fix(word)
        return self._fixes[word]

    def _fix(self, word: str) -> str | None:
        depth = 2 if len(word) >= TWO_EDITS_LEN else 1
        keys = {t for d in _deletes(word, depth) for t in self._index.get(d, ())}
        scored: list[tuple[float, int, str, bool]] = []
        for term in keys:
            if term[0] != word[0]:
                continue
            count, cost = edits(word, term)
            # Below 8 letters only a swap, a dropped or an added letter: one changed letter turns too
            # many short words into others ("thats" is not "thots").
            short_ok = len(word) != len(term) or sorted(word) == sorted(term)
            if 0 < count <= _allowed(word, term) and (short_ok or min(len(word), len(term)) >= TWO_EDITS_LEN):
                scored.append((cost, -self.known.get(term, 0), term, True))
        if not scored:
            return None
        for other in _neighbours(word):
            if other in self.known and other not in self.terms:
                scored.append((edits(word, other)[1], -self.known[other], other, False))
        best = min(scored)
        return best[2] if best[3] else None

    def split(self, word: str) -> tuple[str, str] | None:
        """An unknown run-together word as a key term beside a key term or function word."""
        if len(word) < 7 or self.is_word(word):
            return None
        best: tuple[str, str] | None = None
        for i in range(2, len(word) - 1):
            a, b = word[:i], word[i:]
            key_a, key_b = len(a) >= 4 and a in self.terms, len(b) >= 4 and b in self.terms
            glued = (key_a and (key_b or b in _GLUE)) or (key_b and a in _GLUE)
            if glued and (best is None or max(len(a), len(b)) > max(map(len, best))):
                best = (a, b)
        return best

    def correct(self, norm: Normalised) -> Normalised:
        """The matching copy with misspelt key words replaced; offsets still point at the author's."""
        changes = self.changes(norm)
        return _apply(norm, changes) if changes else norm

    def for_encoder(self, text: str) -> tuple[str, list[int]] | None:
        """The original text with the same words corrected, and each character's original offset
        (so the encoder's evidence still quotes the author); None when nothing changes."""
        norm = normalise(text)
        changes = self.changes(norm)
        if not changes:
            return None
        out: list[str] = []
        back: list[int] = []
        pos = 0
        for start, end, new, _src in changes:
            ostart, oend = norm.span(start, end)
            out.append(text[pos:ostart])
            back.extend(range(pos, ostart))
            out.append(new)
            last = max(len(new) - 1, 1)
            back.extend(ostart + round(k * (oend - 1 - ostart) / last) for k in range(len(new)))
            pos = oend
        out.append(text[pos:])
        back.extend(range(pos, len(text)))
        return "".join(out), back

    def changes(self, norm: Normalised) -> list[tuple[int, int, str, list[int]]]:
        """(start, end, replacement, source letters) in the matching copy, left to right; remembered
        per text, since the engine asks once for the encoder and once for the rules."""
        memo = self._memo.get(norm.original)
        if memo is None:
            if len(self._memo) > 4096:
                self._memo.clear()
            memo = self._memo[norm.original] = self._changes(norm)
        return memo

    def _changes(self, norm: Normalised) -> list[tuple[int, int, str, list[int]]]:
        text = norm.text
        words = self._words(norm)
        changes: list[tuple[int, int, str, list[int]]] = []
        i = 0
        while i < len(words):
            start, end, word = words[i]
            if i + 1 < len(words):
                nstart, nend, nxt = words[i + 1]
                joined = word + nxt
                if (
                    nstart == end + 1
                    and text[end] in " -"
                    and min(len(word), len(nxt)) >= 3
                    and not (self.is_word(word) and self.is_word(nxt))
                ):
                    target = joined if joined in self.terms else self.fix(joined)
                    if target is not None and len(joined) >= 6 and not self._name(norm, start, end):
                        src = [*range(start, end), *range(nstart, nend)]
                        changes.append((start, nend, target, src))
                        i += 2
                        continue
            fixed = self.fix(word)
            if fixed is not None and not self._name(norm, start, end):
                changes.append((start, end, fixed, list(range(start, end))))
            elif fixed is None:
                parts = self.split(word)
                if parts is not None and not self._name(norm, start, end):
                    a, b = parts
                    src = [*range(start, start + len(a)), start + len(a), *range(start + len(a), end)]
                    changes.append((start, end, f"{a} {b}", src))
            i += 1
        return changes

    def _words(self, norm: Normalised) -> list[tuple[int, int, str]]:
        """Plain words: no links, handles, numbers or masks (a chunk between spaces must be words)."""
        out = []
        for chunk in _PLAIN.finditer(norm.text):
            inner, base = chunk.group(1), chunk.start(1)
            if "'" in inner or "-" in inner:
                out += [(base + m.start(), base + m.end(), m.group()) for m in _LETTERS_RUN.finditer(inner)]
            else:
                out.append((base, chunk.end(1), inner))
        return out

    def _name(self, norm: Normalised, start: int, end: int) -> bool:
        ostart, oend = norm.span(start, end)
        raw = norm.original[ostart:oend]
        if not raw[:1].isupper() or raw.isupper():
            return False
        before = norm.text[:start].rstrip(" \"'(")
        return bool(before) and before[-1] not in _SENTENCE_END


def _apply(norm: Normalised, changes: list[tuple[int, int, str, list[int]]]) -> Normalised:
    base = norm.offsets if norm.offsets is not None else range(len(norm.text))
    text: list[str] = []
    offsets: list[int] = []
    pos = 0
    for start, end, new, src in changes:
        text.append(norm.text[pos:start])
        offsets.extend(base[pos:start])
        text.append(new)
        # Stretched over the author's letters: a match of the whole new word quotes the whole old one.
        last = max(len(new) - 1, 1)
        offsets.extend(base[src[round(k * (len(src) - 1) / last)]] for k in range(len(new)))
        pos = end
    text.append(norm.text[pos:])
    offsets.extend(base[pos:])
    return Normalised(norm.original, "".join(text), tuple(offsets))
