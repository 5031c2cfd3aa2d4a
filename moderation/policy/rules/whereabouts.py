"""Where someone can be found (GP014 2.3, second bullet): home addresses, postcodes, a car parked
outside, someone else's workplace or their child's school.

A house number and a road are personal data when they place a person ("Kev at 12 Mill Lane", "his
place is no. 7 Cornfield Rise", "my address is..."), or come with a flat number or a postcode; the same
road named as the site of a repair ("the street lamp outside 40 Hollow Lane") places nobody. Runs on
the original text, whose capitals tell a road's name from ordinary words.
"""

from __future__ import annotations

import re

STREET = (
    r"(?:Road|Rd|Street|St|Avenue|Ave|Close|Lane|Way|Drive|Court|Crescent|Gardens|Place|Terrace|Walk|Green|Row|"
    r"Mews|Grove|Hill|Park|Rise|View|Square|Meadows?|Chase|End|Gate|Fields|Yard|Parade|Croft|Mead)"
)
_BLOCK = r"(?:House|Court|Lodge|Tower|Heights|Mansions|Point|Block|Flats)"
_NAME_WORDS = r"(?:[A-Z][a-z']+\s+){1,3}"
_POSTCODE = r"(?:\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b|\b[a-z]{2}\d[a-z\d]?\s*\d(?!(?:am|pm|st|nd|rd|th)\b)[a-z]{2}\b)"
_OUTWARD = r"\b[A-Z]{1,2}\d[A-Z\d]?\b"
_FLAT = r"\b(?:[Ff]lat|[Aa]partment|[Aa]pt|[Uu]nit)\s+\d{1,4}[a-zA-Z]?\b"
# A house number spelt out to dodge a filter: "forty two Kingfisher Drive", "number seven Ash Grove".
_UNITS = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_NUMBER_WORDS = (
    rf"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]{_UNITS})?|{_UNITS}|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
)
_HOUSE = (
    rf"\b(?:(?:[Nn]umber|[Nn]o\.?|[Nn]um)\s*(?:\d{{1,4}}[a-z]?|(?i:{_NUMBER_WORDS}))\s*,?\s+(?:(?:on|in)\s+)?"
    rf"|\d{{1,4}}[a-z]?\s*,?\s+|(?i:{_NUMBER_WORDS})\s+){_NAME_WORDS}{STREET}\b"
)

# A full postal address: street with a flat before it or a postcode after it, or a flat in a named block.
_FULL_ADDRESS = re.compile(
    rf"{_FLAT}\s*,?\s+{_HOUSE}(?:\s*,?\s*(?:{_POSTCODE}|{_OUTWARD}))?"
    rf"|{_HOUSE}\s*,?\s*(?:[A-Z][a-z]+\s*,?\s*)?(?:{_POSTCODE}|{_OUTWARD})"
    rf"|{_FLAT}\s*,?\s*(?:(?:at|in|of)\s+)?{_NAME_WORDS}{_BLOCK}\b"
)
_SPELT_HOUSE = re.compile(rf"\b(?i:{_NUMBER_WORDS})\s+{_NAME_WORDS}{STREET}\b")
_HOUSE_RE = re.compile(
    _HOUSE
    + r"|\b\d{1,4}[a-z]?,?\s+(?:[a-z]+\s+){1,2}(?:road|street|avenue|crescent|terrace|mews|lane|gardens|grove)\b"
    # In lower case, a road word that is also an ordinary word ("close", "way") only after "at".
    + rf"|(?<=\bat )\d{{1,4}}[a-z]?,?\s+(?:[a-z]+\s+){{1,2}}(?i:{STREET})\b"
)
_FLAT_RE = re.compile(_FLAT)
_POSTCODE_RE = re.compile(_POSTCODE)

