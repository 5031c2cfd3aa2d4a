"""GP014 2.3 first bullet: profane, offensive, harassing, bullying or abusive language."""

from __future__ import annotations

import functools
import re

from moderation.policy.normalise import normalise
from moderation.policy.result import Flag
from moderation.policy.rules import Context, first_unreported
from moderation.policy.rules.insults import (
    OWN_FAMILY,
    PERSON_ADJECTIVES,
    aimed_at_person,
    find_insults,
    insult_span,
    mocks_looks,
    person_only,
    said_of_things_too,
)
from moderation.policy.rules.staff import staff_before
from moderation.policy.rules.threats import find_threats
from moderation.policy.spelling_words import english_words

_DISMISSALS = re.compile(
    r"\b(?:go\s+)?(?:f[u*]+c?k|fk|screw|piss|sod)\s+(?:off|you|u|yourself|yourselves)\b"
    r"|\bshut\s+(?:up|your\s+(?:mouth|face|gob|trap))\b"
    r"|\bget a (?:life|(?:proper |real )?job)\b|\bthick as (?:mince|two short planks|pig ?shit|a plank)\b|\bkill\s+(?:yourself|yourselves|urself)\b|\bkys\b"
    r"|\bjump off a (?:bridge|cliff)\b|\bgo (?:and )?die\b|\bdrop dead\b|\bnobody asked (?:you|u)\b"
    r"|\bget lost\b|\bnobody cares (?:what|about) (?:you|u|ya)\b"
)
_SECOND_PERSON = re.compile(r"\b(?:you|u|ya|ye|youre|you're|your|ur|yer|yourself|yourselves|yous|youse)\b")
_COPULA = re.compile(
    r"\b(?:is|are|was|were|'s|'re|such|what|complete|total|absolute|utter|proper|right|like|bunch of|"
    r"pack of|load of|set of)\b"
)
_SELF = re.compile(r"\b(?:i|i'm|im|i am|i feel|i felt|me|myself)\b")
# "This weather is a bitch", "Mondays are a pain": the insult word describes a thing, not a person.
THING_SUBJECT = re.compile(
    r"\b(?:it|this|that|life|weather|rain|wind|day|week|monday|mondays|traffic|job|boiler|heating|"
    r"damp|mould|roof|queue|bus|train|karma|parking)\s+(?:is|was|are|were|'s|can be|has been)\s+"
    r"(?:a|an|such a|a real|an absolute|a right)?\s*$"
)

# "There's a snake in the bin store": something that is somewhere, not a person called a name.
_EXISTENTIAL = re.compile(
    r"\b(?:there(?:'s|s| is| are| was| were)|(?:we|they|i)\s+(?:had|hired|booked|got|saw|watched))\s+"
    r"(?:an?\s+|some\s+)?(?:[\w-]+\s+)?$"
)  # ... or someone booked for a party: "we had a proper clown at the kids' party"
_VOCATIVE = re.compile(
    r"(?:oi|hey|listen|look|mate|cheers|thanks|ta|well done|nice one|nice try|er|erm|ok|okay|right|alright|"
    r"typical|another|classic|says the|spoken like a(?: true)?)?"
)
_VOCATIVE_END = re.compile(r"\s*(?:[,.!?]|$)")
# Words that belong to the insult's evidence when they come just before it ("two-faced snake").
_LEAD_IN = re.compile(
    r"(?:\b(?:"
    + PERSON_ADJECTIVES
    + r"|sly|slimy|sneaky|lying|miserable|selfish|bitter|jumped[- ]?up|useless|"
    r"little|old|fat|great|big)\s+)+$"
)


def _with_lead_in(ctx: Context, start: int) -> int:
    m = _LEAD_IN.search(ctx.text, max(0, start - 40), start)
    return m.start() if m else start


def directed(ctx: Context, start: int, end: int) -> bool:
    """Is the word at [start, end) aimed at a person ("you ...", "she's a ...", "stupid cow")?"""
    return _directed(ctx, start, end)


_NICKNAMED = re.compile(
    r"\b(?:from|by|says|off|of)\s+(?:the|our|this|that|your|ur)\s+(?:local|village|estate|resident|street|site|page|"
    r"group|town|forum|close|block|official|in-?house|neighbourhood)\s*$"
)


