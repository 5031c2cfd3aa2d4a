"""GP014 2.3 first bullet: discriminatory or hateful content about protected characteristics.

Three signals, each explainable: a slur; a protected group in the same sentence as a
dehumanising, expulsion or violent word (not negated); and, when a protected group is
named, the offensive-language model's score. Counter-speech ("refugees are welcome",
"immigrants are not criminals") has no predicate or is negated.
"""

from __future__ import annotations

import re

from moderation.policy.result import Flag
from moderation.policy.rules import Context, first_unreported
from moderation.policy.rules.abuse import THING_SUBJECT, directed, innocent_sense

_EXPULSION = re.compile(
    r"\bgo(?:ing)? back to (?:your|their|ur|yer) (?:own )?(?:country|countries|land)\b"
    r"|\bback where (?:you|they|u) (?:came|come) from\b"
    r"|\b(?:britain|england|the uk|this country|suffolk) is full\b"
    r"|\b(?:england for the english|britain for the british|uk for the british)\b|\bbuild (?:the|that) wall\b|\bbuildthewall\b|\bdeport them all\b"
    r"|\bsend (?:them|em|'em) (?:all )?(?:back|home)\b|\bsendthemback\b|\bnoamnesty\b|\bdeportthemall\b"
    r"|\b(?:deport|kick out|get rid of) (?:every|each) (?:last |single )?one of (?:them|em)\b"
)
_STEREOTYPE = re.compile(
    r"\btypical (?:woman|women|female|girl|bird|foreigner|immigrant|muslim|pole|gay)\b"
    r"|\b(?:get|go) back (?:in|to) (?:the|your) kitchen\b|\bmake me a (?:sandwich|sarnie|brew)\b"
    r"|\bwomen (?:belong|should stay) (?:in|at)\b"
    r"|\b(?:women|woman|females|girls|feminists) (?:are|is) (?:all |just |too |so )*"
    r"(?:emotional|hysterical|stupid|dumb|thick|weak|useless|inferior|crazy|irrational)\b"
    r"|\b(?:women|females|girls) should (?:keep (?:their|your) mouths? shut|shut up|be seen and not heard"
    r"|do as (?:they|they're) told|know their place)\b"
)
_WINDOW = 80
# A member of the group speaking of themselves or their family ("I'm disabled and feel like a burden",
# "as a migrant myself", "my son is trans"): their own experience, not a claim about the group.
_MEMBER = re.compile(
    r"\b(?:i'?m|im|i am|as an?|we'?re|we are|being|my \w+ is|my \w+ are|our \w+ is)\s+(?:an?\s+)?(?:\w+ly\s+)?$"
)
# Counter-speech the semantic hate head mistakes for hate (used by semantic_flags): a group praised,
# defended from blame, a rumour about it debunked, its hardship described, or support for it asked about.
COUNTER_SPEECH = re.compile(
    r"\b(?:brilliant\w*|wonderful|fantastic|amazing|legends?|gems?|grafters|settled in|top of (?:the|their) class|"
    # Thanks given to or for someone, not a "Thank you" signing off a comment.
    r"thank(?:s|ful|ing|ed)?(?:\s+you)?(?:\s+so\s+much)?\s+(?:to|for)|grateful|kindest|generous)\b"
    r"|\b(?:not|isn'?t|aren'?t|never) (?:the |their |our |his |her )?(?:[\w']+ ){0,2}fault\b|\bnot to blame\b"
    r"|\b(?:it'?s|it is) not (?:the )?[\w ]{1,25}? (?:who|that)\b|\bwhat a (?:star|gem|legend|diamond|hero)\b"
    r"|\b(?:fake news|myths?|not true|isn'?t true|misinformation|says they don'?t|lies about)\b"
    r"|\b(?:have|has) to (?:fight|struggle|wait|beg)\b|\bhit (?:the )?hardest\b|\bdeserve better\b|"
    r"\bshouldn'?t have to\b|\bleft (?:out|behind)\b|\bhate (?:crime|incident)\b|\bdiscriminat\w+"
    r"|^\s*(?:will|is|are|can|could|do|does|would|has|have)\b[^.!]*\?\s*$"
    # Round 11: blame moved off the group ("it's not the migrants ..., it's the landlords"), and the group
    # credited with keeping a service going ("kept half our hospitals running").
    r"|\bit'?s\s+not\s+(?:the\s+)?[\w' ]{1,30}?,\s*(?:it'?s|its)\b"
    r"|\b(?:kept|keep|keeping|keeps)\s+(?:[\w']+\s+){0,3}?(?:running|going|afloat|open)\b"
)


