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
                re.compile(r"\b([a-z]{3,12})\s+" + last.lower() + r"s?\b"),
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
            if am is None and not any(ch.isupper() for ch in ctx.original):
                am = alias.search(ctx.original.title())  # an author who writes without capitals
            if am is not None:
                found.append((am.start(), am.end(), 0.75, "staff_criticism.named_person"))
    if not found:
        found += [(a, b, 0.75, "staff_criticism.named_person") for a, b in _named_another_way(ctx)]
    for m in ctx.config.compiled["staff_roles"].finditer(ctx.text):
        if not _names_a_thing(ctx, m.end()):
            found.append((m.start(), m.end(), 0.7, "staff_criticism.role"))
    for m in _FUNCTION.finditer(ctx.text):
        found.append((m.start(), m.end(), 0.7, "staff_criticism.role"))
    for m in _PERSON_IN_JOB.finditer(ctx.text):
        found.append((m.start(), m.end(), 0.7, "staff_criticism.role"))
    for m in _TEAM.finditer(ctx.text):
        found.append((m.start(), m.end(), 0.7, "staff_criticism.role"))
    for m in _NAME_IN_JOB.finditer(ctx.text):
        if _capitalised_name(ctx, m.start("name"), m.end("name")) or _uncapitalised_name(ctx, m):
            found.append((m.start(), m.end(), 0.75, "staff_criticism.named_person"))
    return found


# "the repairs line menu is a nightmare", "the housing office website": a role word naming a thing. A set,
# not a pattern, so these everyday words do not become the speller's key terms (spelling_words.rule_words).
_THINGS = frozenset(
    (
        "menu", "menus", "system", "systems", "app", "website", "site", "portal", "form", "forms", "number",
        "numbers", "email", "address", "opening", "hours", "queue", "queues", "music", "recording", "message",
        "messages", "process", "procedure", "policy", "letter", "letters",
    )
)  # fmt: skip
_NEXT_WORD = re.compile(r"\s+([a-z]+)")


def _names_a_thing(ctx: Context, end: int) -> bool:
    nxt = _NEXT_WORD.match(ctx.text, end)
    return nxt is not None and nxt.group(1) in _THINGS


# "she's run off her feet, she does her best": sympathy for a member of staff, not criticism.
_SYMPATHY = re.compile(
    r"\b(?:run\s+off\s+(?:her|his|their)\s+feet|(?:does|do|doing|did)\s+(?:her|his|their)\s+best|"
    r"not\s+(?:her|his|their)\s+fault|overworked|stretched\s+thin|rushed\s+off\s+(?:her|his|their)\s+feet|"
    r"under\s+(?:massive\s+|a\s+lot\s+of\s+)?pressure|give\s+(?:her|him|them)\s+a\s+break)\b"
)


def _unjudged(ctx: Context, *judgements: re.Pattern[str]) -> bool:
    """No judgement of these patterns stands unnegated anywhere in the comment."""
    return not any(not ctx.negated(m.start()) for p in judgements for m in p.finditer(ctx.text))


def sympathises(ctx: Context) -> bool:
    """Sympathy for staff with no judgement of them anywhere in the comment (for the semantic head)."""
    if not _SYMPATHY.search(ctx.text):
        return False
    return _unjudged(ctx, ctx.config.compiled["staff_criticism"], *_JUDGEMENTS)


def _uncapitalised_name(ctx: Context, m: re.Match[str]) -> bool:
    """An author who writes without capitals ("gemma on the phones was rude") still names a person when
    the comment or sentence opens with the name; only when nothing in the comment is capitalised, and not
    a pronoun or a people noun."""
    word, start = m.group("name"), m.start("name")
    before = ctx.text[:start].rstrip()
    return (
        (not before or before[-1] in ".!?\n")
        and not any(ch.isupper() for ch in ctx.original)
        and word not in NOT_NAMES
        and not re.fullmatch(_PEOPLE, word)
        and len(word) >= 3
    )


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
    r"contractors?|plumbers?|electricians?|joiners?|roofers?|fitters?|tradesm[ae]n|workm[ae]n|officers?|ppl|"
    # Job nouns in the plural, as tenants lump a team together ("the planners you've got", "your handlers").
    r"planners?|schedulers?|handlers?|advis[eo]rs?|trustees?|managers?|inspectors?|surveyors?|wardens?|"
    r"cleaners?|caretakers?|gardeners?|handym[ae]n|painters?|decorators?|locksmiths?|carers?|"
    r"co-?ordinators?|assistants?|agents?|administrators?|assessors?|reps)"
)
_PLACE = (
    r"(?:the\s+|your\s+|havebury'?s?\s+)?(?:[\w'-]+\s+){0,2}?(?:office|offices|team|department|dept|desk|"
    r"reception|phones?|lettings|repairs|housing|rent|allocations|income|voids|maintenance|estates?|complaints|"
    r"customer services|customer care|call centre|contact centre|havebury|council|helpline|switchboard|counter|"
    # Involved residents sit on a body rather than in an office ("Yvonne on the residents panel").
    r"comms|panel|board|committee|forum|association|hub|hq|head\s+office)\b"
)
# Staff named by what they do in tenants' words (issue 10, round 7): "the bloke who answers your repairs
# line", "the man you sent", "the woman on the phones", "your lettings woman", "your maintenance bloke",
# "your customer care staff", "your lot" (the organisation's people, addressed on its own page).
_PERSON_IN_JOB = re.compile(
    # ("them lads on the repairs van": "them" as a determiner, round 11)
    r"\b(?:the|that|this|those|these|them|one of the|one of your|every|every single|each|any)\s+(?:[\w'-]+\s+){0,2}?"
    + _PEOPLE
    + r"\s+(?:"
    r"(?:who|that)\s+(?:\w+\s+)?(?:answers?|answered|picks? up|picked up|came|comes?|took|takes|deals?|dealt|"
    r"handles?|handled|runs?|ran|manages?|managed|is in charge|was in charge|booked|books|inspected|surveyed|"
    r"fitted|fixed|did|does|visited|works?|worked|turned up|rang|phoned|is supposed|was supposed|looks? after|"
    r"looked after|sorts?|sorted|was sent)"
    r"|(?:doing|fixing|fitting|cleaning|cutting|mowing|answering|manning|running|checking|inspecting)\s+(?:the|our|my|your)\s+"
    r"|(?:you|they|havebury|the council)\s*(?:'ve|ve|have)?\s+(?:sent|send|sends|had|have|got|employ|employed|"
    r"hired|use|used|pay)"
    r"|(?:from|at|in|on|behind|down at|over at|answering|manning|working (?:at|in|on))\s+" + _PLACE + r")"
    r"|\b(?:your|ur|yer|havebury'?s)\s+(?:[\w'-]+\s+){0,2}?" + _PEOPLE + r"\b"
    r"|\b(?:the|that|this|those|these|them|your)\s+(?:repairs?|maintenance|gas|housing|lettings|rent|office|council|"
    r"out\s+of\s+hours|emergency|night|weekend|on-?call|"
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
    # "Josh the plumber", "Keith the caretaker"
    # ("parasites the lot of them": "the lot" is everyone, not a job)
    + r"|the\s+(?:[\w'-]+\s+)?(?!(?:lot|lots|one|ones|people)\b)"
    + _PEOPLE
    + r"\b"
    r"|(?:who|that)\s+(?:came|comes|come|was sent|you sent|did|does|"
    r"fitted|fixed|answered|answers|handles|handled|runs|manages|managed|inspected|surveyed|visited)\b)"
)