def _directed(ctx: Context, start: int, end: int) -> bool:
    text = ctx.text
    window_start = max(0, start - 45)
    before = text[window_start:start]
    cut = max(before.rfind("."), before.rfind("!"), before.rfind("?"), before.rfind("\n"))
    if cut >= 0:
        before = before[cut + 1 :]
    if _SELF.search(before) and not _SECOND_PERSON.search(before):
        return False
    if THING_SUBJECT.search(before) or _EXISTENTIAL.search(before) or OWN_FAMILY.search(before):
        return False
    if _SECOND_PERSON.search(before) or _COPULA.search(before[-40:]):
        return True
    if ctx.config.compiled["insult_adjectives"].search(before[-20:]):
        return True
    # A nickname for a poster (round 9): "another rant from the estate clown", "posted by our resident moron".
    if _NICKNAMED.search(before):
        return True
    # Said to someone, at the start: "Oi dimwit, read the post", "Listen pillock, ...".
    if _VOCATIVE.fullmatch(before.strip(" ,.!?@\n")) and _VOCATIVE_END.match(text, end):
        return True
    # ... or at the end, after a comma: "Quiet down, drama queen".
    if before.rstrip().endswith(",") and not text[end:].strip(" .!?\n"):
        return True
    # The whole comment (bar a name or mention) is the insult: "tw@t", "@dave muppet".
    rest = (text[:start] + text[end:]).strip(" .!?,@\n")
    return len(rest.split()) <= 2


# Round 11: a label denied of a whole class ("not everyone who ... is a", "not all ... are").
_NOT_ALL = re.compile(
    r"\b(?:not|nobody|no one|no-one)\s+(?:everyone|everybody|all|every\s+\w+|each|one)\b"
    r"(?:(?!\b(?:but|yet|except)\b)[^.!?,;]){0,50}$"
)
# Round 11: "the woman in the photo", "a disabled lad": one person, not the group.
_ONE_PERSON = re.compile(r"\b(?:the|that|this|a|an|her|his|some)\s+(?:\w+\s+)?$")
_PLURAL = re.compile(r".*(?:s|men|people|folk|lot)$")


def _about_group(ctx: Context, start: int) -> bool:
    """'Asylum seekers are vermin' insults a protected group: that is hate, not harassment of a person.
    The group may be named a sentence earlier ("Disabled, my foot. ... parasites the lot of them")."""
    lo = max(0, start - 120)
    before = ctx.text[lo:start]
    if _SECOND_PERSON.search(before[-60:]):
        return False
    groups = ctx.config.compiled["hate_groups"]
    for g in groups.finditer(before):
        if ctx.sentence(start) - ctx.sentence(lo + g.start()) > 1:
            continue
        if not _PLURAL.match(g.group()) and _ONE_PERSON.search(before, max(0, g.start() - 20), g.start()):
            continue
        return True
    return False


# A swear word's innocent senses, told by the words around it: a jab's "little prick", garden "hoes",
# Plymouth "Hoe", a dog breeder's "bitch", a "slag heap". Shared with the misogyny rule (hate.py).
_SENSES = {
    "prick": re.compile(
        r"\b(?:jabs?|needles?|injections?|vaccin\w*|blood tests?|nurse|thorns?|roses?|pin|finger|scratch)\b"
    ),
    "hoe": re.compile(r"\b(?:garden\w*|allotments?|rakes?|spades?|forks?|tools?|weed\w*|sheds?|trowels?)\b"),
    "bitch": re.compile(
        r"\b(?:dogs?|pupp(?:y|ies)|pups|litter|whelp\w*|breed\w*|kennels?|spayed|in season|stud)\b"
    ),
    "slag": re.compile(r"\b(?:heaps?|furnace|steel\w*|mining|mines?|coal|iron|quarr\w+|pit)\b"),
}
_SENSE_WORD = re.compile(r"(prick|hoe|bitch|slag)(?:s|es)?")
_CLAUSE_END = ".!?\n"


def innocent_sense(ctx: Context, start: int, end: int) -> bool:
    """Is the word at [start, end) a homograph used in its innocent sense in this sentence?"""
    m = _SENSE_WORD.fullmatch(ctx.text, start, end)
    if m is None:
        return False
    ostart, _ = ctx.norm.span(start, end)
    opening = ctx.original[:ostart].strip()[-1:] in ("", ".", "!", "?")
    if m.group(1) == "hoe" and ctx.original[ostart].isupper() and not opening:
        return True  # a place: "Plymouth Hoe", "Hoe Street"
    lo = max(ctx.text.rfind(c, 0, start) for c in _CLAUSE_END) + 1
    ends = [i for i in (ctx.text.find(c, end) for c in _CLAUSE_END) if i >= 0]
    return bool(_SENSES[m.group(1)].search(ctx.text, lo, min(ends, default=len(ctx.text))))