# Round 11 (kinds of hate_negatives_probe and hate_kind_probe2): kind or neutral talk about a group that the
# semantic hate head and the word model read as hate because a group is named beside housing words. Each
# alternative is a kind of framing, not a sentence: used only where no hostile word about the group stands.
KIND_FRAME = re.compile(
    # The group counted in with everyone ("we all want the damp fixed", "people are people", "just trying to
    # get on"), not "we all pay for them" or "they just want handouts".
    r"\bwe all (?:(?:want|need) (?:the|a|our|decent|proper|safe|warm)|live|share|get on|muck in|chip in)\b"
    r"|\bpeople are (?:just )?people\b|\bjust (?:trying to|wanting to (?:live|get on|get by|work|fit in))\b"
    r"|^\s*[\w' ]{2,20} or not,"
    # A group's needs or rights ("needs proper water and bins", "the council needs to find them homes").
    r"|\b(?:needs?|needed)\s+(?:more|proper|better|decent|safe|suitable)\s+(?:[\w'-]+\s+){0,2}?(?:homes?|houses?|"
    r"bungalows?|flats?|water|bins|heating|support|help|access|locks|lighting|places|sites?|ramps?|care)\b"
    r"|\bneeds? to (?:find|give|house|help|support|provide)\b"
    r"|\b(?:have|has) (?:a|the|the same|every|an equal|equal) (?:legal )?rights?\b|\b(?:legal|equal) rights?\b"
    # Concern for the group's welfare ("someone should be checking on them", "where are they meant to go").
    r"|\bcheck(?:ing)? (?:in )?on (?:them|her|him)\b|\bwhere (?:are|will|can) they (?:meant to |supposed to )?go\b"
    r"|\bno way for (?:[\w']+ ){0,2}to live\b|\bgoing without\b|\bbeen through (?:hell|enough|a lot)\b"
    r"|\bshouldn'?t (?:be|have been) (?:left )?waiting (?:[\w']+ ){0,2}(?:years|months|weeks)\b"
    r"|\b(?:awful|terrible|appalling|shocking|grim|cramped) (?:conditions|caravans|hotels?|rooms?|places?)\b"
    # Policy or its makers blamed, not the people ("no problem with migrants, my problem is the council"), and
    # the people said not to have chosen it ("the families in that hotel didn't write it"; not "we never asked").
    r"|\bmy (?:problem|issue|gripe|beef) is (?:with )?(?:the |this |that )?(?:council|government|landlord|"
    r"letting agent|agent|system|home office|ministers|policy|rules|waiting list|housing list|contractors?|"
    r"developers?|westminster|havebury)\b|\bchange the law\b|\bdragged (?:its|their) feet\b|\bpolicy failure\b"
    r"|\b(?:they|people|families|kids|children)\b[^.!?]{0,40}\b(?:didn'?t|did not|never) (?:choose|write|ask for|"
    r"cause)\b"
    r"|\b(?:rules?|laws?|system|policy)\b[^.!?]{0,40}\b(?:daft|unfair|cruel|broken|a shambles|wrong)\b"
    # The place relies on the group ("this town would stop without them").
    r"|\bwould (?:stop|grind to a halt|collapse|fall apart|close) without (?:them|us)\b"
    r"|\b(?:couldn'?t|can'?t) (?:cope|manage|run) without (?:them|us)\b|\bfirst (?:out|ones out|to help)\b"
    # Someone else's hate condemned ("that's not on", "stop blaming them", "keep your comments to yourself").
    r"|\b(?:that'?s|it'?s|thats) (?:not on|out of order|not ok(?:ay)?|vile|disgusting|shameful)\b"
    r"|\bstop (?:blaming|scapegoating|picking on)\b|\bstop (?:saying|calling)\b[^.!?]{0,40}[\"\u201c]"
    r"|\bwhoever said\b[^.!?]{0,60}[:,]\s*(?:they|it|that)(?:'s| is)? (?:don'?t|doesn'?t|isn'?t|aren'?t|not|wrong|"
    r"rubbish)\b"
    r"|\b(?:has|have) no (?:home|place) here\b|\bkeep your (?:[\w']+ )?(?:comments|opinions|views) to yourself\b"
    r"|\bshame on (?:whoever|anyone|them|you) (?:who )?(?:did|shouted|wrote|said|posted|abused|attacked|called|"
    r"sprayed|scrawled|daubed)\b"
    r"|\b(?:overheard|heard) (?:someone|somebody|people|a [\w']+) (?:say|saying|call|calling)\b"
    # Help for the group asked after ("are there any groups for Eritrean families").
    r"|\bany (?:groups?|clubs?|support|help) for\b|\bwants? to meet (?:people|neighbours)\b"
)
# A kind framing does not excuse resentment or exclusion in the same comment ("no problem with them, but
# housing them before locals is out of order"; "the system is unfair, migrants get everything").
_AGAINST = re.compile(
    r"\b(?:before|ahead of|over|instead of) (?:us|locals|local people|our own|our kids|british|english|the locals|"
    r"working families|taxpayers)\b|\bour own (?:people |kids |families )?(?:first|come second|last)\b"
    r"|\b(?:jump(?:ing|s|ed)?|push(?:ing|es|ed)? in|back of) the (?:queue|list)\b|\bone[\s-]way ticket\b"
    r"|\b(?:get|gets|getting|given|handed) (?:everything|it all|all the|priority|free)\b"
    r"|\b(?:want|wants|wanted) (?:them|em|'em|(?:the|those|these|all) [\w' ]{1,25}?) (?:gone|out|away|back|moved on|"
    r"deported)\b|\bget rid of\b|\bdon'?t belong\b"
    r"|\bnot welcome\b|\bsponge|\bhandouts?\b|\bfreeload\w*|\bleech\w*|\bon benefits\b"
)

