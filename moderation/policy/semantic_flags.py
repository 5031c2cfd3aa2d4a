"""Turn the semantic layer's head scores into flags and route advice (pure, no Django).

The rules run first; a head adds a flag only for a category the rules did not find, so the rules
keep their precise evidence and the semantic layer catches what their word lists miss. A semantic
flag names its clause and quotes the words that pushed its head up (never a group noun or a
function word), and recommends only a review: a model alone is for a person to judge, and is never
hidden automatically.
"""

from __future__ import annotations

import re

from moderation.policy.result import Flag
from moderation.policy.rules import Context
from moderation.policy.rules.claims import not_an_accusation
from moderation.policy.rules.hate import COUNTER_SPEECH, kind_framed, member_speaking
from moderation.policy.rules.links import warns_of_scam
from moderation.policy.rules.routes import thanks_someone
from moderation.policy.rules.staff import only_self_judged, praises, reported_in_defence, sympathises
from moderation.policy.rules.threats import NOTE as THREAT_NOTE
from moderation.policy.rules.threats import RECOURSE
from moderation.policy.semantic import Encoded, SemanticModel

_WHAT = {
    "threat": ("threatening or intimidating", "2.3 (first bullet: abusive) and 2.5"),
    "harassment": ("abusive towards someone", "2.3 (first bullet: harassing, bullying or abusive)"),
    "hate": ("hateful about a protected group", "2.3 (first bullet: discriminatory or hateful)"),
    "misinformation": ("a rumour or false notice stated as fact", "2.3 (first bullet: false or misleading)"),
    "defamation": ("an accusation of wrongdoing stated as fact", "2.3 (fourth bullet: defamatory)"),
    "staff_criticism": ("criticism of staff in public", "2.3 (third bullet: criticising employees)"),
    "inappropriate_link": ("spam or adult promotion", "2.3 (fifth bullet: inappropriate links)"),
}
HARM_HEADS = tuple(_WHAT)
# Heads whose flags need evidence in the text besides the score (semantic_harm: a rumour's claim or
# hearsay cue and no debunking or question; hate's protected group and no counter-speech). The gate
# carries precision, so their thresholds are chosen for F1 (policy_lab/semantic_train.py), and may be
# under the rules' flag_min floor.
GATED_HEADS = ("misinformation", "hate")
_GATED_SOURCES = frozenset(f"semantic:{head}" for head in GATED_HEADS)
_SURE = 0.1  # how far over its threshold a head must be to stand without the cue its gate asks for
# Hate is about a protected group: with none from the lexicon named, the head must be this much surer.
_SURE_HATE = 0.2
ROUTE_HEADS = ("repair", "complaint", "personal_issue")
ABUSE = frozenset({"threat", "harassment", "hate"})
# "That's not true", "is it true...?": someone checking or correcting a rumour is not spreading it.
# A rumour is hearsay or a claim about what is happening or will happen.
_CLAIM = re.compile(
    r"\b(?:heard|hearing|apparently|word is|they say|someone said|says|said|i read|told|rumou?r|fact|breaking|"
    r"notice|important|going to|gonna|will|next|from (?:next|now|today|january|april|the)|by the end|being|"
    r"(?:is|are|have|has) (?:selling|sold|closing|shut|handed|given|gave|cutting|scrapping|stopping|evicting)|"
    r"sold|handed|gave|given|claim|free|refund|rebate|grant|owed|account|covering it up|proven|known for|"
    # Something said to be happening or done, in any verb ("they're demolishing", "has quietly stopped"),
    # or said to be settled ("it's policy now", "already signed off").
    r"(?:is|are|has|have|'s|'re|been)\s+(?:\w+ly\s+)?\w{3,}(?:ing|ed)|policy now|in the plans|signed off|"
    r"officially|for good|definitely)\b"
    # A rumour stated as fact (issue 10, round 5): a change already made or under way, a date, or a
    # claim of certainty or concealment, with no hearsay word at all.
    r"|\b(?:has|have|had|is|are|was|were)\s+(?:been\s+|being\s+|now\s+|quietly\s+|secretly\s+)?"
    r"(?:sold|flogged|closed|closing|shut|shutting|scrapped|scrapping|cut|cutting|axed|stopped|stopping|binned|"
    r"let go|sacked|leaked|passed|bought|taken over|knocked down|demolished|ended|ending|finishing|doubling|"
    r"tripling|going up|rising|moving|putting|taking|kicking|evicting|charging|banned|disbanded|merging)\b"
    r"|\b(?:this|next|last)\s+(?:week|month|year|spring|summer|autumn|winter)\b|\bas of\b|\bfrom (?:april|may|june|"
    r"july|august|september|october|november|december|february|march|easter|christmas)\b"
    r"|\b(?:done deal|been decided|signed off|behind closed doors|keeping it (?:quiet|hushed|secret)|hushed up|"
    r"(?:aren't|are not|isn't|not) telling|(?:they|havebury) know(?:s)? it|it'?s official|new rule|it'?s policy|"
    r"heads up|psa|fyi|be warned)\b"
)
# Staff criticism needs someone in a job to be criticised: a role from the staff_roles lexicon, or
# a person, team or function named in the words tenants use ("the lot in the call centre", "whoever
# runs lettings", "the girls on the front desk", "your schedulers").
_STAFF = re.compile(
    r"\b(?:staff|officers?|managers?|management|teams?|lady|ladies|man|men|woman|women|bloke|guy|lads?|girls?|"
    r"person|people|supervisors?|engineers?|workers?|advis[eo]rs?|handlers?|wardens?|execs?|executives?|ceo|"
    r"boss|board|directors?|panel|members?|receptionists?|reception|planners?|surveyors?|caretakers?|"
    r"department|office|whoever|she|he|her|him|they|them|their|"
    r"operators?|schedulers?|agents?|admins?|bods|folk|crew|lot|desk|centre|center|leadership|whichever|"
    r"gardeners?|cleaners?|operatives?|inspectors?|assessors?|coordinators?|co-ordinators?|officials?|"
    # round 11b: management in tenants' words ("the powers that be", "the suits", "pen pushers")
    r"powers\s+that\s+be|suits|pen[\s-]?pushers|hub|hq|head\s+office)\b"
)
_STOP = frozenset(
    (
        "a", "an", "the", "these", "those", "this", "that", "they", "them", "their", "there", "are", "is", "was",
        "were", "be", "been", "of", "and", "or", "to", "from", "in", "on", "at", "for", "with", "as",
        "by", "it", "its", "our", "we", "us", "you", "your", "i", "my", "me", "all", "some", "people",
        "lot", "lots", "so", "just",
    )
)  # fmt: skip
# Counter-speech: "refugees are our neighbours and deserve the same respect".
_COUNTER = re.compile(
    r"\b(?:welcome|respect|deserve the same|deserve (?:proper|better|support)|our neighbours|neighbours|lovely|"
    r"support(?:ing)?|proud|kind\w*|equal|celebrat\w*|volunteers?|advisers?|awareness|accessible|not all)\b"
    # Praise of people: "the hardest working people I know", "finest soldiers you could ask for".
    r"|\b(?:hardest|best|finest|nicest|politest|friendliest|kindest|loveliest|bravest)\s+(?:working\s+)?"
    r"(?:people|neighbours|workers|grafters|soldiers|lads|folk|family|families|colleagues|students|nurses|carers)\b"
)
# "My neighbour keeps calling me a scrounger": someone reporting abuse they received.
_REPORTED = re.compile(
    r"\b(?:call(?:s|ed|ing)?|nam(?:e|es|ed|ing)|label(?:l)?ed|shout(?:s|ed|ing)? at|told)\s+(?:me|us|him|her|them|my \w+)\b"
)
# Hearsay words say where a rumour came from, not what it claims: never the quote's start.
_HEARSAY = re.compile(
    r"heard|hearing|apparently|says|said|told|read|word|rumou?r|fact|breaking|notice|important|will|going|"
    r"gonna|cousin|friend|neighbour|someone|somebody|mate|works|inside"
)
# What a rumour claims (preferred as its evidence over where it came from).
_RUMOUR_CONTENT = re.compile(
    r"\b(?:sold|sell\w*|flog\w*|wound up|clos\w*|shut\w*|bust|administration|evict\w*|cut\w*|scrap\w*|"
    r"ax\w*|doubl\w*|toxic|poison\w*|cancer|contaminat\w*|handed|data|details|knock\w* down|demolish\w*|"
    r"stopp\w*|void|cancelled)\b"
)
# Who a rumour is about, and auxiliaries: never the quote's start (the claim is what they do).
_WHO = frozenset(
    ("havebury", "havebury's", "hhp", "have", "has", "had", "they're", "theyre", "are", "quietly", "secretly")
)
_DEBUNK = re.compile(
    r"\b(?:not true|isn'?t true|is rubbish|it'?s rubbish|fake news|false|nonsense|confirmed|checked|"
    r"beware|warning|scam|never ask|will never|glad to see)\b"
    # Hedged ("if true", "not sure if it's true") or read in an official source ("the letter says", "the
    # annual report says"): not a rumour stated as fact.
    r"|\b(?:if (?:it'?s |that'?s |this is )?true|not sure if|can'?t be true|hope it'?s not true|(?:letter|newsletter|"
    r"website|annual report|statement|official notice|consultation) (?:says|said|confirms|explains))\b"
    # A denial of the rumour: "Havebury isn't closing anything", "they are not selling the bungalows".
    r"|\b(?:isn'?t|aren'?t|is not|are not|won'?t|will not|not) (?:being |going to be |actually )?(?:closing|selling|sold|"
    r"shutting|shut|cutting|scrapping|scrapped|stopping|ending|doubling|demolishing|knocking)\b"
)
# Asking whether a rumour is true is not spreading it: "Is it true they're selling the bungalows?",
# "Anyone know if the office is closing?". A rumour stated and then followed by a rhetorical question
# ("...from April, how is that fair?") is still stated.
_ASKING = re.compile(
    r"\b(?:is (?:it|this|that) true|is (?:it|this|that) right|any truth|true or not|(?:does|do|has|can|could) "
    r"(?:anyone|anybody|someone|somebody)|anyone (?:know|heard|else)|can you confirm|could you confirm|"
    r"please confirm|is (?:this|that) (?:real|correct))\b"
)
_SENTENCES = re.compile(r"[^.!?\n]*[a-z][^.!?\n]*[.!?\n]*")


