"""GP014 2.4: things to take offline - repairs, complaints and personal issues (at most one).

Precedence: safeguarding (urgent) > complaint > personal issue > repair. A complaint wins over a
repair because the Housing Ombudsman's Complaint Handling Code expects complaints made on social
media to be recognised as complaints.
"""

from __future__ import annotations

import re

from moderation.policy.result import Flag
from moderation.policy.rules import Context

_FIRST_PERSON = re.compile(r"\b(?:i|i'm|im|i've|ive|i'd|my|me|we|we're|we've|our|us|mine)\b")
# A personal matter is the author's own, or they are asking for help with it.
_OWN_OR_HELP = re.compile(
    r"\b(?:i|i'm|im|i've|ive|i'd|my|me|we|we're|we've|our|us|mine|help|victim|please)\b"
)
_CHILD_AT_RISK = re.compile(
    r"\b(?:child|children|kids|baby|toddler|son|daughter)\b[^.!?]{0,60}\b(?:left alone|neglected|abused|"
    r"being hurt|being hit|getting hit|hits them|beaten|screaming)\b"
)
_INFORMATIONAL = re.compile(
    r"\b(?:research|article|study|news|programme|documentary|tips|advice|report)\s+(?:on|about|into)\b"
)
_REPAIR_WINDOW = 60

_EXPLAIN = {
    "repair": "Reports a repair or defect; GP014 2.4 asks us to take repairs to direct contact rather than "
    "discuss them on the page.",
    "complaint": "Expresses dissatisfaction with our service; GP014 2.4 and the Housing Ombudsman's Complaint "
    "Handling Code mean we recognise it as a complaint and take it to direct contact.",
    "personal_issue": "Shares in-depth personal circumstances; GP014 2.4 asks us to move personal issues to "
    "direct contact.",
    "safeguarding": "Describes a safeguarding risk (abuse, self-harm or a child at risk); treat as urgent and "
    "contact the person directly under GP014 2.4.",
}


def _route_flag(
    ctx: Context, route: str, m: re.Match[str], score: float, source: str, *, urgent: bool = False
) -> Flag:
    return ctx.flag(
        "personal_issue" if route == "safeguarding" else route,
        m.start(),
        m.end(),
        score=score,
        source=source,
        explanation=_EXPLAIN[route],
        clause="2.4",
        urgent=urgent,
    )


def _repair(ctx: Context) -> Flag | None:
    compiled = ctx.config.compiled
    text = ctx.text
    if _INFORMATIONAL.search(text):
        return None
    m = compiled["repair_conditions"].search(text)
    if m is not None:
        return _route_flag(ctx, "repair", m, 0.8, "route.repair.condition")
    defects = list(compiled["repair_defects"].finditer(text))
    if not defects:
        return None
    for p in compiled["repair_problems"].finditer(text):
        if ctx.negated(p.start()):
            continue
        for d in defects:
            if abs(d.start() - p.start()) <= _REPAIR_WINDOW and ctx.same_sentence(d.start(), p.start()):
                lo = min(d.start(), p.start())
                hi = max(d.end(), p.end())
                return ctx.flag(
                    "repair",
                    lo,
                    hi,
                    score=0.8,
                    source="route.repair.defect",
                    explanation=_EXPLAIN["repair"],
                    clause="2.4",
                )
    return None


def _personal(ctx: Context) -> Flag | None:
    for m in ctx.config.compiled["personal_issue"].finditer(ctx.text):
        sentence = ctx.sentence(m.start())
        for fp in _OWN_OR_HELP.finditer(ctx.text):
            if ctx.sentence(fp.start()) == sentence:
                return _route_flag(ctx, "personal_issue", m, 0.75, "route.personal_issue")
    return None


def find_route(ctx: Context) -> Flag | None:
    compiled = ctx.config.compiled
    m = compiled["safeguarding"].search(ctx.text) or _CHILD_AT_RISK.search(ctx.text)
    if m is not None and not ctx.reported(m.start(), m.end()) and _OWN_OR_HELP.search(ctx.text):
        return _route_flag(ctx, "safeguarding", m, 0.9, "route.personal_issue.safeguarding", urgent=True)
    m = compiled["complaint_cues"].search(ctx.text)
    if m is not None and not ctx.reported(m.start(), m.end()):
        return _route_flag(ctx, "complaint", m, 0.75, "route.complaint")
    return _personal(ctx) or _repair(ctx)
