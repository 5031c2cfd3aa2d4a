"""Rule modules, one per GP014 concern. Each exposes ``find(ctx) -> list[Flag]``.

Rules run on a shared ``Context`` built once per item, so the normalised text, sentence
boundaries and reported-speech spans are computed once however many rules look at them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from moderation.policy.config import PolicyConfig
from moderation.policy.normalise import Normalised
from moderation.policy.result import Flag

_SENTENCE_END = re.compile(r"[.!?\n;]+")
_QUOTED = re.compile(r"\"[^\"\n]{1,120}\"|(?<![a-z0-9])'[^'\n]{1,80}'(?![a-z0-9])")
_REPORTING = re.compile(
    r"\b(?:call(?:ed|s|ing)?|shout(?:ed|s|ing)?|said|says|saying|wrote|writes|written|posted|messaged|"
    r"texted|told|scream(?:ed|ing)?|yell(?:ed|ing)?|report(?:ed|ing)?|name[ds]?|abuse[ds]?)\b"
)
# "keeps calling me a scrounger": the insult is what someone else said.
_CALLED_BEFORE = re.compile(
    r"\b(?:call(?:ed|s|ing)?|shout(?:ed|s|ing)?(?: at)?|label(?:l)?ed)\s+(?:me|us|him|her|them|people|tenants|"
    # "called my disabled brother a ...": up to three words after a possessive.
    r"(?:my|our|his|her|their)(?:\s+[\w'-]+){1,3})"
    r"(?:\s+(?:an?|the))?\s*['\"]?$"
)
_NEGATION = re.compile(r"\b(?:not|never|no|isn't|aren't|wasn't|weren't|don't|doesn't|nor)\b[^.!?]{0,12}$")


@dataclass
class Context:
    """One item as the rules see it. Offsets in rule code are into ``norm.text``."""

    norm: Normalised
    config: PolicyConfig
    links: tuple[str, ...] = ()
    has_media: bool = False
    model_score: float | None = None
    suppressed: list[str] = field(default_factory=list)
    _ends: list[int] | None = None
    _quotes: list[tuple[int, int]] | None = None
    _reporting: bool | None = None

    @property
    def text(self) -> str:
        return self.norm.text

    @property
    def original(self) -> str:
        return self.norm.original

    def sentence(self, pos: int) -> int:
        if self._ends is None:
            self._ends = [m.start() for m in _SENTENCE_END.finditer(self.norm.text)]
        return bisect.bisect_right(self._ends, pos)

    def same_sentence(self, a: int, b: int) -> bool:
        return self.sentence(a) == self.sentence(b)

    def negated(self, start: int) -> bool:
        return bool(_NEGATION.search(self.norm.text, max(0, start - 30), start))

    def reported(self, start: int, end: int) -> bool:
        """True when the span is someone else's words being reported, not the author's abuse."""
        text = self.norm.text
        if _CALLED_BEFORE.search(text[max(0, start - 40) : start]):
            return True
        if self._quotes is None:
            self._quotes = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
            self._reporting = bool(_REPORTING.search(text))
        if not self._reporting:
            return False
        return any(qs <= start and end <= qe for qs, qe in self._quotes)

    def flag(
        self,
        category: str,
        start: int,
        end: int,
        *,
        score: float,
        source: str,
        explanation: str,
        clause: str = "2.3",
        urgent: bool = False,
        subtype: str = "",
    ) -> Flag:
        """A flag whose evidence is the author's original words for the normalised span."""
        ostart, oend = self.norm.span(start, end)
        return Flag(
            category=category,
            clause=clause,
            evidence=self.norm.original[ostart:oend],
            start=ostart,
            end=oend,
            score=score,
            source=source,
            explanation=explanation,
            urgent=urgent,
            subtype=subtype,
        )

    def raw_flag(
        self, category: str, start: int, end: int, *, score: float, source: str, explanation: str
    ) -> Flag:
        """A flag for a span found in the original text (personal data, links)."""
        return Flag(
            category=category,
            clause="2.3",
            evidence=self.norm.original[start:end],
            start=start,
            end=end,
            score=score,
            source=source,
            explanation=explanation,
        )


def first_unreported(ctx: Context, pattern: re.Pattern[str]) -> re.Match[str] | None:
    """The first match that is the author's own words; reported ones are noted as suppressed."""
    for m in pattern.finditer(ctx.text):
        if ctx.reported(m.start(), m.end()):
            ctx.suppressed.append(m.group())
            continue
        return m
    return None


BULLET_OFFENSIVE = "2.3, first bullet (offensive, abusive or foul content)"