# A yes/no question ("Is Havebury taking on apprentices next year?") asks; "Did you know...?" and
# "Have you heard...?" pass a rumour on.
_PASSING_ON = re.compile(
    r"(?:did|do|have|has) (?:you|u|anyone|everyone) (?:know|heard|seen)|are (?:you|u) aware"
)
_YES_NO = re.compile(r"(?:is|are|will|has|have|does|do|did|can|could|was|were|should)\b")


def _asking(text: str) -> bool:
    """The comment asks about a rumour rather than stating it: an asking phrase, a yes/no question,
    or nothing but questions."""
    if _ASKING.search(text):
        return True
    sentences = [s.strip() for s in _SENTENCES.findall(text) if s.strip()]
    if any(_PASSING_ON.match(s) for s in sentences):
        return False
    questions = [s for s in sentences if s.endswith("?")]
    if any(_YES_NO.match(q) for q in questions):
        return True
    return bool(sentences) and len(questions) == len(sentences)


def semantic_source(model: SemanticModel, head: str) -> str:
    return f"semantic:{head}@{model.version}"


def _skip_spans(ctx: Context, enc: Encoded, head: str) -> set[tuple[int, int]]:
    """Words that never make evidence: function words, and for hate the group noun itself."""
    text = ctx.original.lower()
    skip = {s for s in enc.tokens.spans if text[s[0] : s[1]] in _STOP or not text[s[0] : s[1]].isalnum()}
    if head == "misinformation":
        skip |= {
            s for s in enc.tokens.spans if _HEARSAY.fullmatch(text[s[0] : s[1]]) or text[s[0] : s[1]] in _WHO
        }
    if head == "staff_criticism":
        roles = [
            ctx.norm.span(m.start(), m.end()) for m in ctx.config.compiled["staff_roles"].finditer(ctx.text)
        ]
        roles += [(m.start(), m.end()) for m in _STAFF.finditer(text)]
        skip |= {s for s in enc.tokens.spans if any(r0 <= s[0] and s[1] <= r1 for r0, r1 in roles)}
    if head == "hate":
        groups = [
            ctx.norm.span(m.start(), m.end()) for m in ctx.config.compiled["hate_groups"].finditer(ctx.text)
        ]
        skip |= {s for s in enc.tokens.spans if any(g0 <= s[0] and s[1] <= g1 for g0, g1 in groups)}
    return skip