# ... unless the resentment is a claim the author reports to knock down ("heard a bloke saying refugees get
# free cars, it's rubbish").
_DEBUNKED = re.compile(
    r"\b(?:it'?s|that'?s|its|thats|is|are|was) (?:all )?(?:rubbish|nonsense|a lie|lies|a myth|not true|made up|"
    r"codswallop|rot)\b"
)


def kind_framed(ctx: Context) -> bool:
    """The comment frames a group kindly (KIND_FRAME) with no resentment or exclusion beside it."""
    return bool(KIND_FRAME.search(ctx.text)) and (
        not _AGAINST.search(ctx.text) or bool(_DEBUNKED.search(ctx.text))
    )


# A relative who is one of the group ("my grandad was one of them", "my gay uncle"): the author's family.
_FAMILY = (
    r"(?:nan|nana|gran|granny|grandad|grandpa|grandma|grandparents|mum|mam|dad|mother|father|parents|son|"
    r"daughter|sister|brother|uncle|aunt|auntie|cousin|wife|husband|partner|family)"
)
_RELATIVE = re.compile(rf"\b(?:my|our) {_FAMILY}\b[^.!?]{{0,25}}\bone of them\b")
_RELATIVE_AFTER = re.compile(rf"\s+{_FAMILY}\b")
_MY_BEFORE = re.compile(r"\b(?:my|our)\s+$")
# "people call Travellers thieves", "a post calling asylum seekers rats": the word is someone else's.
_CALLING = re.compile(r"\b(?:call(?:s|ed|ing)?|label(?:s|led|ling)?|brand(?:s|ed|ing)?)\s+(?:all\s+)?$")
_BETWEEN_CALLED = re.compile(r"\s+(?:as\s+)?(?:an?\s+)?$")


def _called(ctx: Context, p: re.Match[str], groups: list[re.Match[str]]) -> bool:
    """The predicate is what someone is said to call the group: "call <group> <word>"."""
    return any(
        g.end() <= p.start()
        and _BETWEEN_CALLED.fullmatch(" " + ctx.text[g.end() : p.start()])
        and _CALLING.search(ctx.text, max(0, g.start() - 20), g.start())
        for g in groups
    )


def _aimed_at_person(ctx: Context, m: re.Match[str]) -> Flag:
    return ctx.flag(
        "harassment",
        m.start(),
        m.end(),
        score=0.85,
        source="harassment.directed_slur",
        explanation="Aims a slur at a person, which GP014 2.3 (first bullet) rules out as abusive and "
        "2.5 lets us remove.",
    )


def _member(ctx: Context, g: re.Match[str]) -> bool:
    """The words just before the group noun say the author, or someone of theirs, is one ("as a disabled
    man", "I'm gay", "my son is trans")."""
    return bool(_MEMBER.search(ctx.text, max(0, g.start() - 30), g.start()))