# A team named by its service or a residents' body, and tradespeople lumped together by their trade with
# no article (issue 10, round 9, kinds read on the retired fresh3 slice): "the grounds maintenance crew",
# "estate services", "the residents' forum", "gas engineers turn up whenever they like".
_TEAM = re.compile(
    r"\b(?:estates?|grounds|neighbourhood|tenancy|property|caretaking|cleaning|communal|landscaping)\s+"
    r"(?:services|maintenance|team|crew|staff|lot|department|dept)\b"
    r"|\b(?:tenants?|residents?)'?\s+(?:panel|board|committee|forum|scrutiny\s+(?:group|panel)|reps?)\b"
    r"|\b(?:repairs?|maintenance|gas|heating|boiler|damp|voids|roofing|window|grounds)\s+"
    r"(?:operatives|engineers|workers|fitters|contractors|men|lads|blokes|crews|teams)\b"
    # Round 11b: management by what tenants call it ("the powers that be", "the suits at head office", "pen
    # pushers", "the bods upstairs") and trades lumped together ("the trades you send", "your grounds men")
    r"|\bthe\s+powers\s+that\s+be\b|\b(?:the|them|those|these|your)\s+suits\b|\bpen[\s-]?pushers\b"
    r"|\b(?:the|them|those|your)\s+(?:bods|lot|people|ones|folk)\s+(?:upstairs|at\s+the\s+top|in\s+charge|at\s+hq)\b"
    r"|\b(?:the|your|ur|them)\s+(?:trades|tradies|grounds\s*men|groundsmen|grounds\s+lads)\b"
    r"|\bthem\s+(?:in|at|on|from)\s+(?:the\s+)?(?:[\w'-]+\s+){0,2}?(?:department|dept|office|team|centre|desk|hq)\b"
    # the governing body by the organisation's name (round 11): "Havebury's board", "your directors"
    r"|\b(?:havebury'?s|your|ur)\s+(?:board|directors|trustees|executives?|execs?|bosses|top\s+brass|"
    r"senior\s+(?:team|managers|management|leaders))\b"
)


# Staff named by what they do rather than a job title (issue 10, round 5): "whoever runs lettings",
# "whoever is in charge of rent accounts", "the lot in the call centre", "the people on the phones".
_FUNCTION = re.compile(
    r"\bwho(?:ever|soever)\s+(?:runs|ran|does|did|is in charge of|was in charge of|answers|answered|signed off|"
    r"approved|manages|managed|deals with|dealt with|handles|handled|looks after|books|booked|schedules|"
    r"scheduled|planned|replies|decided|designed)\b"
    r"|\b(?:the|your|those|that|them) (?:lot|folk|people|girls|lads|ladies|bods|staff|crew|ones) "
    r"(?:in|on|at|from|behind|who run|who answer) (?:the |your |head )?(?:office|offices|desk|phones?|lines?|"
    r"centre|center|counter|reception|switchboard|town hall|top)\b"
)