_LEXICONS = {
    "hate": ("hate_predicates", "insults", "insult_adjectives"),
    "harassment": ("insults", "insults_strong", "insult_adjectives"),
    "threat": (),
    "staff_criticism": ("staff_criticism", "insults", "insult_adjectives"),
    "defamation": ("defamation_accusations",),
    "misinformation": (),
    "inappropriate_link": ("link_bad_words",),
}


_SENTENCE = re.compile(r"[^.!?\n]*\w[^.!?\n]*")
_QUOTE_WORDS = 12  # the most words of a sentence a semantic flag quotes


def _heaviest_run(
    words: list[re.Match[str]], lo: int, model: SemanticModel, head: str, enc: Encoded
) -> list[re.Match[str]]:
    """At most ``_QUOTE_WORDS`` of ``words`` (matches in the text from offset ``lo``) in a row: the run
    that carries the most of the head's score, so a long sentence is quoted by its harmful part."""
    if len(words) <= _QUOTE_WORDS:
        return words
    column = enc.shares[:, model.labels.index(head)].tolist()
    weight = [
        sum(
            v
            for (a, _), v in zip(enc.tokens.spans, column, strict=True)
            if lo + w.start() <= a < lo + w.end()
        )
        for w in words
    ]
    first = max(range(len(words) - _QUOTE_WORDS + 1), key=lambda i: sum(weight[i : i + _QUOTE_WORDS]))
    return words[first : first + _QUOTE_WORDS]


