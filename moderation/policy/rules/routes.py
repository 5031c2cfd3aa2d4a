"""GP014 2.4: things to take offline - repairs, complaints and personal issues (at most one).

Precedence: safeguarding (urgent) > complaint > personal issue > repair. A complaint wins over a
repair because the Housing Ombudsman's Complaint Handling Code expects complaints made on social
media to be recognised as complaints.
"""

from __future__ import annotations

import dataclasses
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
# An organisation's announcement ("Free advice on damp at the roadshow", "Disability awareness week:
# how we're making our homes accessible") is not someone's own repair or personal issue.
_ANNOUNCEMENT = re.compile(
    r"\b(?:awareness week|event|drop-?ins?|sessions?|roadshow|collection|awareness|advice|tips|workshop|join us|"
    r"volunteers?|welcome|fundraiser|coffee morning|you can report|report (?:a )?repairs? (?:here|online)|"
    r"invoice|raffle|raised|fundrais\w*|donations?|bake sale|sponsored|campaigns?|"
    # A warning to neighbours: "Be careful of cold callers offering roof work".
    r"be careful of|beware of|watch out for|be aware of|heads up (?:everyone|all|folks|neighbours)|psa|"
    # Havebury's own post: "Havebury Homes: tenants can get free help with benefit claims".
    r"^havebury(?: homes)?:|(?:tenants|residents|you) can (?:get|apply|claim|book|find|ask))\b"
)
_SINGULAR_FIRST = re.compile(r"\b(?:i|i'm|im|i've|ive|i'd|my|me|mine)\b")
_COMPLAINTS_ROLE = re.compile(r"\s+(?:officer|team|manager|department|handler|lead|staff)\b")  # a job title
# Round 8: a complaint word that is not about our service. "Ignored it" is what the author did with a scam
# text; "you are a disgrace" is an insult aimed at another commenter (the harassment rule's).
_AUTHOR_IGNORED = re.compile(r"(?:^|[.!?\n;]\s*|\b(?:i|we|i'?ve|we'?ve|just)\s+)$")
_AT_SOMEONE = re.compile(
    r"\b(?:you|u|ya)(?:'re|re| are| r)\s+(?:(?:such|a|an|an absolute|a complete|a total|an utter|a right)\s+)*$"
)

_OF_A_PERSON = re.compile(
    r"\s+(?:of|to)\s+(?:a|the)\s+(?:human|man|woman|person|mother|father|parent|human race)\b"
)


_CANT_BEFORE = re.compile(
    r"\b(?:can'?t|cannot|couldn'?t|no need to|nothing to|never had to|not a|isn'?t a|not making a|it'?s not a|no)\s+$"
)
# "My mental health has gone downhill": the author's own health, not our service.
_HEALTH_BEFORE = re.compile(
    r"\b(?:my|his|her|our|their) (?:\w+'s )?(?:mental )?(?:health|memory|eyesight|mobility|condition|hearing|nerves)\s+"
    r"(?:has |have |is |'s )?$"
)
# "nobody cares what you think": a put-down of another commenter's opinion, not of our service.
_YOUR_OPINION = re.compile(r"\s*(?:what|for|about)\s+(?:you|your|ur|u)\b")


def _not_about_service(ctx: Context, cue: re.Match[str]) -> bool:
    before = ctx.text[max(0, cue.start() - 40) : cue.start()]
    if cue.group().startswith(("nobody", "no one")) and _YOUR_OPINION.match(ctx.text, cue.end()):
        return True
    if _HEALTH_BEFORE.search(before):
        return True
    if _CANT_BEFORE.search(before):
        return True  # "can't complain", "nothing to complain about": content
    if cue.group() == "ignored" and _AUTHOR_IGNORED.search(before):
        return True
    return bool(_AT_SOMEONE.search(before) and _OF_A_PERSON.match(ctx.text, cue.end()))