# Roots that make compounds and inflections a list cannot enumerate: "shitbags", "pissheads",
# "clusterfuck", "batshit", "shitters", "arsewipes". A strong root joined to an English word (either
# side) or an inflection is foul whatever the word; the weaker "arse", "dick" and "knob" only before
# the usual insult heads, so "arsenal", "Dickens" and "knobbly" stay clean. Checked against the whole
# English dictionary: "saltwater" and "meltwater" are why a word before a root takes only -s/-ed/-ing.
_STRONG_ROOTS = r"fuck|fuk|shit|shite|piss|cunt|twat|wank|bollock"
_INFLECTIONS = r"s|es|y|ey|ie|ies|ed|d|er|ers|ing|in|ter|ters|tin|ting|ty|tier|tiest|ted|tered|head|heads"
_HEADS = r"heads?|ends?|faces?|wipes?|hats?|wads?|splash|bags?|cheese|lickers?|licking|holes?|stains?|weeds?"
_TOKEN_RE = re.compile(r"(?<![a-z0-9*])[a-z][a-z'-]*[a-z](?![a-z0-9*])")
_STRONG_PREFIX = re.compile(rf"(?:{_STRONG_ROOTS})(?P<rest>[a-z'-]+)")
_STRONG_SUFFIX = re.compile(rf"(?P<rest>[a-z]+)(?:{_STRONG_ROOTS})(?:s|ed|ing)?")
_WEAK = re.compile(rf"(?:arse|dick|knob)-?(?:{_HEADS})")
_HYPHENATED = re.compile(r"(?<![a-z0-9*-])[a-z]+(?:-[a-z]+)+(?![a-z0-9*-])")
_INFLECTED = re.compile(rf"(?:{_INFLECTIONS})")


def _compound(token: str) -> bool:
    known = english_words() or {}
    if _WEAK.fullmatch(token):
        return True
    m = _STRONG_PREFIX.fullmatch(token)
    if m is not None:
        rest = m.group("rest").strip("'-")
        if _INFLECTED.fullmatch(rest) or (len(rest) >= 3 and rest in known):
            return True
    m = _STRONG_SUFFIX.fullmatch(token)
    return m is not None and len(m.group("rest")) >= 3 and m.group("rest") in known


# Masks that hide more than one letter ("motherf***ers", "c**ts", "b*****d"): a star run stands for
# the letters it hides of a listed word or its inflection. Normalising shrinks a long run to "**", so
# any run stands for one to six letters.
_MASKED = re.compile(r"(?<![a-z0-9*])[a-z]+\*+[a-z*]*(?![a-z0-9*])")
_FORM_ENDINGS = ("", "s", "es", "ed", "ing", "in", "er", "ers", "y", "head", "heads")


@functools.cache
def _forms(terms: tuple[str, ...]) -> tuple[str, ...]:
    words = {t.strip().lower().rstrip("*") for t in terms if " " not in t.strip()}
    return tuple(sorted({w + e for w in words for e in _FORM_ENDINGS if w}))


def _masked(ctx: Context, token: str) -> bool:
    parts = [p for p in re.split(r"(\*+)", token) if p]
    pattern = re.compile("".join("[a-z]{1,6}" if p[0] == "*" else re.escape(p) for p in parts))
    return any(pattern.fullmatch(f) for f in _forms(tuple(ctx.config.terms.get("profanity", ()))))


def _other_forms(ctx: Context) -> tuple[int, int] | None:
    """The original span of the first compound, inflection or multi-letter mask of a swear word that
    the list misses. Read before spelling correction, which would turn "pissheads" into a listed word."""
    plain = normalise(ctx.original)
    insult_words = ctx.config.compiled["insults_strong"]
    for m in _TOKEN_RE.finditer(plain.text):
        # "gobshite" is a name a person is called, for harassment (its list), not a swear word here.
        if _compound(m.group()) and not insult_words.fullmatch(m.group()):
            return plain.span(m.start(), m.end())
    listed = ctx.config.compiled["profanity"]
    for m in _HYPHENATED.finditer(plain.text):
        if listed.fullmatch(m.group().replace("-", "")):  # "bell-end", "knob-head", "arse-hole"
            return plain.span(m.start(), m.end())
    if "*" in plain.text:
        for m in _MASKED.finditer(plain.text):
            if _masked(ctx, m.group()):
                return plain.span(m.start(), m.end())
    return None