def _own(ctx: Context, g: re.Match[str]) -> bool:
    """The group noun names the author or their family: "I'm disabled", "my gay uncle"."""
    if _member(ctx, g):
        return True
    return bool(
        _MY_BEFORE.search(ctx.text, max(0, g.start() - 6), g.start())
        and _RELATIVE_AFTER.match(ctx.text, g.end())
    )


def member_speaking(ctx: Context) -> bool:
    """Every protected group named is the author or their family ("I'm disabled", "my son is trans",
    "my grandad was one of them")."""
    groups = list(ctx.config.compiled["hate_groups"].finditer(ctx.text))
    if not groups:
        return False
    return all(_own(ctx, g) for g in groups) or bool(_RELATIVE.search(ctx.text))


def kind_mention(ctx: Context) -> bool:
    """A group named kindly or neutrally (KIND_FRAME, COUNTER_SPEECH, or its own member speaking) with no
    unnegated hostile word about it: the word model's and the semantic head's hate flags stand aside."""
    hostile = any(
        not ctx.negated(p.start()) and not ctx.reported(p.start(), p.end())
        for p in ctx.config.compiled["hate_predicates"].finditer(ctx.text)
    )
    if hostile:
        return False
    return kind_framed(ctx) or bool(COUNTER_SPEECH.search(ctx.text)) or member_speaking(ctx)


def _characteristic(ctx: Context, group: str) -> str:
    chars = ctx.config.group_characteristics
    group = group.lower()
    if group in chars:
        return chars[group]
    for term, characteristic in chars.items():
        if group.startswith(term):
            return characteristic
    return "a protected characteristic"


# Issue 10, round 9 (kinds read on the retired fresh3 slice): a group named by colour, faith or origin and a
# people noun ("the asian lads", "those muslim boys"), and the group called criminals by trade ("are all
# muggers"), which the word lists had only as "drug dealers" or by a listed group noun.
_ADJ_PEOPLE = re.compile(
    r"\b(?:black|white|asian|brown|muslim|jewish|hindu|sikh|polish|romanian|albanian|somali|pakistani|indian|"
    r"african|eastern\s+european|foreign|immigrant|migrant|gay|traveller|gypsy|"
    # Round 11: disability, age and sexuality named the same way ("blind and deaf tenants", "a black family").
    r"blind|deaf|autistic|disabled|elderly|lesbian|bisexual|trans|chinese|bangladeshi|ukrainian|afghan|kurdish|"
    r"iraqi|eritrean|nigerian|roma)(?:\s+and\s+\w+)?\s+(?:lads|boys|men|women|girls|kids|youths|teenagers|families|family|"
    r"lot|ones|blokes|fellas|tenants|residents|folk|couples|people|neighbours)\b"
)
# Round 11 (kinds read on the retired fresh4 slice and abuse_probe6): a group's coming blamed for crime or
# decline ("every time a ... family moves in, the shoplifting starts"); the group said to be what it is by
# its nature or culture, or excused in advance ("not racist, just facts"), anywhere in the comment.
_ARRIVAL = re.compile(
    r"\b(?:move|moves|moved|moving|come|comes|came|arrive|arrives|arrived|turn up|turns up|turned up)\s+"
    r"(?:in|into|here|round here|on)\b[^.!?]{0,60}?\b(?:shoplifting|crime|burglar\w*|robber\w*|thefts?|thieving|"
    r"stealing|trouble|drugs|stabbings?|muggings?|fights|goes downhill|went downhill|go downhill|(?:house )?prices? "
    r"(?:drop|fall|crash)\w*)\b"
)
_THEY = re.compile(r"\b(?:they|them|their|theyre|they're|these people|those people|that lot)\b")
_DISCLAIMER_ENDS = ("but", "fact", "facts", "true", "saying", "truth", "say")
_ESSENTIAL = re.compile(
    r"\b(?:it'?s|its|that'?s|thats)\s+(?:just\s+)?(?:cultural|their culture|in their (?:nature|blood|genes|dna|culture)|"
    r"how they(?:'re| are) (?:raised|brought up|made))\b"
    r"|\b(?:i'?m\s+|im\s+)?not\s+(?:being\s+)?racist(?:\s+but|,?\s+(?:just|it'?s|only)\s+(?:the\s+)?(?:facts?|true|"
    r"saying|the truth))\b|\bit'?s\s+not\s+racist\s+to\s+say\b"
)
_CRIME_LABEL = re.compile(
    r"\b(?:are|'re|all)\s+(?:all\s+|just\s+|nothing\s+but\s+)?(?:drug\s+)?(?:dealers|muggers|shoplifters|"
    r"pickpockets|gangsters|thugs|crooks|burglars)\b"
)