# Who lives there, or where to send someone: what makes a house number and road someone's address.
_PLACES_SOMEONE = re.compile(
    r"\b(?:lives?|living|lived|stays?|staying|moved|address|addy|is at|'s at|are at|i'?m at|we'?re at|"
    r"(?:my|our|his|her|their|[a-z]+'s) (?:house|flat|home|place|door|address) is|send (?:someone|somebody|an engineer|engineers?|"
    r"him|her|them|it)|"
    # Whose it is without "is": "her postcode", "that's his", "where she is most days".
    r"(?:his|her|their) (?:house|flat|home|place|gaff|door|address|postcode)|that'?s (?:his|hers|theirs)|"
    r"where (?:he|she|they) (?:is|are|lives?|stays?|sleeps?|hangs? out)|knock|visit|go round|pop round|mr|mrs|ms|miss|man|woman|bloke|lady|lad|girl|guy|fella|"
    r"family|couple|tenant|owner|owes?|"
    # a vehicle's keeper looked up (round 9): "it's registered to ...", "the keeper is ...", "belongs to"
    r"registered\s+(?:to|keeper|owner)|keeper|belongs\s+to|owned\s+by)\b",
    re.IGNORECASE,
)
# A person's name next to the address ("Darren Pike, 3 Willow Walk", "Dean at 8 Tayfen Road").
_NAME = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+[A-Z][a-z]+|\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?(?=\s*,|\s+(?:at|from|in|of)\b)"
)
_NOT_NAMES = frozenset(
    {"Havebury", "Housing", "Partnership", "The", "Our", "My", "Bury", "St", "Edmunds", "Flat", "Number", "No",
     "Street", "Please", "Hi", "Hello", "Thanks", "Sorry", "Just", "Outside", "Opposite", "Behind", "Near", "We",
     "You", "People", "Everyone", "Nobody", "Someone", "Anyone", "Who", "What", "Where", "When", "Why", "How",
     "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March",
     "April", "May", "June", "July", "August", "September", "October", "November", "December", "Christmas",
     "Easter"}
)  # fmt: skip
# An organisation's or a public place's postcode is not someone's.
_PUBLIC_PLACE = re.compile(
    r"\b(?:office|offices|hub|centre|center|hall|library|surgery|school|church|shop|store|station|depot|"
    r"havebury|council|event|venue|drop-?in|parliament|commons|mp|mps|town hall|hospital|museum|theatre|stadium|"
    r"headquarters|hq|reception)\b",
    re.IGNORECASE,
)
# "she lives in the house with the blue door opposite the Co-op", "they live above the chip shop".
_DESCRIBED_HOME = re.compile(
    r"\b(?:he|she|they|[A-Z][a-z]+),?\s+(?:lives?|is living|are living|stays?)\s+[^.!?\n]{0,45}?\b(?:above|opposite|"
    r"next door to|next to|behind|across from|over the road from|round the corner from|on the corner of|"
    r"at the end of)\s+(?:the\s+)?[^.!?\n,]{2,30}"
)

_VEHICLE = re.compile(r"\b[A-Z]{2}\d{2}\s?[A-Z]{3}\b")
_VEHICLE_CONTEXT = re.compile(
    r"\b(?:car|van|truck|lorry|motor|vehicle|drives?|driving|drove|parks?|parked|parking|corsa|astra|fiesta|focus|"
    r"golf|polo|transit|bmw|audi|merc|mercedes|ford|vauxhall|toyota|nissan|kia|skoda|honda|peugeot|renault|mini)\b",
    re.IGNORECASE,
)

# Someone else's child at a named school, or someone's workplace: where to find them.
_CHILD = r"(?:son|daughter|kids?|boy|girl|child|children|lad|little one|eldest|youngest)"
_SCHOOL_OR_WORK = re.compile(
    rf"\b(?:(?i:his|her|their|your)|[A-Z][a-z]+'s)\s+{_CHILD}\b[^.!?\n]{{0,25}}?\b(?:goes|go|is|are|attends?|"
    r"in year \d+|in reception)\b[^.!?\n]{0,12}?\b(?:to|at)\s+(?:the\s+)?(?:[A-Z][\w']+(?:\s+[A-Z][\w']+)*|"
    r"[a-z]+ (?:primary|school|academy|nursery|college))"
    r"|\b(?:find|catch)\s+(?:him|her)\s+(?:[a-z]+\s+){0,4}?(?:at|in|behind)\s+(?:the\s+)?(?!Havebury\b)[A-Z][\w'&-]+"
    r"|\b(?:he|she|[A-Z][a-z]+)\s+works\s+(?:[a-z]+\s+){0,4}?(?:at|for|in)\s+(?:the\s+)?(?:[a-z]+\s+){0,2}"
    r"(?!Havebury\b|Repairs\b|Lettings\b|Housing\b|Customer\b)[A-Z][\w'&-]+"
    # A job at a named place: "he's a porter at West Suffolk Hospital", "she's a dinner lady at Sebert Wood".
    r"|\b(?:he|she|[A-Z][a-z]+)(?:'s|\s+is)\s+(?:a|an)\s+(?:[a-z]+\s+)?"
    r"(?:[a-z]*(?:er|or|ist|ian|man|woman|lady|ess)|nurse|chef|cook|vet|doctor|carer|cashier|porter|medic)"
    r"\s+(?:at|for)\s+(?:the\s+)?(?:[a-z]+\s+){0,2}(?!Havebury\b|Repairs\b|Lettings\b|Housing\b)[A-Z][\w'&-]+"
)
_SENTENCE_END = re.compile(r"[.!?\n]")
_DIGIT = re.compile(r"\d")