# A judgement of the person in the job, by kind rather than by word (issue 10, policy engine II): what
# their brains or knowledge are worth, that they idle or hide while paid, that they do not care a jot,
# that they lie, how they treat people, that they should go, that they are the worst at it, and the
# rhetorical question whether they can even do it. Each needs a member of staff in the sentence.
_JUDGEMENT = re.compile(
    # brains and knowledge: "haven't got the brains", "half a brain cell", "not a single idea how"
    r"\b(?:half a brain|brain ?cells?|(?:has|have|had|got)(?:n't| not|nt)?\s+(?:got\s+)?(?:no|the|any)\s+brains?\b"
    r"|(?:no|not|wasn't|weren't|isn't|aren't|without|lacks?|lacking)\b[^.!?]{0,15}\bbrains?\b"
    r"|one\s+end\s+of\s+[^.!?]{1,30}\s+from\s+the\s+other"
    r"|(?:wouldn't|would\s+not|couldn't|doesn't|don't)\s+(?:know|recognise|recognize|spot)\s+[^.!?]{1,40}?\s+if\s+"
    r"(?:it|they|he|she)\b"
    r"|(?:has|have|had)(?:n't|nt| not)\s+(?:got\s+)?(?:a|one|the)\s+(?:single\s+|slightest\s+|faintest\s+)?"
    r"(?:idea|clue)\b|head examin\w*|personality transplant)"
    # comparisons: "about as much use as", "as useful as a", "couldn't X their way out of"
    r"|\b(?:about\s+)?as\s+(?:much\s+)?(?:use|useful|helpful|effective|reliable)\s+as\s+an?\b"
    r"|\b(?:couldn't|could not|can't|cannot|wouldn't)\s+(?:[\w']+\s+){1,3}?(?:(?:their|his|her)\s+way\s+out\s+of"
    r"|if\s+(?:their|his|her)\s+li(?:fe|ves)\s+depended)"
    # "couldn't find a leak in a colander", "couldn't run a bath in a ...": the idiom's two indefinites
    r"|\b(?:couldn't|could not|can't|cannot)\s+(?:find|spot|see|organise|run|fix|hit|manage|sell)\s+an?\s+"
    r"(?:\w+\s+){1,2}?(?:in|at|on)\s+an?\s+\w+"
    # idleness while paid: "bone lazy", "skivers", "the idlest", "gone awol", "paid to hide", "does nothing all day"
    r"|\b(?:bone\s+lazy|idl(?:e|er|est)\b|lazi(?:er|est)|skiv(?:e|er|ers|ing)\b|doss(?:er|ers|ing)\b|work-?shy|"
    r"allergic\s+to\s+(?:work|graft|effort|phones?)|half\s+asleep|bored\s+stiff|gone\s+awol|layabouts?|"
    r"(?:sat|sits|sitting)\s+(?:\w+\s+){0,3}?with\s+(?:his|her|their)\s+feet\s+up|"
    r"(?:couldn't|could\s+not)\s+be\s+less\s+(?:bothered|interested|arsed|helpful)|"
    r"(?:swans?|swanning|wanders?|wandering|strolls?|strolling|ponces?|poncing)\s+(?:about|around)|"
    r"(?:doing|does|do|did)\s+(?:absolutely\s+)?nothing\s+(?:while|but|except)|"
    r"(?:do|does|doing)\s+(?:some|any)\s+(?:actual|real|proper)\s+work|(?:does|do|did)\s+nothing\s+all\s+day|"
    r"paid\s+(?:to|for)\s+(?:hide|hiding|sit|sitting|do nothing|doing nothing|nothing)|"
    r"waste\s+of\s+(?:a\s+|good\s+)?(?:money|salary|salaries|wages?|skin|rations)|"
    r"(?:whatever|what)\s+(?:you|they|havebury)\s+pay\s+(?:\w+\s+){0,4}?(?:it's|its|is)\s+too\s+much|"
    r"in\s+it\s+for\s+(?:the\s+\w+|themselves|himself|herself))"
    # not caring a jot: "don't care a jot", "doesnt give a hoot", "couldn't care two hoots"
    r"|\b(?:do|does|did|could|would)(?:n't|nt| not)\s+(?:care|give)\s+(?:a\s+|two\s+|one\s+)?"
    r"(?:jot|hoots?|monkeys?|fig|toss|stuff|damn|dime|flying\s+\w+)\b"
    # lying and manner: "lied straight to my face", "fibbers", "shouts at the old dears", "know it all"
    r"|\b(?:lied|lies|lying)\s+(?:straight\s+|right\s+)?(?:to|in)\s+(?:my|our|your|their|people's)\s+faces?\b"
    # lying about doing the job ("lies about ringing back"); lying to gain something is an accusation (claims.py)
    r"|\b(?:lies|lied|lying)\s+about\s+(?:\w+ing|having|being|the\s+(?:visit|appointment|job|repair|call))\b|\bnever\s+where\s+(?:she|he|they)\s+says?\b"
    r"|\bnever\s+(?:does|do|did|keeps?)\s+(?:what\s+(?:she|he|they)\s+(?:promises?|promised|says?|said)|"
    r"(?:her|his|their)\s+(?:promises|word))\b"
    r"|\broll(?:s|ed|ing)?\s+(?:his|her|their)\s+eyes\b"
    r"|\b(?:lies|lied|lying)\s+through\s+(?:his|her|their)\s+teeth\b"
    r"|\bnever\s+tells?\s+(?:us\s+|you\s+|anyone\s+|people\s+)?the\s+truth\b|\bspins?\s+everything\b"
    r"|\b(?:scared|frightened|terrified)\s+of\s+(?:her|him|them)\b"
    r"|\b(?:has|have|had|got)\s+the\s+(?:attitude|manners|brains|intelligence|personality|charm|people\s+skills|"
    r"patience|sense)\s+of\s+an?\b"
    r"|\btreat(?:s|ed|ing)?\s+(?:everyone|everybody|people|us|me|tenants|residents|customers|folk)\s+like\b"
    r"|\bturn(?:s|ed|ing)?\s+(?:his|her|their)\s+noses?\s+up\b"
    r"|\btalks?\s+(?:down\s+)?to\s+(?:you|us|me|people|tenants|residents|everyone)\s+like\b"
    r"|\b(?:fibbers?|fibbing|dishonest|untrustworthy|two\s+faced|know[\s-]+it[\s-]+alls?)\b"
    r"|\b(?:shouts?|shouted|shouting|screams?|screamed|yells?|yelled|snaps?|snapped|sneers?|sneered)\s+at\s+"
    r"(?:me|us|people|tenants|residents|everyone|the\s+old|old|my|our)\b"
    # character in a word: "smarmy", "gutless", "pompous", "a walking disaster", "cold hearted"
    r"|\b(?:smarmy|gutless|pompous|snooty|snobby|vile|nasty|petty|inept|amateurs|amateurish|"
    r"cold[\s-]+hearted|walking\s+disaster|windbag|battleaxe|bumbling|useless\s+article|self[\s-]+important|"
    r"know[\s-]+alls?|stuck[\s-]+up|chancers?|vultures?|parasites?|creeps?|compulsive\s+liars?|nightmare\s+to|"
    r"gossips|an?\s+gossip|troublemakers?|stirrers?|snobs?|snobbish|tyrants?|bone[\s-]?headed)\b"
    # praise that can only be sarcasm about a person: "what a genius", "give them a medal"
    r"|\b(?:what\s+a\s+genius|bright\s+sparks?|give\s+(?:them|him|her)\s+a\s+medal)\b"
    r"|\b(?:oh|wow|yeah|ooh)\b[^.!?]{0,40}\b(?:is|are)\s+so\s+(?:clever|smart|bright|efficient|professional|"
    r"helpful|competent)\b"
    # should go: "should've been shown the door", "do us all a favour and resign"
    r"|\b(?:shown\s+the\s+door|(?:and|should|must|to)\s+resign\b|hand\s+in\s+(?:their|his|her)\s+notice|"
    r"(?:get|given|deserves?)\s+the\s+(?:sack|boot|push)\b)"
    # the worst at it: "is the worst housing officer", "by far the rudest"
    r"|\b(?:is|was|are|were|'s)\s+(?:(?:by\s+far|easily|simply)\s+)?the\s+(?:worst|most\s+useless|most\s+incompetent|"
    r"rudest|laziest|idlest|thickest|dimmest|slowest)\b"
    # the rhetorical question whether they can do it at all: "do they even know what", "actually capable of"
    r"|\b(?:even|ever|actually)\s+(?:know\s+what|know\s+how|capable|able\s+to\s+read|awake|trained|qualified)\b"
    r"|\b(?:get|got|had|have|given)\s+any\s+training\b"
    # Round 9 (kinds read on the retired fresh3 slice). Shoddy work: "botched", "bodge it", "cut corners",
    # "leave every job half done", "do half a job".
    r"|\b(?:botch\w*|bodg\w*|cowboy\s+job)\b|\bcut(?:s|ting)?\s+(?:every\s+|all\s+the\s+)?corners\b"
    r"|\b(?:do|does|did|doing|leave|leaves|left|leaving)\s+(?:every|each|the|a|our|my)?\s*"
    r"(?:half\s+(?:a\s+)?jobs?|jobs?\s+half\s+(?:done|finished))\b"
    # idling on the clock: "sit in the van on their phones", "glued to his phone"
    r"|\b(?:sat|sits|sit|sitting)\s+(?:about\s+|around\s+)?(?:in\s+(?:the|their|his|her)\s+vans?\s+)?"
    r"(?:on\s+(?:their|his|her)\s+(?:phones?|backsides?|bums?|arses?)|doing\s+nothing)"
    r"|\b(?:scrolling|glued\s+to|playing\s+on)\s+(?:their|his|her)\s+phones?\b"
    # manner: treating tenants as a nuisance ("look at you like you're a pest", "made me feel a burden")
    r"|\b(?:treat\w*|behav\w*|act(?:s|ed|ing)?|look(?:s|ed|ing)?\s+at\s+(?:you|me|us|people)|"
    r"(?:speak|speaks|spoke|talk|talks|talked)\s+to\s+(?:you|me|us|people)|"
    r"(?:made?|makes?|making)\s+(?:you|me|us|people)\s+feel)\s+(?:\w+\s+){0,3}?"
    r"(?:(?:as\s+(?:though|if)|like)\s+)?(?:(?:you|we|i|they|tenants|residents|people)"
    r"(?:'re|'m|\s+are|\s+were|\s+was|\s+am)?\s+)?(?:just\s+)?(?:an?\s+)?"
    r"(?:nuisance|inconvenience|pest|burden|bother|dirt|scum|beggars?|criminals?|idiots?|"
    r"something\s+(?:they|the\s+cat)\s+(?:stepped|dragged))\b"
    # a body that does not represent tenants: "yes men", "puppets", "rubber stamp", "in their pocket"
    r"|\byes[\s-]+(?:men|man|women|woman|people)\b|\bpuppets?\b|\brubber[\s-]+stamp\w*|\bmouthpieces?\b"
    r"|\blap[\s-]?dogs?\b|\bin\s+(?:havebury's|the\s+landlord's|the\s+council's|management's)\s+pockets?\b"
    r"|\b(?:don't|do\s+not|dont|doesn't|does\s+not|doesnt|never)\s+(?:speak|stand\s+up|speak\s+up)\s+for\s+"
    r"(?:any\s+of\s+)?(?:us|tenants|residents|anyone|the\s+tenants|the\s+residents)\b"
    # their work dismissed as spin: "pure spin", "a whitewash", "a pack of lies", "smoke and mirrors"
    r"|\b(?:pure|all|nothing\s+but|total|utter|complete)\s+(?:spin|propaganda|guff|flannel|waffle|hot\s+air)\b"
    r"|\bwhitewash\w*|\bpack\s+of\s+lies\b|\bsmoke\s+and\s+mirrors\b"
)
# Round 11 (kinds read on the retired fresh4 slice, issue 10): judgements of how a team or person does the
# job that name no fault in a word. Absence ("never out of the office", "hasn't set foot on the estate",
# "hide behind a screen"); slowness as a habit ("take forever", "drag their feet", "at a snail's pace");
# going through the motions ("the bare minimum", "tick a box and vanish", "log it and forget it", "a token
# wipe"); time put into anything but the work ("spend longer on their breaks than on the repair"); promises
# not kept ("promise the world", "never follow through", "all mouth"); pay out of proportion ("on big money",
# "raking in", "paid handsomely"); manner ("far too pushy with", "brusque", "talks over everyone", "speaks to
# residents like a toddler", "sighs down the phone"); ignoring people ("never replies to a single tenant",
# "ignores every message"); and their work dismissed as empty ("all fluff", "PR gloss", "no substance").
_CONDUCT = re.compile(
    # absence
    r"\bnever\s+(?:out\s+of|leaves?|left|gets?\s+out\s+of|away\s+from)\s+(?:the|their|his|her)\s+"
    r"(?:office|offices|desks?|cars?|vans?|computers?)\b"
    r"|(?:\bnever|\bnot|n't|\bnone\s+of\s+them)\s+(?:[\w']+\s+){0,4}?(?:set|sets|setting)\s+foot\s+(?:on|in|near|inside)\b"
    # ("had better not show her face" is a threat, not absence: only the perfect or the habit)
    r"|\b(?:never|haven't|hasn't|havent|hasnt|have\s+not|has\s+not)\s+(?:[\w']+\s+){0,2}?(?:shown|showed|shows)\s+"
    r"(?:their|his|her)\s+faces?\b"
    r"|\bnever\s+(?:come|comes|came|been|go|goes|went)\s+(?:anywhere\s+)?near\b"
    r"|\bhid(?:e|es|ing)\s+behind\s+(?:a|the|their|his|her)\s+(?:screens?|desks?|computers?|emails?|phones?|page|"
    r"keyboards?|glass|counter|letters?)\b"
    r"|\b(?:and|then)\s+(?:just\s+)?(?:vanish|disappear)(?:ed|s|es)?\b|\bnever\s+(?:see|saw|seen)\s+(?:them|him|her)\s+again\b"
    # slowness as a habit (present tense: a one-off "took ages" is a complaint about a job)
    # ("it takes forever to get through to the call centre" is about the line, not the people on it)
    r"|(?<!\bit\s)(?<!\bthat\s)(?<!\bthis\s)(?<!\bwhich\s)"
    r"\b(?:take|takes|taking)\s+(?:forever|an\s+age|an\s+eternity|ages|donkey'?s\s+years|a\s+lifetime)\b"
    r"|\bdrag(?:s|ging)?\s+(?:their|his|her)\s+(?:feet|heels)\b|\bsnail'?s\s+pace\b"
    r"|\b(?:speed|pace)\s+of\s+an?\s+(?:glacier|snail|sloth|tortoise|slug)\b"
    # going through the motions
    r"|\b(?:(?:do|does|doing|did)\s+)?(?:the\s+)?(?:bare|absolute)\s+minimum\b"
    r"|\b(?:go|goes|going|went)\s+through\s+the\s+motions\b"
    r"|\btick(?:s|ing)?\s+(?:their|his|her)\s+(?:own\s+)?boxes\b|\btick(?:s|ed)?\s+a\s+box\s+(?:\w+\s+){0,3}?and\b"
    r"|\bbox[\s-]?tick(?:ing|ers?)\b|\band\s+call\s+it\s+(?:a\s+day|done|sorted|fixed|cleaned|finished)\b"
    r"|\blog(?:s|ged)?\s+it\s+and\s+(?:forget|forgets|forgot|file|files|filed|bin|bins|binned|ignore|ignores)\b"
    r"|\btoken\s+(?:wipe|effort|gesture|visit|sweep|clean|look|glance)\b"
    # time put into anything but the work
    r"|\b(?:spend|spends|spent|spending|put|puts|putting)\s+(?:more|longer)\s+(?:\w+\s+){0,10}?than\s+(?:on\s+|into\s+|in\s+)?"
    r"(?:the\s+actual\s+|actually\s+|any\s+)?(?:\w+ing\s+(?:the|our|my|your|any|a|jobs?|repairs?|grass)\b|"
    r"(?:the\s+)?(?:jobs?|work|repairs?|estates?|tenants|residents|flats|homes)\b)"
    # promises not kept
    r"|\bpromis(?:e|es|ed|ing)\s+(?:\w+\s+){0,3}?(?:the\s+world|the\s+earth|the\s+moon|everything)\b"
    r"(?!\s+(?:would|will|was|is|'ll|had|has|should|could))"
    r"|\bdeliver(?:s|ed)?\s+(?:nowt|nothing|zilch|sod\s+all)\b"
    r"|\b(?:never|don't|doesn't|didn't|dont|doesnt|didnt)\s+(?:ever\s+)?follow(?:s|ed)?\s+(?:it\s+)?(?:through|up)\b"
    r"|\ball\s+mouth\b|\b(?:they|he|she)\s+never\s+(?:do|does|did)\s*(?=[.!?]|$)"
    # knowing nothing: "they know nothing", "haven't a scooby"
    r"|\b(?:they|he|she)\s+(?:know|knows|knew)\s+(?:nothing|nowt|sod\s+all|zilch|bugger\s+all)\b|\bscooby\b"
    # pay out of proportion
    r"|\bon\s+(?:big|huge|fat|silly|massive|six[\s-]figure|telephone[\s-]number)\s+(?:money|salaries|salary|wages?|pay)\b"
    r"|\braking\s+(?:it\s+)?in\b|\brakes?\s+it\s+in\b|\b(?:fat|huge|six[\s-]figure|massive|obscene|eye[\s-]watering)\s+(?:salaries|salary|"
    r"bonuses|pay\s*(?:packets?|cheques?|rises?)?)\b|\bpaid\s+(?:handsomely|a\s+fortune|a\s+packet|a\s+small\s+fortune)\b"
    # manner
    r"|\b(?:far\s+|way\s+|much\s+|a\s+bit\s+|too\s+)*too\s+(?:pushy|bossy|heavy[\s-]handed|blunt|abrupt|curt|brusque|"
    r"sharp|harsh|aggressive|familiar|short)\s+with\b"
    r"|\b(?:pushy|bossy|brusque|abrupt|curt|snippy|snappy|off[\s-]?hand|heavy[\s-]handed|high[\s-]handed|"
    r"officious|belittling|dismissive|rude|short|sharp)\s+(?:and\s+\w+\s+)?with\s+(?:anyone|everyone|people|us|me|"
    r"tenants|residents|customers|the\s+(?:older|elderly|old|young)|young|older|old)\b"
    r"|\b(?:pushy|bossy|brusque|snippy|officious|off[\s-]?hand)\b"
    r"|\bego\s+trip\b|\btalks?\s+over\s+(?:everyone|everybody|people|us|me|residents|tenants)\b"
    r"|\bnever\s+lets?\s+(?:you|anyone|people|us|me)\s+(?:finish|speak|get\s+a\s+word)\b"
    r"|\b(?:have|has|had|needs?)\s+a\s+(?:quiet\s+|serious\s+|firm\s+)?word\s+with\s+(?:[\w']+\s+){1,3}?about\s+"
    r"(?:how|the\s+way)\b"
    r"|\b(?:speaks?|spoke|talks?|talked|treats?|treated)\s+(?:down\s+)?(?:to\s+)?(?:every|all|any|the|our|older|elderly|"
    r"young)?\s*(?:\w+\s+)?(?:residents?|tenants?|customers?|people|pensioners|mums|dads)\s+(?:\w+\s+){0,3}?like\s+"
    r"(?:a\s+|an\s+)?(?:toddlers?|children|kids|child|idiots?|dirt|muck|rubbish|criminals|beggars|simpletons?)\b"
    r"|\bsigh(?:s|ed|ing)?\s+(?:down\s+the\s+phone|at\s+(?:you|us|me|people))\b"
    r"|\b(?:like|as\s+if|as\s+though)\s+(?:you're|you\s+are|we're|we\s+are|i'm|i\s+am)\s+(?:ruining|spoiling|wasting|"
    r"interrupting)\s+(?:their|his|her)\b"
    # ignoring people
    r"|\bnever\s+(?:repl(?:y|ies|ied)|answers?|answered|responds?|responded|gets?\s+back|got\s+back)\s+(?:to\s+)?"
    r"(?:a\s+single|anyone|anybody|any|us|me|people|tenants|residents|our|my)\b"
    r"|\bignor(?:es|ed|ing)\s+(?:every|all|any|most|half)\s+(?:\w+\s+)?(?:messages?|emails?|posts?|questions?|comments?|"
    r"calls?|complaints?|letters?|one|tenants?|residents?)\b"
    # work dismissed as empty
    r"|\b(?:all|pure|nothing\s+but|full\s+of|total|utter)\s+(?:pr\s+)?(?:fluff|gloss|waffle|guff|puff|hot\s+air)\b"
    r"|\bno\s+substance\b|\bstyle\s+over\s+substance\b|\bwindow\s+dressing\b|\bsays?\s+nothing\s+at\s+all\b"
    # "for once": told to do the job they are paid for
    r"|\b(?:get\s+out|talk|listen|speak|answer|reply|turn\s+up|show\s+(?:up|(?:her|his|their)\s+faces?)|come\s+(?:out|down|round)|"
    r"pick\s+up|do\s+(?:some|(?:her|his|their|your)\s+\w+))\b[^.!?]{0,60}?\bfor\s+once\b"
    # Round 11b (kinds read on probe 7, written after round 11 in other words). Absence in other words:
    # "never anywhere to be found", "can't be found after 3pm", "never available", "always in a meeting",
    # "only turns up when there's a photo", "never seen him once".
    r"|\b(?:never|not|nowhere)\s+(?:anywhere\s+)?to\s+be\s+(?:found|seen)\b"
    r"|\b(?:can't|cannot|can\s+never|never)\s+be\s+(?:found|reached|contacted|got\s+hold\s+of)\b"
    r"|\b(?:never|rarely|hardly\s+ever)\s+(?:available|contactable|reachable|about|around|in\s+the\s+office)\b"
    r"|\balways\s+['\"]?(?:in\s+a\s+meeting|on\s+(?:a\s+)?(?:break|holiday|leave|lunch)|out\s+of\s+the\s+office)"
    r"|\bonly\s+(?:turns?|turned|shows?|showed)\s+up\s+(?:when|for)\b"
    r"|\bnever\s+(?:seen|met|heard\s+from)\s+(?:him|her|them)\s+(?:once|at\s+all|in)\b"
    # not doing the visit: "turned up, shrugged and went home", "in and out in five minutes"
    r"|\bshrug(?:s|ged)?\b(?:[^.!?]{0,30}\b(?:went|go|goes|left|leave|leaves)\b)"
    # ("in and out in 20 minutes and tidied up" is praise: only with nothing done)
    r"|\bin\s+and\s+out\s+in\s+(?:\w+\s+)?(?:minutes?|mins?|seconds)\s+(?:and|but|with)\s+(?:nothing|never|didn't|did\s+not|"
    r"hadn't|not|no)\b"
    r"|\bleave\w*\s+half\s+(?:the|of\s+the|a)\b|\bleft\s+half\s+(?:the|of\s+the|a)\b"
    # the runaround in other words: "pass you from pillar to post", "passed from one to another"
    r"|\bpillar\s+to\s+post\b|\bpass(?:es|ed|ing)?\s+(?:you|us|me|people)\s+(?:around|about|from)\b"
    # blaming tenants: "always blame the tenant", "blamed my lifestyle"
    r"|\bblam(?:e|es|ed|ing)\s+(?:the\s+tenants?|tenants|the\s+residents?|residents|us|me|my\s+(?:lifestyle|family|kids|"
    r"washing|cooking|breathing))\b"
    # their own pay or targets first: "vote themselves pay rises", "care more about their targets than the tenants"
    r"|\b(?:vote|votes|voted|give|gives|gave|award|awards|awarded)\s+themselves\s+(?:\w+\s+)?(?:pay|rises?|bonuses|raises?)\b"
    r"|\bcare(?:s|d)?\s+more\s+about\s+(?:[\w']+\s+){1,4}?than\s+(?:the\s+|their\s+)?(?:tenants|residents|people|us|"
    r"the\s+people|anyone|folk)\b"
    # canned replies and silencing: "copies and pastes the same reply", "read off a script", "blocked me for asking"
    r"|\bcop(?:y|ies|ied)\s+and\s+past(?:e|es|ed)\b|\bsame\s+(?:\w+\s+)?(?:reply|response|answer)\s+to\s+(?:everyone|everybody|"
    r"every|all)\b|\b(?:read|reads|reading)\s+(?:off|from)\s+a\s+script\b"
    r"|\b(?:block(?:s|ed)?|ban(?:s|ned)?|delet(?:e|es|ed))\s+(?:me|us|people|anyone|tenants|residents|(?:my\s+|our\s+|people's\s+)?(?:comments|posts))\s+"
    r"(?:for|just\s+for)\s+(?:asking|complaining|questioning|saying|pointing)\b"
    # a promise to come and no show: "promised to come and not shown", "said he'd ring and never did"
    r"|\bpromis(?:e|es|ed)\s+(?:to\s+)?(?:\w+\s+){0,4}?and\s+(?:not|never|didn't)\s+(?:shown|showed|turned|come|came|rung|"
    r"rang|called|bothered|done|did)\b"
    # told to stop the show and do the job: "needs to stop posting pictures and read her messages"
    r"|\bneeds?\s+to\s+stop\s+\w+ing\b[^.!?]{0,40}?\band\s+(?:read|answer|reply|do|start|listen|get|deal|sort)\b"
    # deciding for tenants without them: "make decisions about our homes without ever asking us"
    r"|\bwithout\s+(?:ever\s+|even\s+)?(?:asking|consulting|listening\s+to|talking\s+to|telling)\s+(?:us|tenants|residents|"
    r"anyone|the\s+people)\b"
    # sarcasm about conduct: "very mature", "how professional"
    r"|\b(?:very|so|how|real|really)\s+(?:mature|grown[\s-]up|professional)\s*(?:[.!?]|$)"
)
_JUDGEMENTS = (_JUDGEMENT, _CONDUCT)
# A judgement that is about doing a job, so a person's name alone is enough for it ("ask Tom Fairbrother
# why he's so bad at his job").
_JOB_JUDGEMENT = re.compile(
    r"\b(?:bad|useless|rubbish|hopeless|terrible|awful|shocking|incompetent)\s+at\s+(?:his|her|their|your)\s+"
    r"(?:job|work)\b|\b(?:can't|cannot|can not|doesn't|don't|never)\s+do\s+(?:his|her|their|your)\s+(?:job|work)\b"
    # told to do it: "needs to stop hiding behind the page and do her job properly"
    r"|\b(?:needs?|ought|should|has|have|try)\s+to\s+(?:\w+\s+){0,7}?do\s+(?:his|her|their|your)\s+(?:job|work)\s+"
    r"(?:properly|for\s+once|right)\b"
)
_CAPITAL_NAME = re.compile(r"\b(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+[A-Z][a-z]+|[A-Z][a-z]+\s+[A-Z][a-z]+)\b")
# "I've been a useless tenant", "I'm not saying the caretaker is lazy": the author judging themselves,
# or a disclaimer, not a criticism of staff.
_SELF_JUDGED = re.compile(
    r"\b(?:i'm|im|i am|i was|i have been|i've been|ive been|i felt|i feel)\s+(?:(?:a|an|so|such|such\s+a|being|"
    r"really|totally|completely|bit|a\s+bit|very|too)\s+)*(?:[\w'-]+\s+)?$|\bi\s+(?:\w+\s+){0,2}?(?:myself|my\s+own)\b"
    r"|\b(?:i|we)(?:'d|'ve|\s+had|\s+have|\s+just|\s+probably)?\s+$"
)
_DISCLAIMER = re.compile(r"\b(?:not|never|wouldn't|won't)\s+(?:saying|say|said|calling)\b[^.!?]{0,60}$")