def _harmful_sentence(text: str, model: SemanticModel, head: str, enc: Encoded) -> tuple[int, int] | None:
    """The words to quote when no lexicon word leans the evidence: the sentence ``head`` scores
    highest on its own (at most its ``_QUOTE_WORDS`` words that weigh most), in a comment of several.

    A pooled encoder spreads a head's score over the whole comment, so the single word it weighs most
    is often an innocent opener ("Tell that gas fitter of yours we've clocked his van. ... he won't be
    driving it home" quoted "Tell" for a threat); an officer quotes the sentence that carries it.
    """
    spans = [(m.start(), m.end()) for m in _SENTENCE.finditer(text)]
    if len(spans) < 2:
        return None
    scores = [model.probabilities(e)[head] for e in model.encode_many([text[a:b] for a, b in spans])]
    lo, hi = spans[max(range(len(spans)), key=scores.__getitem__)]
    words = [w for w in re.finditer(r"\S+", text[lo:hi])]
    words = _heaviest_run(words, lo, model, head, enc)
    start, end = lo + words[0].start(), lo + words[-1].end()
    while end > start and not text[end - 1].isalnum():
        end -= 1  # the sentence's own full stop or comma is not the author's harm
    return start, end


# Where a sentence splits into clauses: "Homes should go to our own first, not whoever got off the boat".
_CLAUSE_BREAK = re.compile(r"\s+[-\u2013\u2014]+\s+|[,;:]")
# Words that never open or close a quote: joining words and a dangling determiner or preposition.
_EDGE = frozenset(("and", "but", "or", "so", "then", "just", "because", "cos", "that", "which"))
# ("the leak is still there" and "make them pay" keep their last word).
_TAIL = _EDGE | frozenset(
    (
        "a", "an", "the", "these", "those", "this", "their", "our", "your", "my", "his", "her", "its", "of", "to",
        "into", "from", "in", "on", "at", "for", "with", "as", "by", "is", "are", "was", "were", "be", "been",
        "who", "whose", "where", "when",
    )
)  # fmt: skip
_PRONOUNS = frozenset(
    ("i", "we", "you", "they", "he", "she", "it", "my", "our", "your", "their", "me", "us", "them")
)


def _led(enc: Encoded, lead: set[tuple[int, int]], start: int, end: int) -> bool:
    """The word at text[start:end] is made only of word pieces in ``lead`` (a group noun, hearsay, who)."""
    pieces = [s for s in enc.tokens.spans if start <= s[0] and s[1] <= end]
    return bool(pieces) and all(p in lead for p in pieces)


def _clauses(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """The clauses of text[lo:hi], split at commas, semicolons, colons and dashes."""
    out, at = [], lo
    for m in _CLAUSE_BREAK.finditer(text, lo, hi):
        out.append((at, m.start()))
        at = m.end()
    out.append((at, hi))
    return [(a, b) for a, b in out if len(re.findall(r"\w+", text[a:b])) >= 2]


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a dangling function word or joining word from the quote's end ("...see what happens to")."""
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"[\w'\u2019-]+", text[start:end])]
    while len(words) > 1 and text[words[-1][0] : words[-1][1]].lower() in _TAIL:
        words.pop()
    return (words[0][0], words[-1][1]) if words else (start, end)