def _sentence(text: str, start: int, end: int) -> str:
    lo = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    hi = _SENTENCE_END.search(text, end)
    return text[lo : hi.start() if hi else len(text)]


# "The residents' meeting is at 12 Church Street", "the coffee morning's at...": where an event is held.
_EVENT_AT = re.compile(
    r"\b(?:meeting|event|party|sale|fair|f[eê]te|morning|afternoon|evening|session|drop-?in|club|class|group|"
    r"service|surgery|lunch|social|raffle|quiz|bingo|collection|launch|open day|fun day|"
    # ... and where a public place is: "our office is at Havebury House", "the hub's at...".
    r"office|offices|hub|centre|center|hall|library|school|church|shop|station|depot|headquarters|hq|reception)"
    r"\s*(?:is|'s|will be|was)\s+"
    r"(?:held\s+|on\s+)?at\b",
    re.IGNORECASE,
)


def _placed(text: str, start: int, end: int) -> bool:
    """The address is tied to a person or to sending someone there, in its sentence."""
    sentence = _sentence(text, start, end)
    event = _EVENT_AT.search(sentence)
    if event is not None:
        sentence = sentence[: event.start()] + sentence[event.end() :]  # the event's "is at" places nobody
    if _PLACES_SOMEONE.search(sentence):
        return True
    address = text[start:end]
    return any(
        m.group().split()[0] not in _NOT_NAMES and m.group() not in address for m in _NAME.finditer(sentence)
    )


def addresses(text: str) -> list[tuple[int, int]]:
    """Spans of someone's home address, postcode or described front door."""
    out: list[tuple[int, int]] = []
    if not _DIGIT.search(text) and not _SPELT_HOUSE.search(text):
        return [
            (m.start(), m.end())
            for m in _DESCRIBED_HOME.finditer(text)
            if m.group().split()[0] not in _NOT_NAMES
        ]
    for m in _FULL_ADDRESS.finditer(text):
        out.append((m.start(), m.end()))
    for pattern in (_HOUSE_RE, _FLAT_RE, _POSTCODE_RE):
        for m in pattern.finditer(text):
            if any(s <= m.start() < e for s, e in out):
                continue
            sentence = _sentence(text, m.start(), m.end())
            if (
                pattern is _POSTCODE_RE
                and _PUBLIC_PLACE.search(sentence)
                and not _PLACES_SOMEONE.search(_EVENT_AT.sub(" ", sentence))
            ):
                continue
            if _placed(text, m.start(), m.end()):
                out.append((m.start(), m.end()))
    for m in _DESCRIBED_HOME.finditer(text):
        if m.group().split()[0] not in _NOT_NAMES:
            out.append((m.start(), m.end()))
    return out


# After "reg" or "plate" any UK format in any case: current ("AB 12 CDE", "ab12cde"), prefix ("Y123 ABC"),
# suffix ("ABC 123D") and dateless or private ("B16 DAZ").
_PLATE_CUE = re.compile(
    r"\b(?:reg(?:istration)?|(?:number |private |personalised |personalized )?plates?)(?:'s)?\s*(?:number|no\.?)?"
    r"\s*(?:is|was|:|-|,)?\s*"
    r"(?P<plate>[A-Z]{2}\s?\d{2}\s?[A-Z]{3}|[A-Z]\d{1,3}\s?[A-Z]{3}|[A-Z]{3}\s?\d{1,3}\s?[A-Z]|[A-Z]{1,3}\s?\d{1,4}\s?[A-Z]{1,3})\b",
    re.IGNORECASE,
)
_PLATE_DIGIT = re.compile(r"\d")


def vehicles(text: str) -> list[tuple[int, int]]:
    """A current-style number plate written beside a car, a van or parking, or any plate after "reg"."""
    out = [
        (m.start(), m.end())
        for m in _VEHICLE.finditer(text)
        if _VEHICLE_CONTEXT.search(_sentence(text, m.start(), m.end()))
    ]
    for m in _PLATE_CUE.finditer(text):
        plate = m.group("plate")
        if _PLATE_DIGIT.search(plate) and sum(c.isalpha() for c in plate) >= 2:
            out.append((m.start("plate"), m.end("plate")))
    return out


def school_or_work(text: str) -> list[tuple[int, int]]:
    """Someone else's child at a named school, or a named workplace."""
    return [
        (m.start(), m.end()) for m in _SCHOOL_OR_WORK.finditer(text) if m.group().split()[0] not in _NOT_NAMES
    ]
