"""GP014 2.3: defamatory claims (fourth bullet) and false or misleading notices (first bullet)."""

from __future__ import annotations

import re

from moderation.policy.result import Flag
from moderation.policy.rules import Context
from moderation.policy.rules.whereabouts import STREET

_MISINFO_SCAM = re.compile(
    r"\b(?:send|dm|message|pm|inbox)\s+(?:us|me|this page)?\s*(?:with\s+)?(?:your|ur)\s+"
    r"(?:bank|card|account|tenancy|personal)?\s*(?:details|address|number)\b"
    r"|\bmessag\w*\s+this\s+page\s+with\s+your\b"
    r"|\b(?:pay|paying|send)\s+(?:your\s+)?rent\s+(?:in)?to\s+(?:this|a|the|our)\s+new\s+account\b"
    r"|\brent\s+payments?\s+(?:have|has)\s+moved\b"
    r"|\bchanged\s+(?:banks|bank details|accounts?)\b"
    r"|\bnew\s+(?:official\s+)?(?:havebury\s+)?page\b.{0,60}\bhacked\b"
    r"|\b(?:page|account)\s+(?:has\s+been|was|got)\s+hacked\b"
    r"|\bpay\s+(?:your|a|the|an)?\s*(?:£\s?\d+\s+)?(?:admin|administration|processing|registration|release)\s+fee\b"
    # Money asked for through a link or a profile: "paid to the account in our bio", "pay the fee at the link".
    r"|\b(?:pay|paid|payment|transfer)\b[^.!?]{0,40}\b(?:account|link|details)\s+in\s+(?:our|the|my)\s+bio\b"
    r"|\bpay\s+(?:the|a|your|an)?\s*(?:£\s?\d+\s+)?(?:\w+\s+)?fee\s+(?:at|via|through|on)\s+(?:the|this|our)\s+link\b"
    r"|\b(?:rent|payments?)\s+(?:must|should|will|now has to|has to)\s+(?:now\s+)?be\s+paid\s+(?:to|into)\s+(?:the|a|our|this)\s+(?:new\s+)?account\b"
)
_MISINFO_CLAIM = re.compile(
    r"\brent\s+freeze\b|\bfreez(?:e|es|ing)\s+(?:all\s+|the\s+)?rents?\b"
    r"|\bno\s+rent\s+(?:increase|rise)\b"
    r"|\b(?:don't|dont|do not|won't|wont)\s+(?:have|need)\s+to\s+pay\b"
    r"|\b(?:don't|dont|do not)\s+pay\s+the\s+(?:new|increase)"
    r"|\b(?:claim|apply\s+for)\s+(?:your|a|an|the)?\s*(?:[a-z£0-9]+\s+){0,5}"
    r"(?:grant|refund|rebate|voucher|payment|compensation)\b"
    r"|\b(?:grant|refund|rebate)\s+(?:available|here|now)\b"
    r"|\b(?:is|are|have|has)\s+(?:paying|giving)\s+(?:everyone|every\s+tenant|all\s+tenants)\b"
    r"|\bfree\s+[a-z]+\s+for\s+(?:all|every|everyone)\b"
    r"|\b(?:gone|going)\s+bust\b|\bbankrupt\b|\btenancies\s+(?:end|are\s+ending|will\s+end)\b"
    r"|\bevictions\s+(?:are\s+|have\s+been\s+)?(?:banned|suspended|cancelled)\b"
    r"|\bselling\s+(?:off\s+)?all\s+the\s+(?:houses|homes|flats)\b"
)
_ORG = re.compile(r"\bhavebury\b|\btenants?\b|\brent\b")


def find_misinformation(ctx: Context) -> list[Flag]:
    text = ctx.text
    m = _MISINFO_SCAM.search(text)
    if m is not None:
        return [
            ctx.flag(
                "misinformation",
                m.start(),
                m.end(),
                score=0.88,
                source="misinformation.scam_notice",
                explanation="Looks like a scam notice asking people to send details or pay somewhere new, "
                "which GP014 2.3 (first bullet) rules out as false or misleading.",
            )
        ]
    m = _MISINFO_CLAIM.search(text)
    if m is not None and _ORG.search(text):
        return [
            ctx.flag(
                "misinformation",
                m.start(),
                m.end(),
                score=0.7,
                source="misinformation.false_claim",
                explanation="States something about Havebury's services or tenancies that needs checking "
                "before others rely on it (GP014 2.3, first bullet: false or misleading).",
            )
        ]
    return []


def _target_near(ctx: Context, start: int) -> re.Match[str] | None:
    text = ctx.text
    compiled = ctx.config.compiled
    for target in compiled["defamation_targets"].finditer(text):
        if ctx.same_sentence(target.start(), start) or abs(target.start() - start) < 60:
            return target
    for person in ctx.config.protected_people:
        idx = text.find(person.name.lower())
        if idx >= 0 and abs(idx - start) < 80:
            return re.match(r".+", text[idx : idx + len(person.name)])
    return None