def _hyphenated(ctx: Context, listed: re.Pattern[str]) -> re.Match[str] | None:
    """The first hyphenated word that is a listed word once its hyphens go: "bell-end", "knob-head"."""
    for m in _HYPHENATED.finditer(ctx.text):
        if listed.fullmatch(m.group().replace("-", "")) and not ctx.reported(m.start(), m.end()):
            return m
    return None


def find_profanity(ctx: Context) -> list[Flag]:
    listed = ctx.config.compiled["profanity"]
    m = first_unreported(ctx, listed)
    while m is not None and innocent_sense(ctx, m.start(), m.end()):
        m = next(
            (n for n in listed.finditer(ctx.text, m.end()) if not ctx.reported(n.start(), n.end())), None
        )
    if m is None:
        span = _other_forms(ctx)
        if span is None:
            return []
        return [
            ctx.raw_flag(
                "profanity",
                *span,
                score=0.85,
                source="profanity.forms",
                explanation=f'Uses foul language ("{ctx.original[slice(*span)]}", a form of a listed swear '
                "word), which GP014 2.3 (first bullet) rules out as unnecessary use of foul language.",
            )
        ]
    return [
        ctx.flag(
            "profanity",
            m.start(),
            m.end(),
            score=0.9,
            source="profanity.lexicon",
            explanation=f'Uses foul language ("{ctx.original[slice(*ctx.norm.span(m.start(), m.end()))]}"), '
            "which GP014 2.3 (first bullet) rules out as unnecessary use of foul language.",
        )
    ]


_DISMISSAL_WHY = (
    "Tells someone in abusive terms to go away, shut up or harm themselves, or mocks them as stupid, which GP014 "
    "2.3 (first bullet) rules out as harassing or abusive."
)
_STRONG_INSULT_WHY = "Calls someone an abusive name, which GP014 2.3 (first bullet) rules out."


def find_harassment(ctx: Context) -> list[Flag]:
    flags: list[Flag] = find_threats(ctx)
    compiled = ctx.config.compiled
    for pattern, score, source, explanation, urgent in (
        (_DISMISSALS, 0.85, "harassment.abusive_phrase", _DISMISSAL_WHY, False),
        (compiled["insults_strong"], 0.85, "harassment.strong_insult", _STRONG_INSULT_WHY, False),
    ):
        m = first_unreported(ctx, pattern)
        if m is None and pattern is compiled["insults_strong"]:
            m = _hyphenated(ctx, pattern)  # "you're a proper bell-end"
        if m is not None and not innocent_sense(ctx, m.start(), m.end()):
            flags.append(
                ctx.flag(
                    "harassment",
                    m.start(),
                    m.end(),
                    score=score,
                    source=source,
                    explanation=explanation,
                    urgent=urgent,
                )
            )
    for m in compiled["insults"].finditer(ctx.text):
        if ctx.reported(m.start(), m.end()):
            ctx.suppressed.append(m.group())
            continue
        if _NOT_ALL.search(ctx.text, max(0, m.start() - 60), m.start()):
            continue  # "not everyone on benefits is a scrounger": a stereotype denied, not a name called
        if _directed(ctx, m.start(), m.end()) and not _about_group(ctx, m.start()):
            flags.append(
                ctx.flag(
                    "harassment",
                    _with_lead_in(ctx, m.start()),
                    m.end(),
                    score=0.8,
                    source="harassment.directed_insult",
                    explanation="Aims an insult at a person, which GP014 2.3 (first bullet) rules out as "
                    "offensive, bullying or abusive.",
                )
            )
            return flags
    for m in find_insults(ctx):
        start, end = insult_span(m)
        if ctx.reported(start, end) or ctx.negated(start):
            continue
        if (
            aimed_at_person(ctx, start, names=not said_of_things_too(m), end=end, person_only=person_only(m))
            and not _about_group(ctx, start)
            # A judgement of staff is the staff rule's (GP014 2.3, third bullet); their looks mocked is not.
            and (mocks_looks(m) or not staff_before(ctx, start))
        ):
            flags.append(
                ctx.flag(
                    "harassment",
                    _with_lead_in(ctx, start),
                    end,
                    score=0.8,
                    source="harassment.directed_insult",
                    explanation="Calls a person stupid, useless or worse in other words, which GP014 2.3 "
                    "(first bullet) rules out as offensive, bullying or abusive.",
                )
            )
            break
    return flags