# Awaab's Law: damp, mould, leaks or no heat that affect a child's or a vulnerable person's health
# are hazards a social landlord must investigate and fix within set timescales.
_HAZARD = re.compile(
    r"\b(?:damp|mou?ld\w*|black mou?ld|condensation|fung\w*|mildew|leak\w*|water (?:coming|pouring|dripping)\w*|"
    r"soak\w*|wet walls|walls are wet|no heat(?:ing)?|heating\b[^.!?]{0,25}\b(?:off|broken|packed|failed|gone|"
    r"not working|cutting out|cuts out|tripping|trips|conked)|boiler\b[^.!?]{0,25}\b(?:failed|broken|packed|gone|not working|"
    # round 11: "her boiler keeps cutting out", "keeps tripping", "went off on Tuesday"
    r"cutting out|cuts out|tripping|trips|conked|keeps going off|went off|gone off)|radiators?\b[^.!?]{0,20}\bcold|"
    # "cold" of a home, not of a person's manner ("cold and heartless", "the cold shoulder") or an illness ("a cold").
    r"(?<!\ba )(?:freezing|cold)(?!-hearted|\s+(?:and\s+)?(?:heartless|hearted|shoulder|calls?|callers?|rude|"
    r"dismissive|unfriendly|manner|tone|attitude|sores?)\b))\b"
)
_VULNERABLE = re.compile(
    r"\b(?:child|children|kids?|baby|babies|newborn|toddler|son|daughter|grandson|granddaughter|"
    r"nursery|cot|pregnant|asthma\w*|copd|bronchi\w*|chest infections?|weak chest|wheez\w*|cough\w*|"
    r"breathing|lungs?|sickle cell|eczema|hospital|gp|doctor|health visitor|disabled|disability|"
    r"wheelchair|walking frame|frail|elderly|pensioners?|carer|cancer|ill|poorly|"
    # An elderly relative, or a weak immune system: "my nan is 88", "shot from chemo".
    r"nan|nana|nanna|gran|granny|grandma|grandad|grandpa|grandparents?|chemo\w*|immune|immunocompromised|"
    r"dialysis|kidneys?|heart (?:failure|condition|problems?)|oxygen|surgery|operation|"
    r"(?:i'?m|i am|aged) (?:[7-9]\d|1\d\d)|"
    # round 11: someone else's age ("my mother is 91", "dad's 87", "she's turned 90")
    r"(?:is|'s|was|turned|turning|just turned) (?:[8-9]\d|1\d\d)(?! (?:quid|pounds|pence|minutes|days|weeks|percent))|"
    # "my 84 year old mum", "a 90-year-old neighbour"
    r"(?:[7-9]\d|1\d\d)[\s-]?(?:years?|yrs?)[\s-]?old)\b"
)
# "Fixed the leak in an hour, thank you": praise for a repair already done is not a repair to take offline.
_PRAISE = re.compile(
    r"\b(?:thank(?:s| you)?|cheers|brilliant|fab(?:ulous)?|great|lovely|well done|credit|top marks|"
    r"shout ?out|marvell?ous|wonderful|fair play|polite|gent|amazing|kudos|pleased|happy|spotless|"
    r"legend|diamond|star|superb|excellent|fantastic|spot on|first class|top job|grand job|cracking|"
    r"impressed|grateful|hero|"
    # Round 11: praise in other voices ("dead good service", "mint job", "can't fault them", "ace", "10/10").
    r"dead good|(?:proper|really|dead|absolutely) (?:sound|ace|champion|mint)|(?:ace|mint|champion) (?:job|service|work|lads?|"
    r"team|bloke|fella)|(?:was|were|is|are) (?:ace|mint)|top drawer|can'?t fault|"
    r"(?:best|nicest|kindest) (?:landlord|service|housing|team|lads?|engineer|caretaker)|10/10|ten out of ten|"
    r"much obliged|"
    r"(?<=[.!?] )sound(?=\W*$)|^sound)\b"
)
_DONE = re.compile(
    r"\b(?:fixed|sorted|repaired|mended|treated|replaced|painted|(?<!well )done|came|sent|completed|was fine|"
    r"been fine|no sign|dealt with|seen to|cleared|fix(?:ed)? (?:it|them|everything)|(?:after|since) the "
    r"(?:fix|repair|repairs|work|job|visit)|back on|going again|working again|ever since|long gone|"
    # In hand, with thanks: "survey booked for Thursday, thanks for the quick reply".
    r"booked (?:in|for)|arranged for|helped (?:me|us|my \w+)|"
    # "did a cracking job on the leak", "fantastic job on the new kitchen", "not a drop since", "can finally"
    r"(?:did|done|made) (?:a|an|such a) (?:\w+ )?job|job on (?:the|our|my)|not a (?:drop|drip|peep|problem) since|"
    r"can finally|finally (?:warm|dry|working|works)|fitted|installed|"
    # "had it going by lunch", "got it working the same day", "up and running"
    r"(?:had|got) (?:it|them|everything) (?:going|working|running|sorted|fixed)|up and running)\b"
)
# A repair reported as finished, thanks or no thanks ("now cleared. All sorted.").
_RESOLVED = re.compile(
    # Not a hope: "no money until it's sorted", "once it's fixed".
    r"(?<!until )(?<!till )(?<!once )(?<!when )(?<!before )(?<!unless )\b(?:all (?:sorted|done|fixed|good now)|(?:is|are|was|were|it'?s|now) (?:now )?(?:cleared|fixed|sorted|"
    r"replaced|repaired|dry|dried out)|(?:has|have|it'?s|they'?ve) been (?:fixed|sorted|repaired|replaced|cleared|dealt with|"
    r"seen to)|nothing more (?:needed|to do|to report)|long gone|"
    # The story of a finished repair: "was treated last autumn and not a spot since".
    r"(?:was|were|got|had (?:it|them)) (?:treated|fixed|sorted|repaired|replaced|mended|resolved|cleared|dealt with)"
    r"|no more (?:damp|mou?ld|condensation|leaks?|draughts?|drips?|noise)|(?:all|it'?s|is|now) (?:quiet|peaceful|calm) now"
    # the fix has held (round 9): "hasn't come back", "never came back", "no bother since", "still bone dry"
    r"|(?:hasn'?t|has not|never|not|didn'?t)\s+(?:come|came|been)\s+back(?!\s+(?:to|for|and|round|out)\b)|"
    r"(?:no|not had any|never had any) (?:more )?(?:issues|problems|bother|trouble) since|"
    r"(?:still|stayed|kept) (?:bone |completely |totally )?dry"
    r"|not a (?:spot|drop|drip|sign|trace|mark|speck) (?:of it )?since|(?:now is|is now|it'?s now|now it'?s|all) "
    r"(?:fine|ok|okay|good|grand|perfect|working))\b"
)
_STILL_WRONG = re.compile(
    # "was broken" is how the story of a finished repair starts, not a defect still open.
    # "working again" and "but it was treated" tell of the fix, not of a fault still open.
    # "still bone dry", "hasn't come back" (round 9): the fix has held, nothing is wrong.
    r"\b(?:still(?!\s+(?:bone\s+|completely\s+|totally\s+)?(?:dry|fine|good|perfect|warm|working|lovely|grand|great|"
    r"spotless|sound)\b)|(?<!working )(?<!going )(?<!running )again|not working|stopped|won'?t|isn'?t|doesn'?t|don'?t|"
    r"hasn'?t(?!\s+(?:come|came|been)\s+back\b(?!\s+(?:to|for|and|round|out)\b))|"
    r"haven'?t|"
    r"(?<!was )(?<!were )(?<!the )broken|"
    r"no (?:heat|hot water)|"
    # "never came", "never fixed": a service that failed ("never forgot that" is a memory, not a fault).
    r"nobody|never\s+(?!(?:came|come|been)\s+back\b(?!\s+(?:to|for|and|round|out)\b))(?:came|come|turned|showed|arrived|fixed|sorted|heard|got|returned|rang|called|replied|"
    r"bothered|did|finished|done|been|works?|worked)|"
    r"but(?!\s+(?:the\s+)?\w+\s+(?:was|were|got|has|have|came|had|is|are|sorted|fixed|replaced|cleared|mended|"
    r"repaired|love|like|enjoy)\b)|now the|needs?|nothing'?s changed|nothing (?:has )?changed)\b"
)
# Sarcasm: a cheer at the start and a grievance after it ("Oh brilliant, rent up again...").
_SARCASM_OPEN = re.compile(
    r"^\W*(?:oh\s+)?(?:great|brilliant|fantastic|marvell?ous|wonderful|amazing|lovely|perfect|wow|"
    r"well done|cheers|thanks|thank you(?: so much)?|love (?:how|paying|that|the way)|ten out of ten|"
    r"top marks|nice one|such a great|what a great|splendid|super|superb|excellent|smashing|cracking|"
    # More cheers that open a grievance: "Fab.", "Top work as always", "Nice to see the new vans. Shame..."
    r"fab(?:ulous)?|stellar|bravo|top (?:work|job|notch)|great (?:stuff|job|work)|oh good|so glad|"
    r"(?:nice|lovely|good|great|glad) to (?:see|get|hear|know)|what a (?:surprise|shock)|(?:shock|surprise),? surprise|"
    # Round 11 (fresh4 kinds): an award for a failure ("A medal for whoever keeps losing my form"), "ah yes,
    # the famous...", "truly inspired to pay more for...".
    r"(?:a|another|the) (?:medal|gold star|trophy|prize|round of applause|award|pat on the back) for|"
    r"(?:ah|oh) yes|(?:truly|so|really) (?:inspired|honoured|blessed)|really feeling (?:that|the))\b"
)
_SARCASM_TAIL = re.compile(
    r"\b(?:five stars|gold star|record[- ]breaking|inspiring|consistency is key|great value|"
    r"keep up the good work|outstanding work|what a service|"
    # Round 11: a mock compliment on the failure itself, or a rhetorical "who needs a working X".
    r"must be (?:some (?:sort|kind) of |a )?record|(?:almost|practically|basically) (?:a skill|an art|lightning|"
    r"a miracle|a record)|who needs (?:a |an )?(?:working |proper )?\w+(?: \w+)? when|(?:carrier|homing) pigeon|"
    r"rowing boat|by (?:snail|pony express|horse and cart))\b"
    r"|[.!?]\s*(?:genius|classic|typical|priceless|standard)\W*$"
    # A cheer that closes a grievance: "...didn't come, rebooked for Friday, didn't come. Brilliant."
    r"|[.!]\s*(?:oh\s+)?(?:brilliant|great|fantastic|marvell?ous|lovely|wonderful|perfect|amazing|superb|cheers|"
    r"nice one|great service|top service|happy days|fab)\W*$"
)
_GRIEVANCE = re.compile(
    # "never looked so clean" is praise (round 11).
    r"\b(?:still|again|yet again|nobody|no one|never(?!\s+(?:looked|been|felt|seemed|smelt|smelled|sounded)\s+(?:so|this|as|better|"
    r"nicer|cleaner|tidier|good))|isn'?t|doesn'?t|don'?t|didn'?t|won'?t|hasn'?t|"
    r"falling apart|(?<!was )(?<!were )broken|rent(?:s)? (?:up|rise|increase|goes up)|rent rise|increase|lost|months|weeks|"
    r"hole|calls? to get nowhere|only took|not fixed|no reply|looked,? and left|paying more|goes down|"
    # Something out of use for a time, or a service that never comes: "out of action since Easter",
    # "six weeks without a working shower and counting", "shame none of them ever turn up".
    r"out of (?:action|order|use)|without (?:a |any )?(?:working|heat|heating|hot water|light)|and counting|"
    r"(?:shame|pity) (?:none|nobody|no one|they|you|it)|ever (?:turn|turns|turned|show|shows|showed) up|"
    r"must be a record|never happened|when (?:nobody|no one|the \w+ never)|who (?:could|would) have (?:predicted|guessed)|"
    # Money spent on show while the author goes without: "...while my ceiling grows mushrooms".
    r"while (?:i|we|my|our|tenants|residents|the rest of us) (?:\w+ ){0,3}(?:wait|waiting|sit|sitting|freeze|freezing|"
    r"grows?|growing|have no|go without|pay|paying|still))\b"
)

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


