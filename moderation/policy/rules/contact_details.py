"""Phone numbers and email addresses as people write them (GP014 2.3, second bullet).

UK numbers are 0 plus 9 or 10 digits (+44 drops the 0), written in any grouping ("01284 763 219",
"01638-552-870", "07.700.918.442", "+44 (0)7700 918 442", "0 7 9 5 ..."), or spelt out to dodge a
filter ("oh seven seven double four..."). Emails are spelt out the same way ("name at gmail dot com",
"name [at] outlook [dot] com"). Runs on the original text: normalisation would blur the digits.
"""

from __future__ import annotations

import re

# A digit run that can be a UK number: a leading 0 (or a letter O typed for it), +44 or 0044, then
# 9 or 10 digits, each after at most two separators (spaces, dots, dashes, brackets).
_DIGITS = re.compile(
    r"(?<![\w+£$/])(?:\+\s?44|0044|\(?[0oO](?=[\s.\-)]{0,2}\d))(?:[\s.\-()]{0,3}\d){8,11}(?!\w)"
)
_CONTINUES = re.compile(r"[\s.\-/:,]?\s?\d")
# 03 (non-geographic: organisations, councils), 08 (freephone, service lines) and 09 (premium) are
# services' numbers, not a person's.
_SERVICE_PREFIX = ("03", "08", "09")
# "the repairs line on 01284...", "Havebury's office number": an organisation's published number.
_ORGANISATION = re.compile(
    r"\b(?:office|offices|reception|switchboard|helpline|hotline|repairs line|out of hours|customer services?|"
    r"contact cent(?:re|er)|call cent(?:re|er)|council|surgery|police|nhs|citizens advice|shelter|samaritans|"
    r"havebury|hhp|head office|main number|our number|the number for)\b",
    re.IGNORECASE,
)
_SOMEONES = re.compile(
    r"\b(?:my|me|his|her|him|he|she|mum|mum's|dad|dad's|nan|nan's|son|daughter|partner|wife|husband|"
    r"mobile|personal|home)\b|\b(?!Havebury)[A-Z][a-z]+'s\b",
)

_WORD_DIGITS = {
    "zero": "0", "oh": "0", "o": "0", "nought": "0", "nil": "0", "one": "1", "two": "2", "three": "3",
    "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
_SPOKEN_TOKEN = re.compile(
    r"\b(?:(?:double|triple)\s+)?(?:zero|oh|o|nought|nil|one|two|three|four|five|six|seven|eight|nine)\b|\b\d+\b",
    re.IGNORECASE,
)
_SPOKEN_GAP = re.compile(r"[\s,.\-]*(?:and\s+)?", re.IGNORECASE)


def _national(digits: str) -> str | None:
    """The number in national form (0 and 9-10 digits), or None when it cannot be a UK number."""
    if digits.startswith("0044"):
        digits = "0" + digits[4:]
    elif digits.startswith("44"):
        digits = "0" + digits[2:]
    if digits.startswith("00"):  # "+44 (0)7..." keeps its bracketed 0
        digits = digits[1:]
    if not digits.startswith("0") or len(digits) not in (10, 11) or digits[1] == "0":
        return None
    return digits


# Named as the organisation's straight after: "ring 01284 722 111, that's the out of hours repairs line".
_NAMED_AFTER = re.compile(r"[\s,()-]*(?:(?:that'?s|it'?s|is|=)\s+)?(?:the|our|their|your)\s+", re.IGNORECASE)


def _service_number(text: str, start: int, national: str, end: int | None = None) -> bool:
    if national.startswith(_SERVICE_PREFIX):
        return True
    sentence_start = max(text.rfind(c, 0, start) for c in ".!?\n") + 1
    before = text[max(sentence_start, start - 60) : start]
    if end is not None:
        after = _NAMED_AFTER.match(text, end)
        if after is not None and _ORGANISATION.match(text, after.end()) and not _SOMEONES.search(before):
            return True
    return bool(_ORGANISATION.search(before)) and not _SOMEONES.search(before)


# Every UK number starts with a 0 (or +44), in figures or in words: most comments have none.
_MAY_HOLD_NUMBER = re.compile(r"\d|\b(?:zero|oh|o|nought|nil)\b", re.IGNORECASE)


def phone_numbers(text: str) -> list[tuple[int, int]]:
    """Spans of personal phone numbers, written in digits or spelt out."""
    spans: list[tuple[int, int]] = []
    if not _MAY_HOLD_NUMBER.search(text):
        return spans
    for m in _DIGITS.finditer(text):
        if _CONTINUES.match(text, m.end()):
            continue  # a longer run of figures (a date and time, an account), not one number
        raw = m.group()
        digits = "".join(ch for ch in raw.replace("o", "0").replace("O", "0") if ch.isdigit())
        national = _national(digits)
        if national is None or _service_number(text, m.start(), national, m.end()):
            continue
        spans.append((m.start(), m.end()))
    spans += _spoken_numbers(text, spans)
    return spans


def _spoken_numbers(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """ "oh seven seven double four...", "07956 one one two...": a number with some digits in words."""
    out: list[tuple[int, int]] = []
    tokens = list(_SPOKEN_TOKEN.finditer(text))
    i = 0
    while i < len(tokens):
        j, digits, words = i, "", 0
        while j < len(tokens):
            tok = tokens[j]
            if j > i and not _SPOKEN_GAP.fullmatch(text, tokens[j - 1].end(), tok.start()):
                break
            parts = tok.group().lower().split()
            if parts[-1].isdigit():
                digits += parts[-1]
            else:
                times = {"double": 2, "triple": 3}.get(parts[0], 1) if len(parts) > 1 else 1
                digits += _WORD_DIGITS[parts[-1]] * times
                words += 1
            j += 1
            if len(digits) >= 11:
                break
        start, end = tokens[i].start(), tokens[j - 1].end()
        national = _national(digits) if words >= 3 else None
        if (
            national is not None
            and not any(s <= start < e for s, e in taken)
            and not _service_number(text, start, national)
        ):
            out.append((start, end))
            i = j
        else:
            i += 1
    return out


_PROVIDERS = (
    r"(?:g(?:oogle)?mail|hotmail|outlook|live|yahoo|ymail|icloud|me|aol|btinternet|sky|virginmedia|talktalk|"
    r"proton(?:mail)?|msn|gmx|tiscali|ntlworld|blueyonder|mail)"
)
# "[.]" and "(.)" as well (round 11): "d.kowalski[at]outlook[.]com".
_DOT = r"(?:\s*(?:\(dot\)|\[dot\]|\{dot\}|\[\.\]|\(\.\))\s*|\s+dot\s+|\.)"
_TLD = rf"(?:com|net|org|co{_DOT}uk|org{_DOT}uk|uk|ie|io|me|info)"
_LOCAL = rf"[A-Za-z0-9_%+-]+(?:{_DOT}[A-Za-z0-9_%+-]+)*"
# Any domain after a bracketed or symbol "at"; a plain " at " only before a known mailbox provider, or
# with the dot spelt too, so "look at bbc.co.uk" stays a website.
_EMAIL_SPELT = re.compile(
    rf"\b{_LOCAL}\s*(?:\(at\)|\[at\]|\{{at\}}|<at>)\s*[A-Za-z0-9-]+(?:{_DOT}[A-Za-z0-9-]+)*{_DOT}{_TLD}\b"
    rf"|\b{_LOCAL}\s+at\s+{_PROVIDERS}{_DOT}{_TLD}\b"
    rf"|\b{_LOCAL}\s+at\s+[A-Za-z0-9-]+(?:\s*(?:\(dot\)|\[dot\])\s*|\s+dot\s+){_TLD}\b"
    # An "@" and dots spaced out so no filter reads an address: "gazza69 @ hotmail . co . uk".
    r"|\b[A-Za-z0-9_%+.-]+\s+@\s*[A-Za-z0-9-]+(?:\s*\.\s*[A-Za-z0-9-]+)*\s*\.\s*(?:com|net|org|uk|ie|io|me|info)\b"
    r"|\b[A-Za-z0-9_%+.-]+\s*@\s+[A-Za-z0-9-]+(?:\s*\.\s*[A-Za-z0-9-]+)*\s*\.\s*(?:com|net|org|uk|ie|io|me|info)\b",
    re.IGNORECASE,
)
_TLD_WORD = re.compile(r"\b(?:com|net|org|uk|ie|io|me|info)\b", re.IGNORECASE)
_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})\b")