def quote(ctx: Context, model: SemanticModel, enc: Encoded, head: str) -> tuple[int, int]:
    """The words a semantic flag (or route) quotes when no lexicon word leans its evidence: the
    sentence, then the clause, the head scores highest on its own, at most ``_QUOTE_WORDS`` words,
    without a leading group noun or joining word.

    One word is rarely what an officer quotes back: the head's heaviest word in "Old people should
    be moved out to make room" was "should", and in "Homes should go to our own people first" "own"
    (issue 10: a newcomer's trial).
    """
    text = ctx.original
    sentence = _harmful_sentence(text, model, head, enc)
    if sentence is None:
        spans = [(m.start(), m.end()) for m in _SENTENCE.finditer(text)]
        if not spans:
            return model.evidence(text, enc, head, skip=_skip_spans(ctx, enc, head))
        sentence = spans[0][0], spans[-1][1]
    lo, hi = sentence
    clauses = _clauses(text, lo, hi)
    if len(clauses) >= 2:
        column = enc.shares[:, model.labels.index(head)].tolist()
        scores = [
            sum(v for (p, q), v in zip(enc.tokens.spans, column, strict=True) if a <= p < b)
            for a, b in clauses
        ]
        lo, hi = clauses[max(range(len(clauses)), key=scores.__getitem__)]
    # Hate quotes what is said of the group, not the group ("The Polish lot are all thieves" -> "thieves").
    lead = _skip_spans(ctx, enc, head) if head == "hate" else set()
    lead = {s for s in lead if text[s[0] : s[1]].lower() not in _PRONOUNS}  # "we" and "you" stay

    def opener(word: re.Match[str]) -> bool:
        return (
            _led(enc, lead, lo + word.start(), lo + word.end())
            or word.group().lower().strip(",.!?'\"") in _EDGE
        )

    words = list(re.finditer(r"\S+", text[lo:hi]))
    while len(words) > 1 and opener(words[0]):
        words.pop(0)  # the group noun or "and" opening the clause is not the harm
    words = _heaviest_run(words, lo, model, head, enc)
    if not words:
        return model.evidence(text, enc, head, skip=_skip_spans(ctx, enc, head))
    return _trimmed(text, lo + words[0].start(), lo + words[-1].end())


def _claim(ctx: Context, enc: Encoded, start: int, end: int) -> tuple[int, int]:
    """A rumour's claim with what it claims about: the clause round its word, without the hearsay or
    who said it ("They're scrapping the out of hours repairs line" quotes from "scrapping", not just it)."""
    text = ctx.original
    sentence = next(((a, b) for a, b in (m.span() for m in _SENTENCE.finditer(text)) if a <= start < b), None)
    if sentence is None:
        return start, end
    lo, hi = next(((a, b) for a, b in _clauses(text, *sentence) if a <= start < b), sentence)
    lead = _skip_spans(ctx, enc, "misinformation")
    words = list(re.finditer(r"\S+", text[lo:hi]))
    while len(words) > 1 and lo + words[0].end() <= start:
        if not _led(enc, lead, lo + words[0].start(), lo + words[0].end()):
            break
        words.pop(0)  # "Word is the", "Havebury are": where it came from and who, not the claim
    words = words[:_QUOTE_WORDS]
    if not words or lo + words[-1].end() < end:
        return start, end
    return _trimmed(text, min(start, lo + words[0].start()), lo + words[-1].end())


def _flag(ctx: Context, model: SemanticModel, enc: Encoded, head: str, prob: float) -> Flag:
    compiled = ctx.config.compiled
    prefer = [
        ctx.norm.span(m.start(), m.end())
        for name in _LEXICONS[head]
        for m in compiled[name].finditer(ctx.text)
    ]
    if head == "misinformation":  # what the rumour claims, over where it came from
        prefer += [
            (m.start(), m.end()) for m in re.finditer(_RUMOUR_CONTENT.pattern, ctx.original, re.IGNORECASE)
        ]
    if prefer:
        start, end = model.evidence(ctx.original, enc, head, skip=_skip_spans(ctx, enc, head), prefer=prefer)
        # A lexicon phrase is quoted whole: "our own people first", not its heaviest word "own".
        for p0, p1 in prefer:
            if p0 < end and start < p1:
                start, end = min(start, p0), max(end, p1)
        if head == "misinformation":
            start, end = _claim(ctx, enc, start, end)
    else:
        start, end = quote(ctx, model, enc, head)
    what, clause = _WHAT[head]
    quoted = ctx.original[start:end]
    threat = head == "threat"
    return Flag(
        category="harassment" if threat else head,
        clause="2.3",
        evidence=quoted,
        start=start,
        end=end,
        score=prob,
        source=semantic_source(model, head),
        explanation=f'Reads as {what} to the semantic model (score {prob:.2f}, mostly "{quoted}"); '
        f"GP014 {clause} rules it out, so check the context.",
        urgent=threat,
        subtype="threat" if threat else "",
    )