# Round 11 (evidence2): "shouldn't be given", "shouldn't get" say nothing until they say what is withheld; the
# quote runs on to it within the clause ("shouldn't be given council homes"), not past "before" or "when".
_WITHHELD = re.compile(r"\b(?:given|get|allowed|deserve)$")
_WHAT_WITHHELD = re.compile(
    r"(?:\s+(?!(?:before|until|unless|when|whilst|while|and|but|because|cos|if|as|so|than|ahead|or|like|since|"
    r"instead|over|simple|full)\b)[\w'£-]+){1,5}"
)


def _group_predicate(ctx: Context) -> tuple[re.Match[str], int, int] | None:
    compiled = ctx.config.compiled
    groups = list(compiled["hate_groups"].finditer(ctx.text)) + list(_ADJ_PEOPLE.finditer(ctx.text))
    if not groups:
        return None
    # A negated predicate ("are not criminals") or one being reported ('called him a "scrounger"') is
    # not the author's own claim about the group.
    predicates = [
        p
        for pattern in (compiled["hate_predicates"], _CRIME_LABEL, _ARRIVAL)
        for p in pattern.finditer(ctx.text)
        if not ctx.negated(p.start()) and not ctx.reported(p.start(), p.end()) and not _called(ctx, p, groups)
    ]
    if not predicates:
        # A hostile word in someone else's mouth ('calling the family "thieves"'): the semantic heads
        # should not read the author as saying it either.
        ctx.suppressed += [
            p.group()
            for p in compiled["hate_predicates"].finditer(ctx.text)
            if ctx.reported(p.start(), p.end()) or _called(ctx, p, groups)
        ]
    for g in groups:
        if ctx.reported(g.start(), g.end()) or _member(ctx, g):
            continue
        before = ctx.text[max(0, g.start() - 25) : g.start()]
        adjective = compiled["insult_adjectives"].search(before)
        if adjective and before.rstrip().endswith(adjective.group()):
            return g, g.start(), g.end()  # "stupid woman", "dirty foreigner"
        for p in predicates:
            # The next sentence counts too: "Why do foreigners get...? Deport the lot".
            near = abs(ctx.sentence(p.start()) - ctx.sentence(g.start())) <= 1
            if abs(p.start() - g.start()) <= _WINDOW and near:
                # One hostile phrase made of several listed words ("are lazy scroungers") is quoted whole.
                end = p.end()
                for q in predicates:
                    if end <= q.start() <= end + 2:
                        end = q.end()
                if _WITHHELD.search(ctx.text, p.start(), end):
                    withheld = _WHAT_WITHHELD.match(ctx.text, end)
                    end = withheld.end() if withheld else end
                return g, p.start(), end
    owned = [g for g in groups if not ctx.reported(g.start(), g.end()) and not _member(ctx, g)]
    for e in _ESSENTIAL.finditer(ctx.text):
        if (
            owned
            and not ctx.reported(e.start(), e.end())
            and not ctx.negated(e.start())
            # "it's cultural" explains what "they" do; a disclaimer ("not racist, just facts") stands alone.
            and (
                e.group().endswith(_DISCLAIMER_ENDS)
                or _THEY.search(e.group())
                or _THEY.search(ctx.text, max(0, e.start() - 60), e.start())
            )
        ):
            return owned[0], e.start(), e.end()
    return None


_SLURS = (
    (
        "hate_slurs",
        0.92,
        "hate.slur",
        "Uses a slur about a protected characteristic, which GP014 2.3 (first bullet) rules out as "
        "discriminatory and hateful.",
    ),
    (
        "misogyny_slurs",
        0.82,
        "hate.misogyny",
        "Uses a misogynistic slur, which GP014 2.3 (first bullet) rules out as discriminatory on grounds of sex.",
    ),
)


_COPULA = re.compile(r"\s*,?\s*(?:are|r|is|were|was|be|'re|all|just|really|so|do|does|will|would)\b")
_CLAIM_END = re.compile(r"[.!?\n;]")