def _hazard_to_health(ctx: Context) -> Flag | None:
    text = ctx.text
    hazard = _HAZARD.search(text)
    if hazard is None or _INFORMATIONAL.search(text) or not _VULNERABLE.search(text):
        return None
    if _elsewhere_sentence(ctx, hazard.start()):
        return None  # mould in a child's room in the news, at another landlord's
    if praise_for_done_repair(text):
        return None
    return ctx.flag(
        "repair",
        hazard.start(),
        hazard.end(),
        score=0.85,
        source="route.repair.health_hazard",
        explanation=_EXPLAIN["repair"] + " Damp, mould, a leak or no heat is affecting a child's or a "
        "vulnerable person's health: Awaab's Law sets timescales to investigate and make it safe, so "
        "treat it as high priority.",
        clause="2.4",
        subtype="health_hazard",
    )


# Water coming in, for a repair the semantic layer found in words the hazard list lacks.
_WATER_IN = re.compile(r"\b(?:rain|water)\b[^.!?]{0,30}\b(?:in|through|down|onto|everywhere)\b")


def affects_health(text: str) -> bool:
    """Damp, mould, a leak, water coming in or no heat, with a child or vulnerable person named (Awaab's Law)."""
    hazard = _HAZARD.search(text) or _WATER_IN.search(text)
    return bool(hazard and _VULNERABLE.search(text) and not _INFORMATIONAL.search(text))


def announcement(text: str) -> bool:
    """Information or an announcement, not the author's own repair or circumstances."""
    return bool(_INFORMATIONAL.search(text)) or bool(
        _ANNOUNCEMENT.search(text) and not _SINGULAR_FIRST.search(text)
    )


# How to ask for information: "what's the number...", "how do i...", "can i...", "is there...".
_ASKING = re.compile(
    r"^\W*(?:hi\W+|hello\W+|please\W+)?(?:can|could|may|how do|how can|how would|where|what'?s the|what is the|"
    r"what time|when (?:is|does|do|will the)|is there|are there|does anyone|do you|who do|who should|which)\b"
)


# The author says it is no grievance: "nothing urgent, just a question about the garden".
_NOT_A_GRIEVANCE = re.compile(
    r"\b(?:nothing urgent|no rush|no hurry|just a (?:quick )?question|just wondering|just curious|not a complaint|"
    r"no complaints?|can'?t complain|nothing to complain about)\b"
)


# A service that failed, in the plainest words: the gate for a complaint the semantic head is only
# half sure of ("Left a voicemail every day this week, nothing back"; "hung up on me twice").
_SERVICE_FAILED = re.compile(
    r"\b(?:nothing back|no reply|no response|no answer|not a (?:dicky bird|word|peep|sausage|call)|no ?body (?:come|came)|"
    r"no one (?:come|came)|didn'?t (?:come|happen|turn up|show|ring|call)|doesn'?t (?:happen|turn up)|never (?:came|come|"
    r"happened|rang|called|turned up)|hung up|cut off|logging (?:me|us) out|twice|three times|again|still|every day|"
    r"(?:since|for) (?:\w+ ){0,2}(?:weeks|months|january|february|march|april|may|june|july|august|september|"
    r"october|november|december|spring|summer|autumn|winter|christmas|easter)|not even|without (?:a|any|even)|"
    r"different (?:things|people|answers|excuses)|useless|a joke|why (?:do|should|must) (?:i|we))\b|\breally\?"
)


def service_failed(text: str) -> bool:
    """Plain words of a service that failed, with nothing put right and no praise for it."""
    return bool(_SERVICE_FAILED.search(text)) and not settled_story(text) and not praise_for_done_repair(text)


def neutral_question(text: str) -> bool:
    """Asking for information, with no grievance in it ("what's the number to ring about a pendant alarm?")."""
    asking = ("?" in text and bool(_ASKING.search(text))) or bool(_NOT_A_GRIEVANCE.search(text))
    return asking and not _GRIEVANCE.search(text)


# Thanks aimed at someone, not sarcastic ("thanks for nothing", "thanks a lot for ignoring me").
_THANKS = re.compile(
    r"\b(?:thank(?:s| you)?|big thanks|credit|shout ?out|fair play|hats off|grateful|above and beyond|well done|"
    r"10/10|ten out of ten|can'?t fault|much obliged|a lifeline)\b"
    r"(?![^.!?]{0,12}\b(?:nothing|ignoring|wasting|not)\b)"
)


# "... the rudest person I have met. Thank you.": a polite sign-off, not thanks for anything.
_SIGN_OFF = re.compile(r"\W*(?:thank(?:s| you)|cheers|many thanks|regards)\W*(?:\w+\W*){0,3}$")


def thanks_someone(text: str) -> bool:
    """Sincere thanks: a thank-you word, not for nothing nor a sign-off, and no grievance in the comment."""
    sign_off = _SIGN_OFF.search(text)
    body = text[: sign_off.start()] if sign_off else text
    return bool(_THANKS.search(body)) and not _GRIEVANCE.search(text) and not _STILL_WRONG.search(text)


def praises(text: str) -> bool:
    """A word of thanks or praise: what a compliment needs besides the compliment head's say-so."""
    return bool(_PRAISE.search(text))


def sincere_praise(text: str) -> bool:
    """Round 11: praise with no grievance, wait, failure or mock verdict anywhere in it ("Best landlord I've
    had by a mile", "Dead good service, fixed in two days. Sound."): not a complaint, whatever a head reads."""
    return (
        praises(text)
        and not _SARCASM_OPEN.search(text)  # "Oh brilliant, another automated email": the head may be right
        and not _GRIEVANCE.search(text)
        and not _STILL_WRONG.search(text)
        and not _SERVICE_FAILED.search(text)
        and not _SARCASM_GRIEVANCE.search(text)
        and not _SARCASM_TAIL.search(text)
        and not _MOCK_VERDICT.search(text)
    )


