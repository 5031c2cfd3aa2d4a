"""Evidence an officer can quote back (issue 10, item 4): each flag's quote widened, within its clause,
to the words that carry the harm. Pure functions of the flag and the author's text; no Django."""

from __future__ import annotations

import dataclasses
import re

from moderation.policy.result import Flag

# A quote that ends on one of these has lost its object ("breed like", "see what happens to your").
_DANGLING = frozenset(
    (
        "to", "on", "of", "at", "in", "into", "onto", "like", "with", "from", "for", "about", "over", "the", "a",
        "an", "your", "my", "his", "her", "their", "our", "its",
    )
)  # fmt: skip
_LEADING = frozenset(("and", "but", "or", "so", "then"))
_FUNCTION = frozenset(
    (
        "is", "are", "was", "were", "be", "been", "will", "would", "can", "could", "should", "must", "who", "which",
        "that", "when", "where", "if",
    )
)  # fmt: skip
_WORD = re.compile(r"[\w'\u2019-]+")
_STOPS_QUOTE = re.compile(r"[.!?,;:\n]")


def _whole_words(flag: Flag, original: str) -> Flag:
    """Evidence an officer can quote back: no joining word at its start, and a dangling preposition or
    determiner at its end carried on to the words it governs, within the clause ("breed like" ->
    "breed like rabbits", "and see what happens to your" -> "see what happens to your office windows")."""
    start, end = flag.start, flag.end
    if end <= start or original[start:end] != flag.evidence:
        return flag
    first = _WORD.match(original, start)
    rest = _WORD.search(original, first.end(), end) if first and first.group().lower() in _LEADING else None
    if rest is not None:
        start = rest.start()
    words = _WORD.findall(original, start, end)
    dangling = bool(words) and words[-1].lower() in _DANGLING
    content = 0  # words carried on after a dangling one: its object, and one more ("office windows")
    while dangling or content == 1:
        nxt = _WORD.search(original, end)
        if nxt is None or nxt.start() - end > 2 or _STOPS_QUOTE.search(original, end, nxt.start()):
            break
        word = nxt.group().lower()
        if not dangling and (word in _DANGLING or word in _LEADING or word in _FUNCTION):
            break
        end = nxt.end()
        dangling = word in _DANGLING
        content += not dangling
    if (start, end) == (flag.start, flag.end):
        return flag
    return dataclasses.replace(flag, start=start, end=end, evidence=original[start:end])


_CLAIM_WORDS = 12


def _whole_claim(flag: Flag, original: str) -> Flag:
    """A rumour quoted in three words or fewer ("Havebury gave", "Havebury are selling") runs on to the
    end of its clause, so the quote says what is claimed ("Havebury gave all our names and bank ...")."""
    if flag.category != "misinformation" or original[flag.start : flag.end] != flag.evidence:
        return flag
    if len(_WORD.findall(flag.evidence)) > 3:
        return flag  # "Rents are going up by 40 percent" already says what is claimed
    stop = _STOPS_QUOTE.search(original, flag.end)
    room = _CLAIM_WORDS - len(_WORD.findall(flag.evidence))
    words = list(_WORD.finditer(original, flag.end, stop.start() if stop else len(original)))[:room]
    while words and words[-1].group().lower() in _DANGLING | _LEADING | _FUNCTION:
        words.pop()
    if not words:
        return flag
    end = words[-1].end()
    return dataclasses.replace(flag, end=end, evidence=original[flag.start : end])


_SARCASM = "route.complaint.sarcasm"
_SENTENCE_END = re.compile(r"[.!?\n]")
_GRIEVANCE_WORDS = 16


def _with_grievance(flag: Flag, original: str) -> Flag:
    """A sarcastic opener ("Oh wonderful", "Love how") is quoted with the grievance it is sarcastic
    about: the rest of its sentence, or the sentence before a closing one ("... Truly impressive")."""
    if flag.source != _SARCASM or original[flag.start : flag.end] != flag.evidence:
        return flag
    stop = _SENTENCE_END.search(original, flag.end)
    after = list(_WORD.finditer(original, flag.end, stop.start() if stop else len(original)))
    start, end = flag.start, flag.end
    if len(after) >= 2:
        words = after[:_GRIEVANCE_WORDS]
        while len(words) > 2 and words[-1].group().lower() in _DANGLING | _LEADING | _FUNCTION:
            words.pop()
        end = words[-1].end()
    else:
        ends = [m.end() for m in _SENTENCE_END.finditer(original, 0, flag.start)]
        if not ends:
            return flag
        begin = ends[-2] if len(ends) >= 2 else 0  # the start of the sentence before the opener's
        before = list(_WORD.finditer(original, begin, flag.start))[-_GRIEVANCE_WORDS:]
        if len(before) < 2:
            return flag
        start = before[0].start()
    return dataclasses.replace(flag, start=start, end=end, evidence=original[start:end])


def quotable(flag: Flag, original: str) -> Flag:
    """The flag with its quote made whole: joining words off its start, a dangling word carried on to its
    object, a short rumour run on to what it claims, a sarcastic opener quoted with its grievance."""
    return _with_grievance(_whole_claim(_whole_words(flag, original), original), original)