# "Someone wrote that the surveyor is useless but she helped me loads": another person's criticism,
# reported in order to defend the member of staff, is not the author's criticism.
_SAID = re.compile(
    # "someone on the estate page said ...": up to four words placing them
    r"\b(?:(?:someone|somebody|people|others)(?: [\w']+){0,4}?|they|some|"
    r"(?:my|our) (?:neighbour|mate|friend|mum|dad|sister|brother|son|daughter|husband|wife|partner|nan|gran)s?|"
    # "a bloke in the chippy called the housing officer...": a stranger, named by what they are.
    r"(?:a|this|some) (?:bloke|man|woman|lady|lad|guy|fella|neighbour|customer|tenant|person)(?: [\w']+){0,4}?)"
    r"\s+(?:wrote|said|says|say|posted|claimed|reckons?|called|calls)\b"
)
_DEFENCE = re.compile(
    # Round 11: the author answering it ("I put him right", "she's owed an apology", "has done everything she can").
    r"\b(?:(?:put|set)\s+(?:him|her|them)\s+(?:right|straight)|(?:owed|deserves?|due)\s+an\s+apology|"
    r"(?:done|did|does)\s+everything\s+(?:she|he|they)\s+(?:can|could)|(?:been\s+)?(?:nothing\s+but\s+)?straight\s+with|"
    r"looked\s+after\s+(?:us|our|me|the)|"
    r"(?:found|find|finds)\s+(?:him|her|them)\s+(?:\w+\s+)?(?:lovely|great|helpful|kind|fine|brilliant|polite|fair|decent|"
    r"friendly)|"
    r"but (?:(?:honestly|actually|really|to be fair|in fairness),? )?(?:she|he|they)|not true|unfair|be fair|helped|"
    r"was lovely|was kind|so kind|"
    r"nothing but (?:kind|helpful|lovely|good)|(?:has|have|'s|'ve) (?:always )?been (?:kind|lovely|great|brilliant|helpful))\b"
)