def praise_for_done_repair(text: str) -> bool:
    """Praise for a repair already done, or a repair reported as finished: not one to take offline."""
    done = bool(_PRAISE.search(text) and _DONE.search(text)) or bool(_RESOLVED.search(text))
    return done and not _STILL_WRONG.search(text)


# After a cheer, a plain negative is the grievance too ("Gold star Havebury, my bins haven't been
# collected in a month", "Cheers for the card. Would've preferred a working front door").
_AFTER_CHEER = re.compile(
    r"\b(?:haven'?t|aren'?t|wasn'?t|weren'?t|in (?:a|over a) (?:month|year)|would(?:'?ve| have) (?:preferred|rather|liked)|"
    r"rather have had)\b"
)


# "Again" after something put back is good news, not a grievance: "lovely to see the garden open again"
# ("rent up again" stays one).
_RESTORED = re.compile(
    r"\b(?:open|reopened|working|running|lit|fixed|sorted|restored)\s+(?:\w+\s+)?(?:again|yet again)\s*$"
)


# Round 11: what the mock praise is about - a thing lost, a count of tries, a wait, a day wasted, nobody
# coming, something hanging off since a date ("losing my paperwork for the third time", "six different
# people", "a whole day off work for nothing", "not a single van").
_SARCASM_GRIEVANCE = re.compile(
    r"\b(?:los(?:ing|es|t)|(?:second|third|fourth|fifth|sixth|umpteenth) (?:time|copy|attempt|letter|visit|engineer)|"
    r"(?:two|three|four|five|six|seven|eight|\d+) (?:different (?:people|engineers|officers|numbers|departments)|"
    r"times|visits|calls)|from scratch|(?:a )?(?:completely |totally )?different (?:answer|story|excuse|person|reply)|outstanding (?:for|since)|(?:one |a )?whole (?:year|month|week)|anniversary|for nothing|(?:whole|entire) day|not (?:a|one) single|hold music|on hold|"
    r"cut off|hung up|(?:hanging|broken|leaking|blocked|out|off|down|like that)\b[^.!?]{0,30}\bsince|out of order|nobody|no one|"
    r"(?:weeks?|months?|years?) (?:for|after|waiting|of waiting))\b"
)


_MOCK_VERDICT = re.compile(r"[.!?]\s*(?:genius|classic|typical|priceless)\W*$")


def _sarcastic_complaint(ctx: Context) -> Flag | None:
    text = ctx.text
    opener = _SARCASM_OPEN.search(text) or _SARCASM_TAIL.search(text)
    grievance = any(not _RESTORED.search(text, 0, m.end()) for m in _GRIEVANCE.finditer(text))
    grievance = grievance or bool(opener is not None and _SARCASM_GRIEVANCE.search(text))
    if (
        opener is not None
        and _MOCK_VERDICT.search(text)
        and ctx.config.compiled["repair_defects"].search(text)
    ):
        grievance = True  # "So the fix for my draughty window is tape? Genius.": the verdict mocks a repair
    if opener is None or not (grievance or _AFTER_CHEER.search(text)):
        return None
    return ctx.flag(
        "complaint",
        opener.start(),
        opener.end(),
        score=0.7,
        source="route.complaint.sarcasm",
        explanation=_EXPLAIN["complaint"]
        + " The praise is sarcastic: the rest of the comment is a grievance.",
        clause="2.4",
    )


# Issue 10, round 9: a complaint shows by what happened, not only by a complaint word. A promise and the
# time since ("We were promised it by Friday. That was three Fridays ago"; "promised a call within 48
# hours, still waiting"), or asking again and again with no answer ("asked the same question three times",
# "every time I ring I get cut off", "before anyone bothers to respond").
_PROMISED = re.compile(
    r"\b(?:promised|assured|guaranteed|(?:said|told (?:me|us)|(?:i|we) (?:was|were) told)\s+(?:\w+\s+){0,4}"
    r"(?:would|will|was going to)|told (?:i|we)'?d)\b"
)
_SINCE = re.compile(
    r"\b(?:ago|later|still|yet to|and nothing|nothing since|never|not (?:a word|a peep|heard)|heard nothing|"
    r"(?:it'?s|its) (?:now )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|been \w+ (?:days|weeks)))\b"
)
_REPEATED = re.compile(
    r"\b(?:(?:every|each) (?:single )?time (?:i|we) (?:ring|call|phone|chase|email|ask|try|report)|"
    r"(?:the )?same question|"
    r"(?:asked|rang|called|emailed|phoned|chased|reported|wrote|written|messaged)\s+(?:\w+\s+){0,3}"
    r"(?:three|four|five|six|seven|eight|several|\d+) times|"
    r"bothers? to (?:respond|reply|answer|ring|call|get back|turn up)|"
    r"(?:do|does) (?:you|anyone|anybody) (?:ever )?(?:actually )?(?:read|answer|listen|reply|check)|"
    r"(?:get|got|keep getting) cut off|sort (?:your|yer) (?:\w+ )?out|sort yourselves out|"
    # Round 9b: counting the asks or the time ("5th time asking", "week 7 of no hot water", "reported it
    # twice"), nobody telling the author anything, "how many times do I have to ask", "since then nothing".
    r"(?:second|third|fourth|fifth|sixth|umpteenth|tenth|hundredth) time (?:of )?(?:asking|i'?ve "
    r"asked|ringing|calling|chasing|reporting|writing|emailing)|"
    r"(?:asked|rang|called|emailed|phoned|chased|reported|wrote|messaged)\s+(?:\w+\s+){0,3}(?:twice|again and again|"
    r"over and over)|(?:nobody|no one) (?:tells?|told|says?|explains?|updates?|lets?) (?:me|us)|"
    r"how many (?:more )?times (?:do|must|have|will|should|am)|since then,? (?:nothing|no one|nobody|not a)|"
    r"that'?s what (?:they|you|he|she) (?:said|told me|promised)|another excuse|excuse after excuse|"
    r"(?:i was|i'?d been|we were|we'?d been) (?:in|home|at home|stuck in) all day|(?:i'?m|we'?re) stuck in all day|"
    r"(?:waited|sat) in all day|(?:this is|is this) how you treat|"
    # Round 9c: the same thing each visit, nobody reading, closed without a word, a decision challenged,
    # a service said to have declined, a visit missed, a third time it broke.
    r"(?:every|each) (?:single )?time (?:someone|somebody|anyone|they|you|he|she|the \w+) (?:\w+ )?(?:comes?|came|rings?|"
    r"calls?|visits?|turns? up)|not (?:my|their|our|his|her) (?:department|problem|job|responsibility)|"
    r"is (?:anyone|anybody) (?:actually |even )?(?:reading|listening|there|answering)|"
    r"without (?:even )?(?:telling|asking|informing|contacting|checking with|letting) (?:me|us)|"
    r"how is (?:that|this|it) (?:allowed|acceptable|fair|right|legal)|"
    r"(?:review|appeal|challenge) (?:of )?(?:the|this|your|that) decision|"
    r"(?:quality|standards?|service|cleaning|repairs?)\b[^.!?]{0,40}\b(?:dropped|slipped|declined|deteriorated|gone down|"
    r"gone to pot|got worse|getting worse)|(?:have|has|they'?ve) missed (?:our|my)|"
    r"(?:second|third|fourth|fifth|sixth) time (?:the|it|they|this|that)|(?:nobody|no one|naebody)'?s? (?:bothered|interested)|"
    r"(?:was|were) (?:meant|supposed) to (?:take|be|last|finish)[^.!?]{0,40}[.!?]\s*(?:it'?s|its|we'?re) (?:now|still)|"
    r"(?:have|had|having) to chase|frustrated (?:that|with|by)|"
    # Round 9d: "why do I have to...", told different things by different people, hung up on, logged out.
    r"why (?:do|should|must|would) (?:i|we) (?:have to|always|keep)|(?:\w+ )?different (?:things|answers|stories|excuses) "
    r"(?:by|from)|hung up on (?:me|us)|keeps? (?:logging|kicking|cutting) (?:me|us) (?:out|off)|"
    # A feeling about how it was handled, a service that does not work, a cost put back on the tenant.
    r"(?:gutted|upset|angry|livid|furious|annoyed|frustrated|fuming|appalled|shocked|dismayed|let down)\s+(?:with|at|by|"
    r"about)\s+(?:how|the way|the service|the response|the lack)|(?:portal|website|app|helpline|phone line|phone system|"
    r"online form|repairs line|switchboard|call centre)\s+(?:is|are|was|keeps)\s+(?:\w+\s+)?(?:useless|rubbish|a joke|"
    r"a nightmare|hopeless|pathetic|awful|terrible|dire|diabolical)|(?:saying|say|said|told me|telling me) "
    r"(?:it'?s|it is|its) (?:my|our) (?:problem|fault|responsibility|job))\b"
)