# A person's name as the author wrote it: "Gary Marsh", "Mrs Jenkins", "Dave from the panel".
_NAME = re.compile(
    r"\b(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+[A-Z][a-z]+|(?!(?:The|That|This|Your|Our|My|His|Her|Their|Havebury|"
    r"Everyone|Everybody|Nobody|Someone|Whoever|Word|Heard|FACT|Just)\b)[A-Z][a-z]+(?:\s+(?!Havebury\b|"
    + STREET
    + r"\b)[A-Z][a-z]+|\s+from\b))"
)
# "My bike was stolen from the shed", "we got robbed last year": the author is the victim and nobody is
# accused, unless the sentence says by whom.
_PASSIVE = re.compile(r"\b(?:was|were|got|been|being|get|gets)\s+(?:(?:all|just|completely|totally)\s+)?$")
_PARTICIPLE = re.compile(r"[a-z]+(?:ed|en)\b")
_BY = re.compile(r"\bby\b")


def _suffered(ctx: Context, m: re.Match[str]) -> bool:
    """The accusation is a passive participle ("was stolen", "got conned") with no "by ..." after it."""
    if not _PARTICIPLE.match(m.group()) or not _PASSIVE.search(ctx.text[max(0, m.start() - 30) : m.start()]):
        return False
    ends = [i for i in (ctx.text.find(c, m.end()) for c in ".!?\n") if i >= 0]
    return not _BY.search(ctx.text, m.end(), min(ends, default=len(ctx.text)))


def _named_person(ctx: Context, start: int) -> bool:
    """Is a person named (not just a role) within the accusation's reach?"""
    ostart, _ = ctx.norm.span(start, start + 1)
    lo, hi = max(0, ostart - 80), ostart + 80
    if any(p.name.lower() in ctx.text[max(0, start - 80) : start + 80] for p in ctx.config.protected_people):
        return True
    return any(lo <= m.start() <= hi for m in _NAME.finditer(ctx.original))


# "I read in the paper about a landlord stealing deposits": news about someone else, not the author's accusation.
NEWS = re.compile(
    r"\b(?:in the (?:paper|papers|news|local rag)|on the (?:news|telly|tv|radio)|(?:read|saw|seen|heard|watched) "
    r"(?:an?|that|this) (?:article|story|piece|report|documentary|programme)|(?:news|newspaper) (?:story|article|report))\b"
)

# "Someone accused Sue of taking the money but it turned out to be a counting mistake": an accusation
# reported as withdrawn or disproved is not the author's.
CLEARED = re.compile(
    r"\b(?:turned out (?:to be |it was |that it was |he was |she was |they were )?(?:an? |all |completely |totally )?"
    r"(?:\w+ )?(?:mistake|misunderstanding|error|mix-?up|innocent|nothing|false|untrue|rumour|lie)|was cleared|were cleared|been cleared|cleared (?:him|her|them|his name|her name)|"
    r"(?:was|were) (?:proved|proven) (?:wrong|innocent)|false(?:ly)? accus\w*|not guilty|no truth in|"
    r"(?:accused|blamed)\s+(?:\w+\s+){1,3}?(?:wrongly|unfairly)|wrongly accused|unfairly accused)\b"
)


def find_defamation(ctx: Context) -> list[Flag]:
    compiled = ctx.config.compiled
    for m in compiled["defamation_accusations"].finditer(ctx.text):
        if ctx.negated(m.start()) or ctx.reported(m.start(), m.end()):
            continue
        if _suffered(ctx, m):
            continue  # a theft suffered, with no one accused of it
        news = NEWS.search(ctx.text)
        if news is not None and ctx.same_sentence(news.start(), m.start()):
            continue
        if CLEARED.search(ctx.text):
            continue
        group = compiled["hate_groups"].search(ctx.text, max(0, m.start() - 60), m.start())
        if group is not None and ctx.same_sentence(group.start(), m.start()):
            continue  # claims about a whole protected group are handled as hate, not defamation
        if _target_near(ctx, m.start()) is None and not _named_person(ctx, m.start()):
            continue
        named = _named_person(ctx, m.start())
        return [
            ctx.flag(
                "defamation",
                m.start(),
                m.end(),
                score=0.7,
                source="defamation.named_person" if named else "defamation.accusation",
                explanation="Accuses a named person, role or organisation of wrongdoing as fact, which "
                "GP014 2.3 (fourth bullet) rules out as potentially defamatory."
                + (" A named person is accused: high priority." if named else ""),
                subtype="named_person" if named else "",
            )
        ]
    return []