def email_addresses(text: str, allowlisted: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans of email addresses written with "@" that are not an allowlisted organisation's."""
    out: list[tuple[int, int]] = []
    for m in _EMAIL.finditer(text):
        domain = m.group(1).lower()
        if not any(domain == d or domain.endswith("." + d) for d in allowlisted):
            out.append((m.start(), m.end()))
    return out


def spelt_email_addresses(text: str, allowlisted: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans of email addresses spelt out to dodge a filter ("name at gmail dot com")."""
    if not _TLD_WORD.search(text):
        return []  # no "com", "uk"...: nothing to spell an address with
    return [
        (m.start(), m.end())
        for m in _EMAIL_SPELT.finditer(text)
        if not any(d.split(".")[0] in m.group().lower() for d in allowlisted)
    ]


# Someone's account on a platform, pointed at: "her instagram is @kayleigh.m_xo", "add him on snapchat:
# lewisb_2007", "his facebook is Craig Dunmore". Our own accounts ("follow us on Instagram @havebury...")
# and a reply to someone on the page (an @handle alone) are not.
_PLATFORM = (
    r"(?:insta(?:gram)?|ig|facebook|fb|snap(?:chat)?|tik\s?tok|twitter|threads|onlyfans|whatsapp|linkedin|"
    r"youtube|telegram)"
)
_HANDLE = re.compile(
    rf"\b{_PLATFORM}\b\s*(?:(?:name|handle|account|page|profile|username|user|id)\s*)?(?:is|'s|:|-|=|as|at|on)?\s*"
    r"(@[A-Za-z0-9_.]{3,30}|[A-Za-z0-9_]*(?:[0-9_]|[A-Za-z0-9]\.[A-Za-z0-9])[A-Za-z0-9_.]*|(?-i:[A-Z][a-z]+\s+[A-Z][a-z]+))",
    re.IGNORECASE,
)
_THIRD_PERSON = re.compile(r"\b(?:(?i:his|her|him|he|she|he's|she's|their|them)|[A-Z][a-z]+'s)\b")


def social_handles(text: str) -> list[tuple[int, int]]:
    """Spans of a private person's social media account, named as theirs."""
    out: list[tuple[int, int]] = []
    for m in _HANDLE.finditer(text):
        handle = m.group(1)
        if "havebury" in handle.lower() or not any(ch.isalpha() for ch in handle) or handle.strip(".") == "":
            continue
        lo = max(0, m.start() - 40)
        if _THIRD_PERSON.search(text, lo, min(len(text), m.end() + 30)):
            out.append((m.start(), m.end()))
    return out