# Counted in digits, read in the author's text (the normaliser reads "5th" as leetspeak).
_COUNTED = re.compile(
    r"\b(?:\d+(?:st|nd|rd|th) time (?:of )?(?:asking|i'?ve asked|ringing|calling|chasing|reporting|writing|emailing)|"
    r"(?:week|day|month) \d+ of (?:no|waiting|chasing))\b",
    re.IGNORECASE,
)


def _unanswered(ctx: Context) -> Flag | None:
    text = ctx.text
    counted = _COUNTED.search(ctx.original)
    if counted is not None and not settled_story(text):
        flag = ctx.raw_flag(
            "complaint",
            counted.start(),
            counted.end(),
            score=0.7,
            source="route.complaint.unanswered",
            explanation=_EXPLAIN["complaint"] + " Asking again and again, or waiting, with no answer.",
        )
        return dataclasses.replace(flag, clause="2.4")
    m = _REPEATED.search(text)
    promise = _PROMISED.search(text)
    if m is None and promise is not None and _SINCE.search(text, promise.end()):
        m = promise
    if m is None or settled_story(text):
        return None
    return ctx.flag(
        "complaint",
        m.start(),
        m.end(),
        score=0.7,
        source="route.complaint.unanswered",
        explanation=_EXPLAIN["complaint"] + " A promise not kept, or asking again and again with no answer.",
        clause="2.4",
    )


# Issue 10, round 11 (kinds read on the retired fresh4 slice): a complaint known by what we did, with no
# complaint word. A way to reach us that does not work ("the portal has been down for a week", "the repairs
# number rings out", "how are we meant to report anything?"); a charge disputed ("billed for damage that was
# there when I moved in", "I'm not paying it"); damage done by our contractors, or nobody saying sorry; a
# letter or details sent to the wrong person; a thing done after being asked not to; a long wait for a reply.
_CHANNEL = (
    r"(?:portal|website|web ?site|site|app|online form|form|phone lines?|phones?|repairs (?:line|number)|number|"
    r"helpline|email address|e-?mails?|voicemail|chat|live chat|switchboard|call centre)"
)
_CHANNEL_DOWN = re.compile(
    rf"\b{_CHANNEL}\b[^.!?]{{0,40}}\b(?:(?:has been|have been|is|are|was|been|went|keeps? going) down|down for|"
    r"won'?t let (?:me|us|you)|errors?|crash(?:es|ed|ing)?|rings? out|cuts? (?:me |us |you )?off|bounc(?:es|ed|ing)|"
    r"is full|keeps? (?:failing|crashing|freezing))\b"
    r"|\bhow (?:are|am|is) (?:we|i|anyone|anybody|tenants|residents|people) (?:meant|supposed|expected) to (?:report|contact|"
    r"reach|get (?:hold|through)|ring|call|book|log|tell|let you know)\b"
    r"|\bno way (?:to|of) (?:reach|contact|report|getting (?:hold|through)|get (?:hold|through))"
)
_CHARGED = re.compile(
    r"\b(?:charged|billed|invoiced|recharged|(?:a|an|the|this) (?:bill|invoice|recharge|charge))\b"
)
_DISPUTED = re.compile(
    r"\b(?:dispute|disputing|(?:not|n'?t|never) (?:be )?paying|won'?t pay|refuse to pay|"
    r"(?:want|like) (?:the|this|it|that) (?:charge |bill )?(?:taken off|removed|refunded|cancelled|waived|looked at)|"
    r"(?:was|were) (?:already )?(?:there|like that|broken|damaged) (?:when|before) (?:i|we)|before (?:i|we) (?:moved in|got the keys)|"
    r"(?:last|previous|old|former) tenants?|(?:said|told (?:me|us)) (?:it )?(?:would|was going to) be free|wasn'?t (?:me|us|my fault))\b"
)
_WORKERS = (
    r"(?:contractors?(?:'s?)?|workmen|work men|roofers|painters|builders|plasterers|engineers?|operatives?|gardeners?|"
    r"grass cutters|hedge cutters|mowers|cleaners|fitters|scaffolders|electricians?|plumbers?|your (?:lads|men|vans?|team))"
)
_DAMAGED = re.compile(
    # Not what a worker said or found ("the engineer said the pipe's cracked" is a repair).
    rf"\b{_WORKERS}\b(?:(?!\b(?:said|says|told|reckons|thinks|found|reported|checked)\b)[^.!?]){{0,60}}\b(?:damaged|dumped|smashed|ruined|ripped|churned|cut (?:straight )?through|"
    r"drove (?:over|across|into|through)|splashed|scratched|cracked|broke|"
    r"flattened|trampled|dug up|left (?:a mess|rubbish|their|it in)|and (?:then )?just left)\b"
    r"|\b(?:nobody|no one|no-one|not one of (?:them|you))(?:'s| has| have| had)? (?:even )?(?:apologi[sz]ed|said sorry)\b"
    r"|\bnot (?:a|one) (?:single )?(?:word of )?(?:sorry|apology)\b|\bno apology\b|\bwithout (?:an? |any )?apolog\w+"
    r"|\b(?:didn'?t|never) (?:even )?(?:apologi[sz]e|say sorry)\b"
)
_WRONG_PERSON = re.compile(
    r"\b(?:letters?|e-?mails?|post|details|info\w*|paperwork|records?|file|arrears|bills?)\b[^.!?]{0,40}\b(?:went|sent|delivered|"
    r"posted|emailed|addressed|ended up|shared|passed)\b[^.!?]{0,30}\b(?:wrong (?:address|person|flat|house|tenant|name)|"
    r"to (?:my|the) (?:neighbours?|ex|ex-partner|old address|flat|house)\b)"
    r"|\b(?:you|they|havebury|someone (?:from|at|in) (?:\w+ ){1,2})(?:'ve| have| had)? ?(?:sent|posted|emailed|delivered|gave|given|"
    r"shared|passed|forwarded)\b[^.!?]{0,50}\b(?:wrong (?:address|person|flat|house|tenant|name)|by mistake|in error)"
    r"|\b(?:knows?|seen|read) (?:all )?(?:my|our) (?:business|details|personal)|\bshould never have happened\b"
)
_ASKED_NOT_TO = re.compile(
    r"\b(?:after|even though|when) (?:i|we) (?:asked|told) (?:them|em|'em|him|her|you|the \w+) not to\b"
    r"|\b(?:asked|told) (?:them|em|'em|him|her|you|the \w+(?: \w+)?) (?:not to|to leave)\b[^.!?]{0,60}\b(?:anyway|regardless)\b"
)
_NUMBER = r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|many)"
_LONG_WAIT = re.compile(
    rf"\b{_NUMBER} (?:whole )?(?:days|weeks|months|years) (?:of )?(?:waiting )?(?:for|on) (?:a |an |my |someone |somebody |"
    r"anyone |them |you )?(?:to )?(?:ring|call|reply|respond|answer|get back|come back|call ?back|ring ?back|response|"
    r"answer|visit|engineer)"
    rf"|\b{_NUMBER} (?:days|weeks|months|years) (?:waiting|I'?ve been waiting|and counting)\b"
    rf"|\b\d+ (?:minutes|mins) (?:on hold|of hold|waiting on the phone)"
    r"|\b(?:for|since) \w+ (?:weeks|months)\b[^.!?]{0,20}\b(?:with|and) (?:no one|nobody|no-one|nothing)\b"
)
_OUR_NOTICE = re.compile(r"\W*havebury(?: homes)?\s*:")  # "Havebury: the portal is down tonight"
_BY_KIND = (_CHANNEL_DOWN, _WRONG_PERSON, _DAMAGED, _ASKED_NOT_TO, _LONG_WAIT)


