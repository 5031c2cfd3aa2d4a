"""GP014 2.3 second bullet: confidential or sensitive information posted in public.

These patterns run on the original text: postcodes, phone numbers and references are
exactly what normalisation would blur.
"""

from __future__ import annotations

import re

from moderation.policy.result import Flag
from moderation.policy.rules import Context

_POSTCODE = r"(?:[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}|[a-z]{1,2}\d[a-z\d]?\s*\d[a-z]{2})\b"
_STREET = (
    r"(?:Road|Rd|Street|St|Avenue|Ave|Close|Lane|Way|Drive|Court|Crescent|Gardens|Place|Terrace|Walk|Green|Row|"
    r"Mews|Grove|Hill|Park|Rise|View|Square|Meadows?|Chase|End)"
)
_PATTERNS: tuple[tuple[str, re.Pattern[str], float, str], ...] = (
    (
        "personal_data.phone",
        re.compile(
            r"(?<![\d+])(?:\+44\s?\(?0?\)?\s?|0)(?:7(?:[\s-]?\d){9}|1\d{2,3}\s?\d{3}\s?\d{3,4}|2\d\s?\d{4}\s?\d{4})(?!\d)"
        ),
        0.95,
        "a phone number",
    ),
    (
        "personal_data.email",
        re.compile(r"\b[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})\b"),
        0.95,
        "an email address",
    ),
    (
        "personal_data.ni_number",
        # Any two letters: example prefixes (QQ) and typos are still somebody's number to us.
        re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.IGNORECASE),
        0.95,
        "a National Insurance number",
    ),
    (
        "personal_data.bank",
        re.compile(
            r"\b\d{2}-\d{2}-\d{2}\b|\bsort\s*(?:code)?\s*:?\s*\d{6}\b|\b(?:account|acc|a/c)\s*(?:no\.?|number)?\s*:?\s*\d{8}\b",
            re.IGNORECASE,
        ),
        0.95,
        "bank details",
    ),
    (
        "personal_data.email_spelt",
        # Spelt out to dodge filters: "jo_walsh at gmail dot com", "tracey.b (at) hotmail (dot) co (dot) uk".
        re.compile(
            r"\b[A-Za-z0-9._%+-]+\s*(?:\(at\)|\[at\]|\s+at\s+)\s*[A-Za-z0-9-]+\s*(?:\(dot\)|\[dot\]|\s+dot\s+)\s*"
            r"(?:com|net|org|co\s*(?:\(dot\)|\[dot\]|\s+dot\s+|\.)\s*uk)\b",
            re.IGNORECASE,
        ),
        0.9,
        "an email address",
    ),
    (
        "personal_data.vehicle",
        # A current-style UK number plate given as someone's: "reg AB12 CDE", "number plate is YX70 KLM".
        re.compile(
            r"\b(?:reg|registration|number plate|plate)\s*(?:number|no\.?)?\s*(?:is|:)?\s*[A-Z]{2}\d{2}\s?[A-Z]{3}\b",
            re.IGNORECASE,
        ),
        0.9,
        "a vehicle registration",
    ),
    (
        "personal_data.reference",
        re.compile(
            r"\b(?:tenancy|rent|customer|account|acc|ref|reference|payment)\s*(?:account\s*)?(?:ref(?:erence)?|no\.?|number|#)?"
            r"\s*(?:is\s*)?:?\s*[A-Z]{0,4}-?\d{5,}\b",
            re.IGNORECASE,
        ),
        0.9,
        "a tenancy, rent or customer reference",
    ),
    (
        "personal_data.date_of_birth",
        re.compile(
            r"\b(?:dob|d\.o\.b\.?|date of birth|born on|born|birthday is|birthday)\s*(?:is\s*)?:?\s*\d{1,2}[/.\-]\d{1,2}[/.\-](?:19|20)?\d{2}\b",
            re.IGNORECASE,
        ),
        0.95,
        "a date of birth",
    ),
    (
        "personal_data.address",
        re.compile(
            rf"\b(?:[Ff]lat\s+\d{{1,4}}[a-z]?,?\s+)?\d{{1,4}}[a-z]?,?\s+(?:[A-Z][a-z]+\s+){{1,3}}{_STREET}\b"
            r"|\b\d{1,4}[a-z]?,?\s+(?:[a-z]+\s+){1,2}(?:road|street|avenue|crescent|terrace|mews)\b"
            rf"|\b\d{{1,4}}[a-z]?,?\s+[A-Za-z ,]{{0,40}}\b{_POSTCODE}"
        ),
        0.9,
        "a home address",
    ),
)
_NAMED_PERSON = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+[A-Z][a-z]+|\b[A-Z][a-z]+\s+[A-Z][a-z]+\b|\b(?:the\s+\w+\s+)?at\s+(?:number|no\.?|flat)\s+\d+"
)
_NOT_NAMES = frozenset({"Havebury", "Housing", "Partnership", "The", "Our", "My", "Bury", "St", "Edmunds"})
_NON_PERSONAL_PHONE = re.compile(r"^(?:\+44\s?|0)(?:300|800|808|845|844|3\d\d)")


# A criminal record is special-category data too (UK GDPR article 10): "just out of prison", "on a tag".
_RECORD = re.compile(
    r"\b(?:(?:come|came|got|just) out of (?:prison|jail|the nick)|criminal record|on probation|on (?:a |an )?tag|"
    r"sex offenders? register|served time for|done time for|(?:was|been|got) convicted (?:of|for))\b"
)


def _health_about_named_person(ctx: Context) -> Flag | None:
    health = ctx.config.compiled["health_terms"]
    matches = sorted([*health.finditer(ctx.text), *_RECORD.finditer(ctx.text)], key=lambda m: m.start())
    for m in matches:
        ostart, _ = ctx.norm.span(m.start(), m.end())
        window = ctx.original[max(0, ostart - 80) : ostart]
        for person in _NAMED_PERSON.finditer(window):
            words = person.group().split()
            if words[0] in _NOT_NAMES or (len(words) > 1 and words[1] in _NOT_NAMES):
                continue
            start = max(0, ostart - 80) + person.start()
            flag = ctx.flag("personal_data", m.start(), m.end(), score=0.85, source="", explanation="")
            return ctx.raw_flag(
                "personal_data",
                start,
                flag.end,
                score=0.85,
                source="personal_data.health",
                explanation="Discloses health or criminal-record details about a named person, which GP014 2.3 "
                "(second bullet) "
                "rules out as sensitive information.",
            )
    return None


def find_personal_data(ctx: Context) -> list[Flag]:
    original = ctx.original
    allow = ctx.config.allowlisted_domains
    flags: list[Flag] = []
    for source, pattern, score, what in _PATTERNS:
        for m in pattern.finditer(original):
            if source == "personal_data.email":
                domain = m.group(1).lower()
                if any(domain == d or domain.endswith("." + d) for d in allow):
                    continue  # an organisation's own published address
            if source == "personal_data.email_spelt" and any(
                d.split(".")[0] in m.group().lower() for d in allow
            ):
                continue
            if source == "personal_data.phone" and _NON_PERSONAL_PHONE.match(m.group()):
                continue
            flags.append(
                ctx.raw_flag(
                    "personal_data",
                    m.start(),
                    m.end(),
                    score=score,
                    source=source,
                    explanation=f"Posts {what} in public, which GP014 2.3 (second bullet) rules out as "
                    "confidential or sensitive information.",
                )
            )
            break
    health = _health_about_named_person(ctx)
    if health is not None:
        flags.append(health)
    return flags
