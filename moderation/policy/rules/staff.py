"""GP014 2.3 third bullet: criticising or arguing with employees, board directors, panel
members, involved residents or partners, by name or by role. The people list is data."""

from __future__ import annotations

import difflib
import functools
import re

from moderation.policy.config import PolicyConfig
from moderation.policy.result import Flag
from moderation.policy.rules import Context
from moderation.policy.rules.insults import NOT_NAMES, aimed_at_person, find_insults, insult_span, said_of


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


@functools.lru_cache(maxsize=8)
def _surname_patterns(config: PolicyConfig) -> tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...]:
    """(first name, "<first-like word> <surname>", "Ms <Surname>" / "that <Surname> woman") per person."""
    out = []
    for person in config.protected_people:
        words = person.name.split()
        if len(words) < 2:
            continue
        first, last = words[0].lower(), re.escape(words[-1])
        out.append(
            (
                first,
                re.compile(r"\b([a-z]{3,12})\s+" + last.lower() + r"\b"),
                # On the original words: the author capitalised the surname, so it is a name.
                re.compile(
                    r"\b(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+"
                    + last
                    + r"\b|(?i:that|the|this)\s+"
                    + last
                    + r"\s+(?i:woman|lady|girl|bloke|man|fella|one|person)\b)"
                ),
            )
        )
    return tuple(out)


def _like_name(word: str, first: str) -> bool:
    """A misspelt or variant first name ("Haley", "Katherine", "Laruen"), not another word."""
    return word != first and difflib.SequenceMatcher(None, word, first).ratio() >= 0.7


def _named_another_way(ctx: Context) -> list[tuple[int, int]]:
    """A protected person by a variant of the first name and the surname, or by title and surname."""
    found: list[tuple[int, int]] = []
    for first, fuzzy, titled in _surname_patterns(ctx.config):
        for m in fuzzy.finditer(ctx.text):
            if _like_name(m.group(1), first):
                found.append((m.start(), m.end()))
        if ctx.norm.offsets is None:  # the original's offsets are the text's
            found += [(m.start(), m.end()) for m in titled.finditer(ctx.original)]
    return found


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
    if not found:
        found += [(a, b, 0.75, "staff_criticism.named_person") for a, b in _named_another_way(ctx)]
    for m in ctx.config.compiled["staff_roles"].finditer(ctx.text):
        found.append((m.start(), m.end(), 0.7, "staff_criticism.role"))
    for m in _FUNCTION.finditer(ctx.text):
        found.append((m.start(), m.end(), 0.7, "staff_criticism.role"))
    for m in _PERSON_IN_JOB.finditer(ctx.text):
        found.append((m.start(), m.end(), 0.7, "staff_criticism.role"))
    for m in _NAME_IN_JOB.finditer(ctx.text):
        if _capitalised_name(ctx, m.start("name"), m.end("name")):
            found.append((m.start(), m.end(), 0.75, "staff_criticism.named_person"))
    return found


def staff_before(ctx: Context, start: int) -> bool:
    """A member of staff is named, by name or role, earlier in the sentence of ``start``."""
    return any(end <= start and ctx.same_sentence(s, start) for s, end, _, _ in _targets(ctx))


def _capitalised_name(ctx: Context, start: int, end: int) -> bool:
    """The author wrote a name here ("Sharon", "Mr Patel"), not a common word."""
    ostart, oend = ctx.norm.span(start, end)
    words = ctx.original[ostart:oend].split()
    return bool(words) and all(
        w[:1].isupper() and w.lower().strip(".'") not in NOT_NAMES
        for w in words
        if w.lower().strip(".") not in _TITLES
    )