def _complaint_by_kind(ctx: Context) -> Flag | None:
    text = ctx.text
    if (
        announcement(text)
        or _OUR_NOTICE.match(text)
        or thanks_someone(text)
        or not (_FIRST_PERSON.search(text) or _TO_US.search(text))
    ):
        return None  # our own notice ("the portal is down tonight"), or a neighbour's thanks
    found = next((m for p in _BY_KIND if (m := p.search(text)) is not None), None)
    if found is None:
        charged = _CHARGED.search(text)
        found = charged if charged is not None and _DISPUTED.search(text) else None
    if found is None or ctx.reported(found.start(), found.end()):
        return None
    asked = ctx.text[_sentence_span(ctx, found.start())]
    if asked.rstrip().endswith("?") and not _FIRST_PERSON.search(asked):
        return None  # "Anyone know if the app is down?": asking, not reporting it failed the author
    return ctx.flag(
        "complaint",
        found.start(),
        found.end(),
        score=0.7,
        source="route.complaint.kind",
        explanation=_EXPLAIN["complaint"] + " It says what went wrong with our service in plain words.",
        clause="2.4",
    )


# A grievance about somewhere or someone else - politics, the news, another landlord - with nothing aimed at
# us: "Right to buy was the worst thing to happen to council housing" is an opinion, not a complaint to us.
_ELSEWHERE = re.compile(
    r"\b(?:government|governments|ministers?|politicians?|parliament|westminster|tory|tories|labour party|mps|"
    r"the system|this country|right to buy|bedroom tax|councils|private(?:ly)? (?:landlords?|rent\w*|lets?)|"
    r"(?:another|other|a different) (?:housing associations?|landlords?|councils?)|landlords? (?:in|up|down) \w+|"
    r"(?:on|in) the (?:news|paper|papers|telly)|news (?:report|story)|"
    # Somebody else's service or building: "the bus has stopped coming", "the pub's boiler's broken".
    r"bus(?:es)?|bus service|the (?:pub|shop|school|church|library|surgery|gym|club|cafe|chippy)'?s|"
    # Prices and the economy: "the cost of food these days is shocking", "interest rates going up again".
    r"cost of (?:food|living|everything|petrol|fuel)|price of|prices|interest rates?|mortgages?|inflation|"
    r"the economy|state pension|"
    # A former home: "my old flat with the council was so damp, this one is like a palace".
    r"(?:my|our) (?:old|previous|last|former) (?:flat|house|place|home|landlord)|where (?:i|we) used to live)\b"
)
# "It isn't Havebury's, I know": the author says so.
_NOT_OURS = re.compile(
    r"\b(?:(?:isn'?t|is not|not) (?:havebury'?s|yours|one of yours|your (?:fault|problem|responsibility))|"
    r"nothing to do with (?:you|havebury))\b"
)
_TO_US = re.compile(
    r"\b(?:you|your|you'?ve|you'?re|yous|havebury|hhp|"
    r"(?:my|our) (?:repairs?|case|complaint|flat|house|home|rent|tenancy|officer|block|estate|street|close|"
    r"bathroom|kitchen|bedroom|roof|boiler|heating|windows?|door))\b"
)
# A complaint or fault told as a story that ended well: "I complained a couple of years ago ... to be fair
# they fixed them all within a month", "Took a while but my transfer finally came through".
_SETTLED = re.compile(
    r"\b(?:to be fair|resolved|came through|all good now|sorted out|finally (?:got|came|arrived|done|fixed|sorted)|"
    r"(?:fixed|sorted|solved|mended|repaired|replaced) (?:it|them|everything)(?: all)?|"
    r"(?:had|got) (?:it|them|everything) (?:going|working|running|sorted|fixed|cleared|done|repaired|replaced|mended|"
    r"unblocked)|up and running|(?:replaced|redid|redone|renewed) the (?:whole )?lot|"
    r"helped (?:me|us) (?:to )?(?:claim|get|sort|apply|with)|got (?:me|us) (?:onto|on to|into) |"
    r"helped (?:to )?sort (?:it|things|everything)|(?:love|loving|like|enjoying) it (?:now|here now)|settled in now|"
    r"(?:been|was|is) (?:perfect|fine|great|grand|spot on|no bother|no trouble|dry|warm) (?:ever )?since)\b"
)


_SENTENCE = re.compile(r"[^.!?\n]+[.!?\n]*")


def _sentence_span(ctx: Context, pos: int) -> slice:
    """The sentence of ctx.text around pos."""
    for m in _SENTENCE.finditer(ctx.text):
        if m.start() <= pos < m.end():
            return slice(m.start(), m.end())
    return slice(0, len(ctx.text))


def _elsewhere_sentence(ctx: Context, pos: int) -> bool:
    """Round 11: the sentence at pos (or, for a one-word verdict like "Shocking.", the one before it) is about
    the news or another landlord, with no "I" and nothing of ours in it, so its grievance or hazard is not
    the author's: "Saw on the news a landlord in Birmingham got fined over mould in a child's room. Shocking."
    """
    spans = [(m.start(), m.end()) for m in _SENTENCE.finditer(ctx.text)]
    i = next((k for k, (a, b) in enumerate(spans) if a <= pos < b), None)
    if i is None:
        return False
    sentence = ctx.text[spans[i][0] : spans[i][1]]
    if len(sentence.split()) <= 3 and i > 0:
        sentence = ctx.text[spans[i - 1][0] : spans[i][1]]
    return (
        bool(_ELSEWHERE.search(sentence))
        and not _TO_US.search(sentence)
        and not _FIRST_PERSON.search(sentence)
    )