def reported_in_defence(text: str) -> bool:
    """The comment reports someone else's criticism of staff and defends them (normalised text)."""
    said = _SAID.search(text)
    return bool(said and _DEFENCE.search(text, said.end()))


def said_then_defended(text: str, start: int, end: int) -> bool:
    """Someone else's words reported just before the span, in its sentence, and answered after it."""
    said = [m for m in _SAID.finditer(text, max(0, start - 90), start)]
    if not said or re.search(r"[.!?\n]", text[said[-1].end() : start]):
        return False
    return bool(_DEFENCE.search(text, end))


def _defended(ctx: Context, start: int, end: int) -> bool:
    before = ctx.text[max(0, start - 40) : start]
    return bool(_SAID.search(before) and _DEFENCE.search(ctx.text[end:]))


def find_staff_criticism(ctx: Context) -> list[Flag]:
    targets = _targets(ctx)
    if not targets:
        return _named_for_the_job(ctx)
    compiled = ctx.config.compiled
    criticisms = [
        (c.start(), c.end())
        for pattern in (compiled["staff_criticism"], *_JUDGEMENTS)
        for c in pattern.finditer(ctx.text)
        if not ctx.negated(c.start()) and not _own_or_disclaimed(ctx, c.start())
    ]
    # An insult said of the person (issue 10, round 7): "a bunch of numpties", "a nasty piece of work",
    # "wouldn't know a blocked drain if he fell in one", "a cowboy".
    insults = [(m.start(), m.end()) for m in compiled["insults"].finditer(ctx.text)]
    insults += [insult_span(m) for m in find_insults(ctx)]
    insults = [
        (a, b)
        for a, b in insults
        if not ctx.negated(a) and not ctx.reported(a, b) and not _own_or_disclaimed(ctx, a)
    ]
    aimed = {(a, b) for a, b in insults if aimed_at_person(ctx, a, names=False)}
    for start, end, score, source in targets:
        for c0, c1 in criticisms + [
            i for i in insults if i in aimed or (end <= i[0] and said_of(ctx, end, i[0]))
        ]:
            if ctx.same_sentence(start, c0) and abs(c0 - start) <= 90:
                lo, hi = min(start, c0), max(end, c1)
                if _defended(ctx, lo, hi):
                    continue
                return [_flag(ctx, lo, hi, score, source)]
    carried = _carried(ctx, targets, criticisms)
    if carried is not None:
        return [carried]
    return _named_for_the_job(ctx)