def _claim_about(ctx: Context, group: re.Match[str]) -> tuple[int, int]:
    """What the comment says about the group (the words after its noun, to the sentence's end), so a
    model-only flag quotes the claim, not the group noun (issue 10: "immigrants" was the evidence)."""
    text = ctx.text
    start = group.end()
    while (m := _COPULA.match(text, start)) is not None and m.end() > start:
        start = m.end()
    start += len(text[start:]) - len(text[start:].lstrip(" ,"))
    stop = _CLAIM_END.search(text, start)
    end = stop.start() if stop else len(text)
    if end - start > 60:
        cut = text.rfind(" ", start, start + 60)
        end = cut if cut > start else start + 60
    if end - start >= 3:
        return start, end
    # The group noun ends its sentence ("I can't stand immigrants"): quote the words before it.
    begin = max(max(text.rfind(c, 0, group.start()) for c in ".!?\n;") + 1, group.start() - 60)
    before = text[begin : group.start()]
    begin += len(before) - len(before.lstrip())
    end = begin + len(before.strip())
    if len(before.strip().split()) >= 2:
        return begin, end
    return group.start(), group.end()


_SLAG_OFF = re.compile(r"(?:s|ging|ged)?\s+(?:[\w']+\s+)?off\b")


def _about_a_thing(ctx: Context, m: re.Match[str]) -> bool:
    """'This weather is a bitch' is foul language about a thing, not misogyny."""
    before = ctx.text[max(0, m.start() - 45) : m.start()]
    if m.group().lower().startswith("slag") and _SLAG_OFF.match(ctx.text, m.end()):
        return True  # "slag off foreigners": the verb (to run down), said of the people who do it
    return bool(THING_SUBJECT.search(before)) or innocent_sense(ctx, m.start(), m.end())


def find_hate(ctx: Context, model_name: str = "", model_threshold: float | None = None) -> list[Flag]:
    compiled = ctx.config.compiled
    flags: list[Flag] = []
    for lexicon, slur_score, source, explanation in _SLURS:
        m = first_unreported(ctx, compiled[lexicon])
        if m is None or (lexicon == "misogyny_slurs" and _about_a_thing(ctx, m)):
            continue
        flags.append(
            ctx.flag("hate", m.start(), m.end(), score=slur_score, source=source, explanation=explanation)
        )
        if directed(ctx, m.start(), m.end()):
            flags.append(_aimed_at_person(ctx, m))
    for pattern, source, characteristic in (
        (_EXPULSION, "hate.expulsion", "nationality or race"),
        (_STEREOTYPE, "hate.stereotype", "a protected characteristic"),
    ):
        m = first_unreported(ctx, pattern)
        if m is not None:
            flags.append(
                ctx.flag(
                    "hate",
                    m.start(),
                    m.end(),
                    score=0.85 if source == "hate.expulsion" else 0.7,
                    source=source,
                    explanation=f"Targets people for their {characteristic}, which GP014 2.3 (first bullet) "
                    "rules out as discriminatory and hateful.",
                )
            )
            if re.search(r"\b(?:you|your|ur)\b", m.group()):
                flags.append(_aimed_at_person(ctx, m))
    found = _group_predicate(ctx)
    score = ctx.model_score
    if found is not None:
        # Evidence is the hostile word itself, not the group noun ("stupid woman" is one span).
        group, start, end = found
        combined = 0.75 if score is None else max(0.75, min(1.0, 0.6 + 0.4 * score))
        flags.append(
            ctx.flag(
                "hate",
                start,
                end,
                score=combined,
                source="hate.group_predicate",
                explanation=f"Speaks about people by their {_characteristic(ctx, group.group())} in "
                "dehumanising, hostile or exclusionary terms, which GP014 2.3 (first bullet) rules out "
                "as hateful.",
            )
        )
    elif (
        score is not None
        and model_threshold is not None
        and score >= model_threshold
        and not flags
        and not kind_mention(ctx)  # the word model alone, on praise, defence or needs of a group
    ):
        group_match = compiled["hate_groups"].search(ctx.text)
        if group_match is not None and not ctx.reported(group_match.start(), group_match.end()):
            start, end = _claim_about(ctx, group_match)
            flags.append(
                ctx.flag(
                    "hate",
                    start,
                    end,
                    score=score,
                    source=model_name,
                    explanation=f"Offensive language (model score {score:.2f}) about people by their "
                    f"{_characteristic(ctx, group_match.group())}, which GP014 2.3 (first bullet) rules "
                    "out as hateful; check the context.",
                )
            )
    return flags