# Adult or money promotion: a "leak" here is leaked pictures, not water (round 11, fresh4's spam).
_PROMOTION = re.compile(
    r"\b(?:uncensored|only ?fan[sz]\w*|nudes?|18\+|xxx|spicy|hot singles|link in (?:my |the )?bio|"
    r"(?:pics|photos|videos?|clips)\b[^.!?]{0,30}\bbefore (?:it'?s|they(?:'re| get| are)) (?:deleted|gone|taken down)|"
    r"(?:leaked|leak) (?:pics|photos|videos?|clips|tape)|(?:pics|photos|videos?|clips?|tape) (?:got |was |were )?leaked)"
)


def promotes(text: str) -> bool:
    """Adult or money promotion: whatever it names, it is not someone's repair or circumstances."""
    return bool(_PROMOTION.search(text))


def about_elsewhere(text: str) -> bool:
    """The grievance is about the government, the news or another landlord, with nothing aimed at us."""
    return bool(_NOT_OURS.search(text)) or (bool(_ELSEWHERE.search(text)) and not _TO_US.search(text))


def settled_story(text: str) -> bool:
    """A complaint or fault told as something put right, with nothing still wrong."""
    if _WITHDRAWN.search(text):
        return True  # "thought they'd overcharged me but the invoice was right, my mistake"
    settled = _SETTLED.search(text) or _RESOLVED.search(text)
    return bool(settled) and not _STILL_WRONG.search(text)


def find_repair(ctx: Context) -> Flag | None:
    """The rules' own repair finding (a condition, or a defect with a problem), whatever else is in the comment."""
    return _repair(ctx)


# Round 11 (evidence2): a defect named only as the object of a put-down ("that lot couldn't fix a dripping tap",
# "couldn't unblock a sink to save their lives") is a measure of someone's skill, not a repair report: "a"
# makes the tap anyone's. "Couldn't fix my tap" or "the tap" is the author's repair and still routes.
_PUT_DOWN = re.compile(
    r"\b(?:couldn'?t|could not|can'?t|cannot|wouldn'?t know how to|unable to|not able to)\s+(?:even\s+)?"
    r"(?:fix|mend|repair|change|unblock|plumb|wire|replace|sort|paint|fit|hang|bleed|tighten|install|paper)\s+"
    r"an?\s+(?:[\w'-]+\s+){0,2}$"
)
_SELF_PUT_DOWN = re.compile(r"\b(?:i|we|i'?m|we'?re)\s+(?:\w+\s+)?$")


def _put_down(ctx: Context, start: int) -> bool:
    """The words at start are the object of a put-down of someone else's skill."""
    m = _PUT_DOWN.search(ctx.text, max(0, start - 60), start)
    return m is not None and not _SELF_PUT_DOWN.search(ctx.text, max(0, m.start() - 12), m.start())


def _repair(ctx: Context) -> Flag | None:
    compiled = ctx.config.compiled
    text = ctx.text
    if _INFORMATIONAL.search(text) or praise_for_done_repair(text) or settled_story(text):
        return None
    m = next((c for c in compiled["repair_conditions"].finditer(text) if not _put_down(ctx, c.start())), None)
    if m is not None:
        return _route_flag(ctx, "repair", m, 0.8, "route.repair.condition")
    defects = [d for d in compiled["repair_defects"].finditer(text) if not _put_down(ctx, d.start())]
    if not defects:
        return None
    for p in compiled["repair_problems"].finditer(text):
        if ctx.negated(p.start()) or _put_down(ctx, p.start()):
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


# "Disabled residents deserve...", "these disabled types": the word describes a group, not the author.
_GROUP_AFTER = re.compile(
    r"\s+(?:residents|tenants|people|persons|families|folk|kids|children|adults|users|types|groups?|community|"
    r"access|parking|bays?|facilities|toilets?|rights|bungalows|homes|flats|"
    # A drive or service for others: "the food bank collection", "the benefits advice session".
    r"collections?|donations?|appeal|drive|volunteers?|sessions?|advice|drop-?in|team|claims|service|officers?|advisers?|"
    # A figure of speech: "the old boiler was a death trap".
    r"trap|traps|wish)\b"
)


# Round 11 (kinds read on the retired fresh4 slice): a circumstance that is not the author's. A group named
# before it ("a tabloid calling people on benefits scroungers"), a gift to it ("raised £2k for the food bank"),
# or denied ("I'm NOT in arrears", "nobody's getting evicted for having a dog"); help offered to others.
_GROUP_BEFORE = re.compile(
    r"\b(?:people|those|folk|families|tenants|households|claimants|anyone|everyone|everybody|others)\s+"
    r"(?:who (?:are |get |claim |rely on )?|that (?:are |get )?)?(?:on|claiming|receiving|getting|living on|relying on|"
    r"in|with|facing)\s+$"
)
_GIVING_BEFORE = re.compile(
    r"\b(?:raised|raising|donat\w*|collect\w*|gave|giving|volunteer\w*|helping out|help out|support(?:ing|ed)?)\b[^.!?]{0,25}$"
)
_DENIED_BEFORE = re.compile(
    r"\b(?:not|never|(?:nobody|no one|no-one)(?:'?s)?(?:\s+(?:here|round here|around here|on this estate))?(?:\s+(?:is|gets|will be))?)\s+"
    r"(?:(?:getting|being|been|going to be|get|in|on|behind|facing|at risk of|a)\s+){0,2}$"
)
_OFFER = re.compile(
    r"\b(?:anyone|anybody|if (?:anyone|anybody|you)(?:'re| are)?) (?:who(?:'s| is| are)? )?(?:needs?|wants?|is struggling|are struggling|"
    r"struggling|in need|short)\b"
)
_SPEAKS_OF_SELF = re.compile(r"\b(?:i|i'm|im|i've|ive|i'd|me|we|we're|we've|us)\b")


# A sentence that starts with its verb has dropped an "I": "Got made redundant in January", "Lost my hours".
_IMPLIED_I = re.compile(
    r"(?:^|[.!?\n;]+)\W*(?:got|been|lost|had|just|recently|currently|still|was|am|thinking|feeling|honestly|struggling)\b"
)


# "Thought I'd been overcharged but I'd read the bill wrong, my mistake": the author withdraws the problem.
_WITHDRAWN = re.compile(
    r"\b(?:my mistake|my bad|my error|i was wrong|i'?d read (?:it|the \w+) wrong|i misread|"
    r"it was (?:right|correct) (?:all along|after all)|it was (?:right|correct), my)\b"
)