_TITLES = frozenset(("mr", "mrs", "ms", "miss", "dr"))
_PEOPLE = (
    r"(?:man|men|woman|women|lady|ladies|bloke|blokes|guy|guys|lad|lads|girl|girls|fella|fellas|chap|chaps|"
    r"person|people|one|ones|lot|staff|bods|folk|crew|team|workers?|employees?|engineers?|operatives?|"
    r"contractors?|plumbers?|electricians?|joiners?|roofers?|fitters?|tradesm[ae]n|workm[ae]n|officers?)"
)
_PLACE = (
    r"(?:the\s+|your\s+|havebury'?s?\s+)?(?:[\w'-]+\s+){0,2}?(?:office|offices|team|department|dept|desk|"
    r"reception|phones?|lettings|repairs|housing|rent|allocations|income|voids|maintenance|estates?|complaints|"
    r"customer services|customer care|call centre|contact centre|havebury|council|helpline|switchboard|counter)\b"
)
# Staff named by what they do in tenants' words (issue 10, round 7): "the bloke who answers your repairs
# line", "the man you sent", "the woman on the phones", "your lettings woman", "your maintenance bloke",
# "your customer care staff", "your lot" (the organisation's people, addressed on its own page).
_PERSON_IN_JOB = re.compile(
    r"\b(?:the|that|this|those|these|one of the|one of your)\s+(?:[\w'-]+\s+){0,2}?" + _PEOPLE + r"\s+(?:"
    r"(?:who|that)\s+(?:\w+\s+)?(?:answers?|answered|picks? up|picked up|came|comes?|took|takes|deals?|dealt|"
    r"handles?|handled|runs?|ran|manages?|managed|is in charge|was in charge|booked|books|inspected|surveyed|"
    r"fitted|fixed|did|does|visited|works?|worked|turned up|rang|phoned|is supposed|was supposed|looks? after|"
    r"looked after|sorts?|sorted|was sent)"
    r"|(?:doing|fixing|fitting|cleaning|cutting|mowing|answering|manning|running|checking|inspecting)\s+(?:the|our|my|your)\s+"
    r"|(?:you|they|havebury|the council)\s+(?:sent|send|sends|had|have|employ|hired|use)"
    r"|(?:from|at|in|on|behind|down at|over at|answering|manning|working (?:at|in|on))\s+" + _PLACE + r")"
    r"|\b(?:your|havebury'?s)\s+(?:[\w'-]+\s+){0,2}?" + _PEOPLE + r"\b"
    r"|\b(?:the|that|this|those|these)\s+(?:repairs?|maintenance|gas|housing|lettings|rent|office|council|"
    r"havebury|estates?|heating|boiler|damp|voids|income|customer care|customer service|phone|admin)\s+"
    + _PEOPLE
    + r"\b"
    r"|\bstaff\b"
)
# A person's name in a staff context: "Sharon from lettings", "Mr Patel at the housing office", "Bev in
# the rent team". The name must be capitalised by the author (checked on the original words).
_NAME_IN_JOB = re.compile(
    r"\b(?P<name>(?:(?:mr|mrs|ms|miss|dr)\.?\s+)?[a-z][a-z'-]+)\s+(?:(?:from|at|in|on|down at|over at|"
    r"who works (?:at|in|for|on))\s+"
    + _PLACE
    + r"|(?:who|that)\s+(?:came|comes|come|was sent|you sent|did|does|"
    r"fitted|fixed|answered|answers|handles|handled|runs|manages|managed|inspected|surveyed|visited)\b)"
)


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
    r"(?:my|our) (?:neighbour|mate|friend|mum|dad|sister|brother|son|daughter|husband|wife|partner|nan|gran)s?|"
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
    compiled = ctx.config.compiled
    criticisms = [
        (c.start(), c.end())
        for c in compiled["staff_criticism"].finditer(ctx.text)
        if not ctx.negated(c.start())
    ]
    # An insult said of the person (issue 10, round 7): "a bunch of numpties", "a nasty piece of work",
    # "wouldn't know a blocked drain if he fell in one", "a cowboy".
    insults = [(m.start(), m.end()) for m in compiled["insults"].finditer(ctx.text)]
    insults += [insult_span(m) for m in find_insults(ctx)]
    insults = [(a, b) for a, b in insults if not ctx.negated(a) and not ctx.reported(a, b)]
    aimed = {(a, b) for a, b in insults if aimed_at_person(ctx, a, names=False)}
    for start, end, score, source in targets:
        for c0, c1 in criticisms + [
            i for i in insults if i in aimed or (end <= i[0] and said_of(ctx, end, i[0]))
        ]:
            if ctx.same_sentence(start, c0) and abs(c0 - start) <= 90:
                lo, hi = min(start, c0), max(end, c1)
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