# Round 11 (a kind read on the retired fresh4 slice): the judgement comes a sentence or two after the person
# or team it is about, in a fragment or with a pronoun for them ("Their officers promise the earth. All
# mouth.", "Ask Kathryn about it. She never replies to anyone.", "... Talk to us for once.").
_BACK = re.compile(
    r"(?:they|he|she|them|their|his|her|all|just|pure|total|utter|absolute|never|nothing|not|typical|talk|listen|"
    r"get|do|try|stop|come|show|answer|reply|pick|sort)\b"
)
_SENTENCE_START = re.compile(r"[.!?\n;]+\s*")
_OWN_SUBJECT = re.compile(r"(?:the|a|an|my|our|your|this|that|it|i|we|you)\b")


def _carried(
    ctx: Context, targets: list[tuple[int, int, float, str]], criticisms: list[tuple[int, int]]
) -> Flag | None:
    for c0, c1 in criticisms:
        starts = [m.end() for m in _SENTENCE_START.finditer(ctx.text, 0, c0)]
        if not starts:
            continue
        opening = starts[-1]
        close = _SENTENCE_START.search(ctx.text, c1)
        words = ctx.text[opening : close.start() if close else len(ctx.text)].split()
        # a fragment ("All mouth.", "Useless, the lot.") counts; "The repair never happened." has its own subject
        fragment = len(words) <= 4 and not _OWN_SUBJECT.match(ctx.text, opening)
        if not (_BACK.match(ctx.text, opening) or fragment):
            continue
        for start, end, score, source in targets:
            gap = ctx.sentence(c0) - ctx.sentence(start)
            if 1 <= gap <= 2 and c0 - end <= 150 and not _defended(ctx, start, c1):
                return _flag(ctx, start, c1, score, source)
    return None