# A neighbour's nuisance the author lives with (issue 10, round 9, a kind read on the retired fresh3 slice):
# noise, a dog that goes for people, rubbish dumped on them, abuse at their door, told as something that
# keeps happening ("every night", "for months", "twice now"). A matter for the housing officer, in private.
_NEIGHBOUR = re.compile(
    r"\b(?:neighbours?(?:'s?)?|next\s+door(?:'s)?|(?:people|family|lad|lads|bloke|woman|man|couple|kids|tenants?|"
    r"lot)\s+(?:upstairs|downstairs|above|below|opposite|across\s+the\s+(?:landing|road|hall|way))|"
    r"(?:the\s+)?(?:flat|house)\s+(?:above|below|upstairs|downstairs|opposite)|someone|somebody)\b"
)
_NUISANCE = re.compile(
    r"\b(?:(?:loud\s+)?music|parties|partying|noise|banging|bangs?\s+on|stamping|shouting|screaming|rev(?:s|ving)|"
    r"(?:gone|went|goes|going)\s+for|bit(?:ten)?|attacked|barks?|barking|dump\w*|a-dumpin\w*|fly[\s-]?tip\w*|"
    r"leav(?:es|ing)\s+(?:their\s+)?(?:rubbish|bin\s+bags|bags|litter|dog\s+mess)|threaten\w*|harass\w*|"
    r"swear(?:s|ing)?\s+at|intimidat\w*|spits?\s+at|blocks?\s+my|parks?\s+(?:in|across)\s+my)\b"
)
_KEEPS_HAPPENING = re.compile(
    r"\b(?:every\s+(?:single\s+)?(?:night|day|weekend|morning|evening|week)|all\s+night|of\s+a\s+night|night\s+after|"
    r"(?:till|until|til)\s+\d|\d\s*(?:am|a\.m\.)|twice|three\s+times|again|for\s+(?:months|weeks|years|ages)|"
    r"(?:been\s+)?going\s+on|constantly|non-?stop|keeps?|kept|already|more\s+than\s+once|since\s+(?:\w+\s+)?(?:summer|christmas|spring|winter|"
    r"autumn|january|february|march|april|may|june|july|august|september|october|november|december|last))\b"
)


def _neighbour_nuisance(ctx: Context) -> Flag | None:
    text = ctx.text
    if not _FIRST_PERSON.search(text) or not _KEEPS_HAPPENING.search(text):
        return None
    for n in _NUISANCE.finditer(text):
        if ctx.negated(n.start()):
            continue
        for who in _NEIGHBOUR.finditer(text):
            if ctx.same_sentence(who.start(), n.start()) or abs(who.start() - n.start()) <= 60:
                return _route_flag(ctx, "personal_issue", n, 0.7, "route.personal_issue.neighbour")
    return None


# A disability given as the reason a defect matters (round 9, a kind read on the retired fresh3 slice): "I'm
# disabled and the stairlift has packed up, I can't get upstairs" is a repair to do first, not a personal
# issue; the disability alone, with nothing broken, still is one.
_DISABLED = re.compile(r"\b(?:disabled|disability|wheelchair|mobility\s+scooter|walking\s+frame|zimmer)\b")


def _access_repair(ctx: Context) -> Flag | None:
    return _repair(ctx) if _DISABLED.search(ctx.text) else None


def _personal(ctx: Context) -> Flag | None:
    if praise_for_done_repair(ctx.text) or _WITHDRAWN.search(ctx.text) or settled_story(ctx.text):
        return None  # "the advice team helped me sort a payment plan, so grateful": already dealt with
    if thanks_someone(ctx.text) and not _ASKS_FOR_HELP.search(ctx.text):
        return (
            None  # "Mum passed last year ... thank you to the wardens who looked after her": thanks, no ask
        )
    if _OFFER.search(ctx.text) and not _SPEAKS_OF_SELF.search(ctx.text):
        return None  # "anyone who needs a lift to the food bank, ring my mate": help offered, not asked for
    for m in ctx.config.compiled["personal_issue"].finditer(ctx.text):
        if _GROUP_AFTER.match(ctx.text, m.end()):
            continue
        before = ctx.text[max(0, m.start() - 40) : m.start()]
        if _GROUP_BEFORE.search(before) or _GIVING_BEFORE.search(before) or _DENIED_BEFORE.search(before):
            continue
        sentence = ctx.sentence(m.start())
        own = (fp.start() for fp in _OWN_OR_HELP.finditer(ctx.text))
        implied = (i.end() - 1 for i in _IMPLIED_I.finditer(ctx.text))
        if any(ctx.sentence(pos) == sentence for pos in (*own, *implied)):
            return _route_flag(ctx, "personal_issue", m, 0.75, "route.personal_issue")
    return None


# What someone who needs us says: a question, a plea, a worry ("what happens now", "I'm scared").
_ASKS_FOR_HELP = re.compile(
    r"\?|\b(?:help|please|can (?:i|we|someone|you|anyone)|could (?:i|we|someone|you)|need|needs|struggling|worried|"
    r"scared|frightened|don'?t know|what (?:do|happens|should|now)|who do)\b"
)


# "beat me at chess", "beat us in the quiz final": a game, not violence.
_PLAYED = re.compile(
    r"\s+(?:at(?!\s+(?:home|night|the house|my|our|his|her|their|work))|in (?:a|the) (?:\w+ )?(?:race|game|match|"
    r"final|quiz|round|league))\b"
)


def find_route(ctx: Context) -> Flag | None:
    compiled = ctx.config.compiled
    m = next(
        (s for s in compiled["safeguarding"].finditer(ctx.text) if not _PLAYED.match(ctx.text, s.end())), None
    )
    m = m or _CHILD_AT_RISK.search(ctx.text)
    own = _OWN_OR_HELP.search(ctx.text) or _IMPLIED_I.search(ctx.text)
    if m is not None and not ctx.reported(m.start(), m.end()) and own:
        return _route_flag(ctx, "safeguarding", m, 0.9, "route.personal_issue.safeguarding", urgent=True)
    m = next(
        (
            c
            for c in compiled["complaint_cues"].finditer(ctx.text)
            if not _COMPLAINTS_ROLE.match(ctx.text, c.end()) and not _not_about_service(ctx, c)
        ),
        None,
    )
    if m is not None and (
        about_elsewhere(ctx.text) or settled_story(ctx.text) or _elsewhere_sentence(ctx, m.start())
    ):
        m = None
    if m is not None and not ctx.reported(m.start(), m.end()):
        return _route_flag(ctx, "complaint", m, 0.75, "route.complaint")
    sarcasm = _sarcastic_complaint(ctx) or _unanswered(ctx)
    if sarcasm is None and not about_elsewhere(ctx.text) and not settled_story(ctx.text):
        sarcasm = _complaint_by_kind(ctx)
    if sarcasm is not None:
        # "Brilliant, the mould is back in the baby's room": Awaab's Law timescales still apply.
        return _hazard_to_health(ctx) or sarcasm
    if announcement(ctx.text) or promotes(ctx.text):
        return None
    if about_elsewhere(ctx.text):
        # "the government cut my benefits" is still the author's own matter, and so is "my baby's room has black
        # mould, I saw something on the telly about it" (round 11): a hazard told in the first person.
        hazard = _hazard_to_health(ctx)
        where = _HAZARD.search(ctx.text)
        if (
            hazard is not None
            and where is not None
            and not _FIRST_PERSON.search(ctx.text[_sentence_span(ctx, where.start())])
        ):
            hazard = None
        return _personal(ctx) or hazard
    return (
        _hazard_to_health(ctx)
        or _access_repair(ctx)
        or _personal(ctx)
        or _repair(ctx)
        or _neighbour_nuisance(ctx)
    )