def _group(ctx: Context) -> bool:
    return bool(ctx.config.compiled["hate_groups"].search(ctx.text))


def _hostile(ctx: Context) -> bool:
    """A dehumanising or exclusionary word that is not negated ("are not criminals" is not one)."""
    preds = ctx.config.compiled["hate_predicates"].finditer(ctx.text)
    return any(not ctx.negated(p.start()) for p in preds)


def _denied(ctx: Context) -> bool:
    """A hostile word that is negated: "Immigrants are not criminals"."""
    return any(ctx.negated(p.start()) for p in ctx.config.compiled["hate_predicates"].finditer(ctx.text))


def semantic_harm(
    ctx: Context, model: SemanticModel, enc: Encoded, probs: dict[str, float], found: list[Flag]
) -> list[Flag]:
    if len(enc.tokens.ids) < 3:
        return []  # "see", "lol": too little text for the encoder to judge
    have = {f.category for f in found} | {"threat" for f in found if f.subtype == "threat"}
    out: list[Flag] = []
    for head in HARM_HEADS:
        prob = probs.get(head, 0.0)
        if prob < model.thresholds.get(head, 1.0) or head in have:
            continue
        if head in ABUSE and (ctx.suppressed or _REPORTED.search(ctx.text)):
            continue  # the abuse is someone else's words being reported
        if head == "hate" and prob < min(0.95, model.thresholds[head] + _SURE_HATE) and not _group(ctx):
            continue  # hate is about a protected group; without one named, only a very sure score counts
        if head == "threat" and RECOURSE.search(ctx.text):
            continue  # "you'll be reported to the council", "see you in court": a complaint's recourse
        if head == "harassment" and ("threat" in {f.subtype for f in out} or "hate" in have):
            continue
        if head == "misinformation" and (
            _DEBUNK.search(ctx.text)
            or _asking(ctx.text)
            or (not _CLAIM.search(ctx.text) and prob < model.thresholds[head] + _SURE)
        ):
            continue  # a rumour needs a claim or hearsay cue, unless the head is well over its threshold
        if head == "hate" and member_speaking(ctx):
            continue  # a member of the group speaking of their own life
        if (
            head == "hate"
            and not _hostile(ctx)
            and (
                _COUNTER.search(ctx.text)
                or _denied(ctx)
                or COUNTER_SPEECH.search(ctx.text)
                or kind_framed(ctx)
            )
        ):
            continue
        if head == "staff_criticism" and (
            not (_STAFF.search(ctx.text) or ctx.config.compiled["staff_roles"].search(ctx.text))
            or reported_in_defence(ctx.text)
            or only_self_judged(ctx)
            or sympathises(ctx)
            or praises(ctx)
        ):
            continue
        if (
            head in ("threat", "harassment", "staff_criticism")
            and thanks_someone(ctx.text)
            and not any(ctx.config.compiled[n].search(ctx.text) for n in _LEXICONS["staff_criticism"])
        ):
            # "I'd like to thank the officer, she went above and beyond": the words and the head say thanks.
            continue
        if head == "inappropriate_link" and warns_of_scam(ctx.original):
            continue  # a resident warning others about a scam names the same lures
        if head == "defamation" and not_an_accusation(ctx):
            continue  # news, a rumour denied, or nobody accused ("read in the paper about a landlord ...")
        out.append(_flag(ctx, model, enc, head, prob))
    return out


def semantic_route(model: SemanticModel, probs: dict[str, float]) -> str | None:
    """The route head most above its threshold, if any."""
    best, margin = None, 0.0
    for head in ROUTE_HEADS:
        over = probs.get(head, 0.0) - model.thresholds.get(head, 1.0)
        if over >= 0 and (best is None or over > margin):
            best, margin = head, over
    return best


def is_compliment(model: SemanticModel, probs: dict[str, float]) -> bool:
    return probs.get("compliment", 0.0) >= model.thresholds.get("compliment", 1.0)


def below_floor_allowed(flag: Flag) -> bool:
    """A gated head's flag stands on its own threshold, even under the config's flag_min."""
    return flag.source.split("@", 1)[0] in _GATED_SOURCES


__all__ = [
    "GATED_HEADS",
    "THREAT_NOTE",
    "below_floor_allowed",
    "is_compliment",
    "quote",
    "semantic_harm",
    "semantic_route",
]