# "Spotless, polite and took their boots off": praise of the people who did the work, with no judgement
# of them, is not criticism whatever the semantic head's score (round 11, a false flag read on fresh4).
_PRAISE = re.compile(
    r"\b(?:spotless|polite|courteous|tidy|friendly|lovely|brilliant|fantastic|excellent|helpful|professional|"
    r"patient|kind|thorough|respectful|prompt|punctual|cheerful|first\s+class|top\s+marks|10/10|a\s+credit|"
    r"went\s+above\s+and\s+beyond|couldn't\s+fault|could\s+not\s+fault|can't\s+fault|gems?|stars?|diamonds?)\b"
)
# ("more helpful traffic wardens than your staff": a comparison that praises someone else)
_CONTRAST = re.compile(
    r"\b(?:but|however|although|though|except|shame|pity|yet|apart\s+from|than|another|again|as\s+usual|typical)\b"
)


def praises(ctx: Context) -> bool:
    """Praise of staff and no judgement, insult or contrast anywhere in the comment (for the semantic head).
    Praise that is negated ("not polite") or opens the comment ("Lovely, another call handler who ...", so
    often sarcasm) does not count."""
    praised = [m for m in _PRAISE.finditer(ctx.text) if m.start() > 0 and not ctx.negated(m.start())]
    if not praised or _CONTRAST.search(ctx.text):
        return False
    return _unjudged(
        ctx, ctx.config.compiled["staff_criticism"], ctx.config.compiled["insults"], *_JUDGEMENTS
    )


