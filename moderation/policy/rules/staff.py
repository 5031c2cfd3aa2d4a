"""GP014 2.3 third bullet: criticising or arguing with employees, board directors, panel
members, involved residents or partners, by name or by role. The people list is data."""

from __future__ import annotations

import functools
import re

from moderation.policy.config import PolicyConfig
from moderation.policy.result import Flag
from moderation.policy.rules import Context


@functools.lru_cache(maxsize=8)
def _people_patterns(config: PolicyConfig) -> tuple[tuple[re.Pattern[str], re.Pattern[str] | None], ...]:
    out = []
    for person in config.protected_people:
        full = re.compile(r"\b" + r"\s+".join(map(re.escape, person.name.lower().split())) + r"\b")
        # A first name alone counts only when the author capitalised it ("Lauren", not "laurel").
        alias = (
            re.compile(r"\b(?:" + "|".join(re.escape(a) for a in person.aliases) + r")\b")
            if person.aliases
            else None
        )
        out.append((full, alias))
    return tuple(out)


def _targets(ctx: Context) -> list[tuple[int, int, float, str]]:
    found: list[tuple[int, int, float, str]] = []
    for full, alias in _people_patterns(ctx.config):
        m = full.search(ctx.text)
        if m is not None:
            found.append((m.start(), m.end(), 0.85, "staff_criticism.named_person"))
            continue
        if alias is not None and ctx.norm.offsets is None:
            am = alias.search(ctx.original)
            if am is not None:
                found.append((am.start(), am.end(), 0.75, "staff_criticism.named_person"))
    for m in ctx.config.compiled["staff_roles"].finditer(ctx.text):
        found.append((m.start(), m.end(), 0.7, "staff_criticism.role"))
    for m in _FUNCTION.finditer(ctx.text):
        found.append((m.start(), m.end(), 0.7, "staff_criticism.role"))
    return found


# Staff named by what they do rather than a job title (issue 10, round 5): "whoever runs lettings",
# "whoever is in charge of rent accounts", "the lot in the call centre", "the people on the phones".
_FUNCTION = re.compile(
    r"\bwho(?:ever|soever)\s+(?:runs|ran|does|did|is in charge of|was in charge of|answers|answered|signed off|"
    r"approved|manages|managed|deals with|dealt with|handles|handled|looks after|books|booked|schedules|"
    r"scheduled|planned|replies|decided|designed)\b"
    r"|\b(?:the|your|those|that) (?:lot|folk|people|girls|lads|ladies|bods|staff|crew|ones) "
    r"(?:in|on|at|from|behind|who run|who answer) (?:the |your |head )?(?:office|offices|desk|phones?|lines?|"
    r"centre|center|counter|reception|switchboard|town hall|top)\b"
)


# "Someone wrote that the surveyor is useless but she helped me loads": another person's criticism,
# reported in order to defend the member of staff, is not the author's criticism.
_SAID = re.compile(
    r"\b(?:someone|somebody|people|others|they|some|"
    # "a bloke in the chippy called the housing officer...": a stranger, named by what they are.
    r"(?:a|this|some) (?:bloke|man|woman|lady|lad|guy|fella|neighbour|customer|tenant|person)(?: [\w']+){0,4}?)"
    r"\s+(?:wrote|said|says|say|posted|claimed|reckons?|called|calls)\b"
)
_DEFENCE = re.compile(
    r"\b(?:but (?:she|he|they)|not true|unfair|be fair|helped|was lovely|was kind|so kind|"
    r"nothing but (?:kind|helpful|lovely|good)|(?:has|have|'s|'ve) (?:always )?been (?:kind|lovely|great|brilliant|helpful))\b"
)


def reported_in_defence(text: str) -> bool:
    """The comment reports someone else's criticism of staff and defends them (normalised text)."""
    said = _SAID.search(text)
    return bool(said and _DEFENCE.search(text, said.end()))


def _defended(ctx: Context, start: int, end: int) -> bool:
    before = ctx.text[max(0, start - 40) : start]
    return bool(_SAID.search(before) and _DEFENCE.search(ctx.text[end:]))


def find_staff_criticism(ctx: Context) -> list[Flag]:
    targets = _targets(ctx)
    if not targets:
        return []
    criticisms = [
        c for c in ctx.config.compiled["staff_criticism"].finditer(ctx.text) if not ctx.negated(c.start())
    ]
    for start, end, score, source in targets:
        for c in criticisms:
            if ctx.same_sentence(start, c.start()) and abs(c.start() - start) <= 90:
                lo, hi = min(start, c.start()), max(end, c.end())
                if _defended(ctx, lo, hi):
                    continue
                return [
                    ctx.flag(
                        "staff_criticism",
                        lo,
                        hi,
                        score=score,
                        source=source,
                        explanation="Criticises a member of staff, board or panel by name or role in public, "
                        "which GP014 2.3 (third bullet) asks people to raise with us directly instead.",
                    )
                ]
    return []
