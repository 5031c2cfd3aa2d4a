"""GP014 2.3 second bullet: confidential or sensitive information posted in public.

These patterns run on the original text: postcodes, phone numbers and references are
exactly what normalisation would blur. Phone numbers, emails and social media accounts are found
in ``contact_details``, addresses, number plates and someone's school or work in ``whereabouts``;
identifiers (NI numbers, bank details, tenancy references, dates of birth) and health or criminal
records about a named person here.
"""

from __future__ import annotations

import re

from moderation.policy.result import Flag
from moderation.policy.rules import Context
from moderation.policy.rules.contact_details import (
    email_addresses,
    phone_numbers,
    social_handles,
    spelt_email_addresses,
)
from moderation.policy.rules.whereabouts import STREET, addresses, school_or_work, vehicles

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_PATTERNS: tuple[tuple[str, re.Pattern[str], float, str], ...] = (
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
            r"\bsort\s*(?:code)?\s*(?:is|:|-)?\s*\d{2}[\s-]?\d{2}[\s-]?\d{2}\b"
            r"|\b(?:account|acc|a/c)\s*(?:no\.?|number|num)?\s*(?:is|:|-)?\s*\d{4}\s?\d{4}\b",
            re.IGNORECASE,
        ),
        0.95,
        "bank details",
    ),
    (
        "personal_data.reference",
        re.compile(
            r"\b(?:tenancy|rent|customer|account|acc|ref|reference|payment)\s*(?:account\s*)?(?:ref(?:erence)?|no\.?|number|#)?"
            # Round 11: letter groups before the digits ("HHP/T/0048213", "HB/LT/7731904", "HHP-R-00519377").
            r"\s*(?:is\s*)?:?\s*(?:(?:[A-Z]{1,4}[/-]){0,3}[A-Z]{0,4}[/-]?\d{5,}|\d{2,4}[ -]\d{3}[ -]\d{3})\b",
            re.IGNORECASE,
        ),
        0.9,
        "a tenancy, rent or customer reference",
    ),
    (
        "personal_data.date_of_birth",
        re.compile(
            r"\b(?:dob|d\.o\.b\.?|date of birth|born on|born|birthday'?s|birthday is|birthday)\s*(?:is\s*)?:?\s*(?:the\s+)?"
            rf"(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:19|20)?\d{{2}}|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(?:19|20)\d{{2}}"
            rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}}"
            # "3rd March '89", "1984-07-22"
            rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+'\d{{2}}|(?:19|20)\d{{2}}-\d{{1,2}}-\d{{1,2}})(?!\w)",
            re.IGNORECASE,
        ),
        0.95,
        "a date of birth",
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
)
_NAMED_PERSON = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+[A-Z][a-z]+|\b[A-Z][a-z]+\s+[A-Z][a-z]+\b|\b(?:the\s+\w+\s+)?at\s+(?:number|no\.?|flat)\s+\d+"
)
_ROAD = re.compile(STREET)
_NOT_NAMES = frozenset({"Havebury", "Housing", "Partnership", "The", "Our", "My", "Bury", "St", "Edmunds"})


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
            if len(words) > 1 and _ROAD.fullmatch(words[-1]):
                continue  # "a resident at Prospect Row with dementia": a road, not a person's name
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


# A bare "12-05-25" is a date unless money is being talked about; "40-47-84" cannot be a date.
_DASHED = re.compile(r"\b(\d{2})-(\d{2})-\d{2}\b")
_BANK_CUE = re.compile(
    r"\b(?:sort code|sort\s*:|bank|account|acc|a/c|transfer|bacs|payee|(?:pay|paid|put)(?: \w+)? into|"
    r"send (?:it|the money|money))\b",
    re.IGNORECASE,
)


def _bank_dashes(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _DASHED.finditer(text):
        date_like = 1 <= int(m.group(1)) <= 31 and 1 <= int(m.group(2)) <= 12
        if not date_like or _BANK_CUE.search(text):
            out.append((m.start(), m.end()))
    return out


# (source, finder, score, what is posted) for the detectors written as functions of the original text.
_FINDERS = (
    ("personal_data.phone", phone_numbers, 0.95, "a phone number"),
    ("personal_data.bank", _bank_dashes, 0.95, "bank details"),
    ("personal_data.address", addresses, 0.9, "a home address"),
    ("personal_data.vehicle", vehicles, 0.9, "a vehicle registration"),
    ("personal_data.whereabouts", school_or_work, 0.85, "where someone works or their child goes to school"),
    ("personal_data.social_media", social_handles, 0.85, "a private person's social media account"),
)


def _flag(ctx: Context, source: str, start: int, end: int, score: float, what: str) -> Flag:
    return ctx.raw_flag(
        "personal_data",
        start,
        end,
        score=score,
        source=source,
        explanation=f"Posts {what} in public, which GP014 2.3 (second bullet) rules out as "
        "confidential or sensitive information.",
    )


# The tenant's own home named as the site of a repair ("we moved into 3 Heath Road ... the damp started"):
# where the repair is, not somebody's whereabouts. A third person in the sentence makes it someone's.
_OWN_HOME = re.compile(
    r"\b(?:i|we)(?:'ve|'m|'re| have| am| are)?\s+(?:moved|live|living|lived|stay|staying)\b"
    r"|\b(?:my|our)\s+(?:house|flat|home|place)\b",  # not "my address is...": that is giving it out
    re.IGNORECASE,
)
_SOMEONE_ELSE = re.compile(r"\b(?:he|she|they|his|her|their|him|them|he's|she's)\b", re.IGNORECASE)
_REPAIR_LISTS = ("repair_conditions", "repair_defects", "repair_problems")


def _own_repair_site(ctx: Context, start: int, end: int) -> bool:
    text = ctx.original
    lo = max(text.rfind(c, 0, start) for c in ".!?\n") + 1
    ends = [i for i in (text.find(c, end) for c in ".!?\n") if i >= 0]
    sentence = text[lo : min(ends, default=len(text))]
    if not _OWN_HOME.search(sentence) or _SOMEONE_ELSE.search(sentence):
        return False
    # The repair is named outside the address ("Abbots Gate" names no broken gate).
    nstart = next((i for i, o in enumerate(ctx.norm.offsets or ()) if o >= start), start)
    nend = next((i for i, o in enumerate(ctx.norm.offsets or ()) if o >= end), end)
    rest = ctx.text[:nstart] + " " + ctx.text[nend:]
    return any(ctx.config.compiled[name].search(rest) for name in _REPAIR_LISTS)


def find_personal_data(ctx: Context) -> list[Flag]:
    original = ctx.original
    flags: list[Flag] = []
    allow = ctx.config.allowlisted_domains
    written = email_addresses(original, allow)
    spelt = [] if written else spelt_email_addresses(original, allow)
    if written:
        flags.append(_flag(ctx, "personal_data.email", *written[0], 0.95, "an email address"))
    elif spelt:
        flags.append(_flag(ctx, "personal_data.email_spelt", *spelt[0], 0.9, "an email address"))
    for source, pattern, score, what in _PATTERNS:
        m = pattern.search(original)
        if m is not None:
            flags.append(_flag(ctx, source, m.start(), m.end(), score, what))
    for source, finder, score, what in _FINDERS:
        spans = finder(original)
        if finder is addresses:
            spans = [(a, b) for a, b in spans if not _own_repair_site(ctx, a, b)]
        if spans:
            flags.append(_flag(ctx, source, *spans[0], score, what))
    health = _health_about_named_person(ctx)
    if health is not None:
        flags.append(health)
    return flags