def only_self_judged(ctx: Context) -> bool:
    """Every judgement in the comment is the author's of themselves or disclaimed ("I was lazy and never
    rang the officer back", "not saying the receptionist is rude"), so it criticises no member of staff."""
    starts = [
        m.start()
        for p in (ctx.config.compiled["staff_criticism"], *_JUDGEMENTS)
        for m in p.finditer(ctx.text)
    ]
    return bool(starts) and all(_own_or_disclaimed(ctx, s) for s in starts)


def _own_or_disclaimed(ctx: Context, start: int) -> bool:
    before = ctx.text[max(0, start - 80) : start]
    return bool(_SELF_JUDGED.search(before) or _DISCLAIMER.search(before))


def _named_for_the_job(ctx: Context) -> list[Flag]:
    """A judgement of how someone does their job beside a person's full name, with no job title needed."""
    if ctx.norm.offsets is not None:
        return []  # the name is read on the original words, so only where offsets are the text's
    for m in _JOB_JUDGEMENT.finditer(ctx.text):
        if ctx.negated(m.start()) or _own_or_disclaimed(ctx, m.start()):
            continue
        for name in _CAPITAL_NAME.finditer(ctx.original):
            words = set(name.group().lower().split())
            near = name.end() <= m.start() and m.start() - name.end() <= 40
            if (
                near
                and not words & NOT_NAMES
                and ctx.same_sentence(name.start(), m.start())
                and not _defended(ctx, name.start(), m.end())
            ):
                return [_flag(ctx, name.start(), m.end(), 0.75, "staff_criticism.named_person")]
    return []


def _flag(ctx: Context, lo: int, hi: int, score: float, source: str) -> Flag:
    return ctx.flag(
        "staff_criticism",
        lo,
        hi,
        score=score,
        source=source,
        explanation="Criticises a member of staff, board or panel by name or role in public, "
        "which GP014 2.3 (third bullet) asks people to raise with us directly instead.",
    )
