"""Insults without swear words (issue 10, round 7), shared by the harassment and staff rules.

The word list ``insults`` holds nouns that are insults wherever a person is called them ("a
pillock"). This module holds the forms a word list cannot: an adjective said of a person ("you're
gormless"), an animal or object that is an insult only when a person is the subject ("she's a
snake", not "there's a snake in the garden"), and idioms ("thick as two short planks", "couldn't
organise a raffle", "wouldn't know a drain if he fell in one"). Each counts only when a person is
its target: the author's "you", "he" or "she", a name, a mention, "whoever...", a person noun or a
staff role. A thing ("the app is hopeless") is a complaint, and the author's own self ("I felt
such a numpty") is not harassment.
"""

from __future__ import annotations

import re

from moderation.policy.rules import Context
from moderation.policy.spelling_words import english_words

_INTENS = r"(?:(?:so|such|really|very|bloody|completely|totally|utterly|absolutely|just|proper|dead|too|that|a bit|right|pretty|genuinely|seriously|this)\s+)*"
# Adjectives that describe a person's mind or character, rarely a thing. "Rude", "sad" and "dirty"
# are left out: said of a person they are a complaint or a state more often than an insult.
PERSON_ADJECTIVES = (
    r"gormless|spineless|gutless|witless|brainless|clueless|dozy|dopey|dense|dim|thick|dim[- ]?witted|"
    r"half[- ]?witted|two[- ]?faced|gobby|mouthy|smug|spiteful|vindictive|nasty|bone idle|idle|lazy|"
    r"incompetent|pig[- ]?headed|small[- ]?minded|narrow[- ]?minded|useless|hopeless|pathetic|stupid|"
    r"ignorant|pig[- ]?ignorant|vile|thick as mince|jumped[- ]?up|power[- ]?mad|full of (?:himself|herself|"
    r"themselves|yourself|yourselves)|too big for (?:his|her|their|your) boots"
    # Dialect: Welsh "twp", Scots "glaikit", Black Country "yampy", "doolally".
    r"|twp|glaikit|yampy|doolally"
)
# Animals and objects that insult a person only as the subject's complement: "he's a snake".
_CREATURES = (
    r"snakes?|weasels?|rats?|worms?|slugs?|maggots?|vultures?|donkeys?|cowboys?|liabilit(?:y|ies)|lumps?|"
    r"planks?|dinosaurs?|bats?|sheep|lemmings?|puppets?|headless chickens?|chocolate teapots?|nightmares?|"
    r"robots?|vultures?|sharks?"
    # Issue 10 probe: more animals and objects a person is called (UK and dialect: a "donut", a "plum",
    # a "spoon", a "tube", a "roaster", a "wet wipe"), said only as a complement, as above.
    r"|toads?|dragons?|hyenas?|baboons?|donuts?|doughnuts?|mug|plums?|spoons?|puddings?|tubes?|roasters?|"
    r"wet wipes?|broken records?|goons?|gremlins?|walking disasters?|lumps? of lard|mares?|witch(?:es)?|gossips?|pests?"
)
_ADJ_SAID = re.compile(
    r"(?:\b(?:is|are|was|were|'s|'re|r|be|being|been|look|looks|looked|sound|sounds|seem|seems|act|acts|"
    r"acting)\s+" + _INTENS + r"|\byou\s+(?:absolute\s+|utter\s+|complete\s+|total\s+)?)"
    r"(?P<word>" + PERSON_ADJECTIVES + r")\b"
)
_CREATURE_SAID = re.compile(
    r"\b(?:is|are|was|were|'s|'re|r|you|ya|being|like)\s+(?:(?:a|an|such a|one|some|nothing but a|nowt but a|"
    r"just a|a right|a proper|an absolute|a total|a complete|an utter|a bunch of|a pack of|a load of|"
    r"a set of|a lot of)\s+)?(?:[a-z'-]+\s+){0,2}?(?P<word>" + _CREATURES + r")\b"
)
# Words said of things too, so an insult only when said to "you": "you're an embarrassment".
_YOU_ARE = re.compile(
    r"\b(?:you|u|ya)(?:'re|re| are| r|r)\s+(?:(?:such|a|an|an absolute|a complete|a total|a bloody|an utter|a right|"
    r"a proper|nothing but a|just a|one big|a walking)\s+)*(?P<word>joke|disgrace|embarrassment|laughing stock|"
    r"nightmare|waste of time|liability|pain in the neck|car crash)\b"
)
# Round 11: animals and things a person's looks are likened to ("looks like a bulldog chewing a wasp").
_UNLOVELY = (
    r"bulldog|pug|pig|warthog|potato|toad|frog|goblin|troll|gremlin|walrus|hippo|rat|ferret|weasel|scarecrow|"
    r"corpse|zombie|skeleton|gargoyle|ogre|orc|witch|tramp|turnip|swede|thumb|haystack|bin bag|binbag|slug|maggot|"
    r"lizard|vulture|chimp|baboon|gorilla|camel|donkey|horse|llama|sheepdog|bloodhound|mop|melted \w+|"
    r"slapped \w+|smacked \w+|dropped \w+|boiled \w+|plucked \w+|shaved \w+|burst \w+|bag of \w+|sack of \w+"
)
# Idioms that call a person stupid, useless or worse, whatever the words around them.
IDIOMS = re.compile(
    r"\b(?:thick|daft|dense|dim|dumb|soft|useless)\s+as\s+(?:a\s+|an\s+|two\s+|three\s+|the\s+|some\s+)?"
    r"(?:short\s+)?(?:planks?|bricks?|mince|brush|rocks?|posts?|a box of \w+|box of \w+|mud|custard|pigshit|"
    r"a plank|a brick|a post|treacle|a bag of \w+|bag of \w+|a chocolate \w+|chocolate \w+)\b"
    r"|\b(?:about\s+)?as\s+(?:much\s+use|useful|helpful|effective)\s+as\s+(?:a|an|the)\s+[\w'-]+(?:\s+[\w'-]+){0,3}"
    r"|\bnot\s+the\s+(?:sharpest|brightest)\s+(?:tool|knife|crayon|bulb|spark|pencil)\b"
    r"|\b(?:one|a)\s+(?:sandwich|sarnie|butty|brick|slice|few sandwiches)\s+short\s+of\b"
    r"|\blights?\s+(?:are|is)\s+on\s+but\s+(?:nobody|no one|no-one)'?s?\s+(?:is\s+)?home\b"
    r"|\b(?:couldn'?t|could not|can'?t|cannot)\s+(?:organise|organize|arrange)\s+(?:a|an)\s+[\w'-]+"
    r"|\b(?:couldn'?t|could not)\s+(?:fix|mend|make|boil|manage)\s+(?:a|an)\s+(?:cup of tea|brew|sandwich|kettle|"
    r"egg|piece of toast|paper bag|chocolate teapot)\b"
    r"|\b(?:couldn'?t|could not|can'?t|cannot)\s+run\s+(?:a|an)\s+(?:bath|bath tub|tap|raffle|whelk stall|"
    r"piss-up|bingo|tea party|chip shop|sweet shop|corner shop|lemonade stand|brewery|bus|nursery)\b"
    r"|\b(?:couldn'?t|could not|can'?t|cannot)\s+find\s+(?:(?:his|her|their|your|its|my)\s+)?(?:own\s+)?"
    r"(?:way out of|backside|bum|feet|head|nose|elbow|way home)\b"
    r"|\bwouldn'?t\s+(?:know|recognise|recognize|spot|notice|see)\s+(?:a|an|the)\s+[\w' -]{1,40}?\s+if\s+"
    r"(?:it|they|one|he|she|you|the thing)\s+[a-z']+"
    r"|\bwaste\s+of\s+(?:space|oxygen|skin|air|a\s+(?:good\s+)?(?:uniform|salary|wage|lanyard|tenancy|house|flat|"
    r"council house|human being|life))\b"
    r"|\ball\s+mouth\s+and\s+no\s+trousers\b|\bmore\s+faces\s+than\s+a\s+(?:town\s+hall\s+)?clock\b"
    r"|\bhead\s+(?:up|in)\s+(?:(?:his|her|their|your)\s+)?(?:own\s+)?(?:backside|bum|clouds|sand)\b"
    r"|\bbrains?\s+of\s+a\s+(?:goldfish|pea|gnat|sparrow|rocking horse)\b"
    r"|\b(?:crawl|slither|go)\s+back\s+under\s+(?:your|his|her|their|a|the)\s+(?:rock|stone)\b"
    # Sarcastic praise: "whichever genius in planning approved this", "some bright spark decided".
    r"|\b(?:whichever|whoever|some|which|what)\s+(?:genius|bright spark|einstein|mastermind|brainbox|brain box|"
    r"rocket scientist|wise guy|smart alec)\b"
    r"|\b(?:couldn'?t|could not|can'?t|cannot)\s+[\w' ]{2,40}?\s+to\s+save\s+(?:his|her|their|your|its)\s+li(?:fe|ves)\b"
    # Taunts: "no wonder you're single", "bet you're fun at parties", "nobody likes you".
    r"|\bno wonder (?:you'?re|youre|your|ur) (?:single|alone|divorced|on your own|skint)\b"
    r"|\bbet (?:you'?re|youre|your|ur) (?:\w+ )?(?:fun|a laugh|a joy|the life and soul) (?:at|of) (?:parties|the party)\b"
    r"|\bnobody (?:likes|wants|rates|asked for) (?:you|u|ya)\b"
    # Round 9 (kinds read on the retired fresh3 slice): a partner's leaving thrown at someone, and their
    # looks mocked ("no wonder his missus walked out", "look at the state of her hair").
    r"|\bno wonder (?:her|his|their|your|ur|yer) (?:husband|hubby|wife|missus|partner|fella|bloke|boyfriend|girlfriend|"
    r"other half|kids?|family|mates)\s+(?:(?:left|walked out|ran off|did a runner|cheated|dumped|moved out|never visit)"
    r"(?!\s+(?:the|early|for|to|at|before|after|work|a|in)\b)|packed (?:her|his|their|your) bags|cleared off|"
    r"legged it|fled|ran a mile|won'?t visit|never calls?|(?:don'?t|doesn'?t|never) (?:visit|speak to you|call))"
    r"|\blook at the state of (?:her|him|his|your|ur|yer|that|this)\s+(?:\w+\s+)?(?:face|hair|haircut|teeth|"
    r"profile|pic|picture|photo|selfie|outfit|clothes|make-?up|trainers|eyebrows|tattoos?)\b"
    r"|\bnasty\s+piece\s+of\s+work\b|\b(?:sorry|poor|pathetic)\s+excuse\s+(?:for|of)\s+an?\s+\w+"
    # Round 8: comparisons that call a person stupid or ugly ("the IQ of a lettuce", "the manners of a pig",
    # "a face like a smacked backside", "a walking advert for birth control", "as dense as..."), the zoo
    # or the basement they belong in, and being a disgrace to the human race.
    r"|\b(?:iq|brain|brains|brain cells?|intelligence|mental age|common sense)\s+of\s+an?\s+(?:[\w'-]+\s+)?[\w'-]+"
    r"|\b(?:manners|personality|charm|charisma|social skills|people skills|memory|tact|attention span|patience|"
    r"looks|sense of humour)\s+of\s+an?\s+(?:[\w'-]+\s+)?[\w'-]+"
    r"|\bface\s+like\s+an?\s+(?:smacked|slapped|squashed|dropped|melted|wet|bag|robber'?s|bulldog|pug|pig|horse|"
    r"potato|pizza|busted|burst|welder'?s|bust|kicked|smashed|mashed)\b(?:\s+[\w'-]+){0,2}"
    r"|\bwalking\s+(?:advert|advertisement|ad)\s+(?:for|against)\s+[\w'-]+(?:\s+[\w'-]+)?"
    r"|\bas\s+(?:thick|dense|dim|daft|dumb|stupid|gormless|clueless|ugly|useless)\s+as\b"
    r"|\b(?:thick|dim|dense)\s+as\s+(?:pig\s*muck|muck|ditchwater|dishwater|an?\s+(?:[\w-]+\s+){0,2}(?:bulb|candle))\b"
    r"|\bwho\s+let\s+(?!(?:the|a|an|my|our|their|your|these|those)\b)[\w@'-]+\s+out\s+of\s+(?:the|its|his|her|their|your)\s+(?:zoo|cage|kennel|asylum|"
    r"box|pen|enclosure|hutch)\b"
    r"|\b(?:your|ur|yer|his|her)\s+(?:mum|mam|mom|mother|nan)'?s\s+basement\b"
    r"|\bdisgrace\s+(?:of|to)\s+(?:a|the)\s+human\s+(?:being|race)\b"
    r"|\bnobody\s+(?:asked|wants|needs|cares\s+about)\s+(?:for\s+)?(?:your|ur|yer)\s+(?:opinion|views?|input|"
    r"thoughts|comments?|two\s+pence|2p)\b"
    r"|\b(?:go\s+)?touch\s+grass\b|\bgrow\s+a\s+(?:brain|spine)\b"
    # Issue 10 probe, by kind. A person's sense or brains measured against a thing ("as much sense as a
    # ...", "as bright as a ..." unless the thing is the idiom's praise: a button, a new pin, a tack),
    # or found wanting by a comparative ("dafter than a ...").
    r"|\b(?:about\s+)?as\s+much\s+(?:sense|brains?|clue|common\s+sense|wit|intelligence|personality|charm|fun|"
    r"charisma|life|spine|backbone)\s+as\s+"
    r"(?:a|an|the|my|your)\s+[\w'-]+(?:\s+[\w'-]+){0,3}"
    r"|\b(?:about\s+)?as\s+(?:sharp|bright|clever|smart|quick|switched\s+on|with\s+it)\s+as\s+(?:a|an|the)\s+"
    r"(?!(?:button|tack|pin|new\s+pin|whistle|razor|knife|needle|flash|star|fox|owl|lark|daisy|bee|penny|"
    r"diamond|hawk|eagle|fiddle|lightning)\b)[\w'-]+(?:\s+[\w'-]+){0,2}"
    r"|\b(?:dumber|thicker|dafter|dimmer|denser|stupider|dopier|dozier|more\s+(?:stupid|gormless|clueless|useless))"
    r"\s+than\s+(?:a|an|the|two|some|my|your)(?:\s+[\w'-]+){1,3}"
    # Something short of the full set ("a few bricks short of a load", "two sandwiches short of a picnic"),
    # not the full amount ("isn't the full shilling"), brain cells counted, an empty head.
    r"|\b(?:a|one|two|three|a\s+few|few|a\s+couple\s+of)\s+(?:[\w'-]+\s+)?[\w'-]+\s+short\s+of\s+(?:a|an)\s+"
    r"(?:full\s+)?[\w'-]+"
    r"|\b(?:a|one|two)\s+(?:sandwich(?:es)?|sarnies?|butty|butties|brick|bricks|card|cards|slice)\s+short\b(?!\s+of\s+(?:a|the)\s+(?:delivery|order))"
    # Said with a body part: "muppet-features", "pea-brain", "pizza-face".
    r"|\b(?:[a-z]+-(?:features|face|brain|breath)|(?:pea|bird|pig|fish|rat|weasel|moon|pizza|slap|bum|muppet)"
    r"(?:features|face|brain|breath))\b"
    # "were you behind the door when they handed out brains?"
    r"|\bbehind\s+the\s+door\s+when\s+(?:they|god)\s+(?:handed|gave|dished)\s+out\b"
    # (Spelt out, not "n't": an alternative that may start mid-word made the whole alternation 8x slower.)
    r"|\b(?:not|isn't|wasn't|aren't|ain't|weren't)\s+(?:the\s+)?full\s+(?:shilling|quid|pound|ticket|deck|packet|picnic|shilling)\b"
    r"|\b(?:two|one|three|a\s+couple\s+of)\s+brain\s*cells?\b|\bif\s+brains\s+were\s+[\w'-]+"
    r"|\b(?:nothing|anything|something|tumbleweed|an\s+echo|fresh\s+air|sawdust|cotton\s+wool)\s+(?:going\s+on\s+)?"
    r"between\s+(?:your|his|her|their|ur)\s+ears\b"
    # Rhetorical questions about how a person came to be this way, or who minds them.
    r"|\bdrop(?:ped)?\s+(?:you|him|her|them)\s+on\s+(?:your|his|her|their)\s+heads?\b"
    r"|\bborn\s+(?:this|that|so)\s+(?:stupid|dim|thick|daft|dense|gormless|dumb|clueless|useless)\b"
    r"|\bdoes\s+(?:your|his|her)\s+(?:carer|keeper|mum|mam|mother|social\s+worker)\s+know\b"
    r"|\b(?:who|whoever)\s+(?:raised|brought\s+up|dragged\s+up)\s+(?:you|him|her)\b|\braised\s+by\s+wolves\b"
    # Sarcastic praise of a mind, and a person's noise likened to an animal's.
    r"|\b(?:towering|giant|colossal|staggering|superior)\s+intellect\b"
    r"|\b(?:cackl|squawk|bray|screech|yapp|grunt|snort|waddl|honk|bleat)\w*\s+like\s+(?:a|an|some)\s+"
    r"(?:[\w'-]+\s+)?[\w'-]+"
    # Round 11 (kinds read on the retired fresh4 slice and abuse_probe6). Looks likened to an animal or an
    # unlovely thing ("looks like a bulldog ...", "looks like he sleeps in a skip").
    r"|\b(?:looks?|looked|looking)\s+like\s+(?:an?|some|the)\s+(?:[\w'-]+\s+){0,2}?(?:"
    + _UNLOVELY
    + r")\b(?:\s+[\w'-]+){0,3}"
    r"|\b(?:looks?|looked|looking)\s+like\s+(?:s?he|they|you|u)(?:'?s|'?d|'?ve)?\s+(?:\w+\s+){0,2}?(?:sleeps?|slept|lives?|"
    r"lived|been dragged|was dragged|got dressed|gets dressed|dresses|was raised|showers?|crawled)\s+(?:in|through|under|"
    r"behind|out of|from)\s+(?:a|an|the)\s+(?:skip|hedge|bin|bush|cave|ditch|gutter|tip|dump|swamp|sewer|drain)\b"
    # "Excuse for a human" whatever the adjective ("a disgraceful excuse for a human").
    r"|\bexcuse\s+(?:for|of)\s+an?\s+(?:human(?:\s+being)?|person|man|woman|mother|father|mum|dad|neighbour|adult|"
    r"grown[- ]?up|bloke|parent)\b"
    # The worst of a person's kind ("the most annoying person on this page", "a walking headache").
    r"|\bthe\s+(?:most\s+(?:annoying|irritating|boring|tedious|obnoxious|unpleasant|unbearable|insufferable|"
    r"miserable|bitter|smug|arrogant|selfish|pathetic|useless|ignorant|two-faced|spiteful|vile|horrible|stupid|"
    r"clueless|gormless|deluded|repulsive|vindictive)|ugliest|thickest|dimmest|laziest|nastiest|dullest|dumbest|"
    r"stupidest|smuggest|meanest|biggest\s+(?:idiot|moron|clown|joke|liar|loser|bore|waste\s+of\s+\w+))\s+"
    r"(?:\w+\s+)?(?:person|man|woman|individual|human|human being|bloke|fella|lass|poster|people|specimen|"
    r"neighbour|creature|being|git|idiot|resident|tenant)\b"
    r"|\bwalking\s+(?:headache|migraine|toothache|disaster|nightmare|cliche|joke|embarrassment|red flag|"
    r"stereotype|car crash|advert for \w+)\b"
    # Nobody can stand them; everyone laughs at them.
    r"|\b(?:nobody|no one|no-one|noone|not one person|not a soul)\b[^.!?]{0,30}?\b(?:can|could)\s+(?:stand|bear|"
    r"stomach|abide|tolerate|stick)\s+(?:you|u|ya|him|her)\b"
    r"|\b(?:everyone|everybody|the whole (?:\w+\s+){1,2}?|all of us)\s*(?:\w+\s+){0,3}?(?:(?:laughs? at|is laughing at|"
    r"are laughing at|is sick of|are sick of|can'?t stand|rolls? (?:their|our) eyes at)\s+(?:you|u|ya|him|her)|"
    r"thinks? (?:you'?re|youre|ur|he'?s|she'?s) (?:a|an) (?:joke|laughing stock|idiot|clown|embarrassment))\b"
    # Found wanting against a thing or a smell: "a bag of peas could run rings round you", "you smell as
    # bad as your opinions", "a brain the size of a pea", "you'd bore the paint off a wall".
    r"|\b(?:could|would|can)\s+(?:run rings (?:round|around)|outsmart|outwit|out-?think|out-?argue)\s+(?:you|u|ya|him|her)\b"
    r"|\b(?:smell|stink|look|sound|reek)s?\s+(?:as bad as|worse than)\s+(?:your|ur|his|her|their)\b"
    r"|\bbrains?\s+(?:is\s+|are\s+|'s\s+)?(?:as small as|the size of|smaller than|no bigger than)\b"
    r"|\bbore\s+the\s+(?:paint|wallpaper|legs|ears|pants|socks|arse|backside|tits)\s+off\b"
    r"|\b(?:ugly|rotten|nasty|vile|horrible|bitter|poisonous)\s+(?:inside and out|to the core|through and through)\b"
)
# Round 8: a character adjective said of a person noun ("a nasty little man", "a horrible spiteful
# creature", "you lazy old so and so"): the noun shows a person is meant.
_ADJ_PERSON = re.compile(
    r"\b(?:"
    + PERSON_ADJECTIVES
    + r"|horrible|miserable|bitter|spiteful|ignorant|arrogant|lazy|tragic|sad|odious|"
    r"poisonous|snide|sneaky|grubby|creepy|weird|jumped-up|angry|silly|"
    # Round 11: disgust and contempt ("a revolting specimen", "you snivelling little toad").
    r"revolting|repulsive|disgusting|loathsome|contemptible|pitiful|wretched|snivelling|sour-faced|gossiping)\s+"
    r"(?:(?:little|old|young|fat|wee|horrible|nasty|miserable|bitter|sad|lazy|ugly)\s+){0,2}"
    r"(?:man|woman|person|creature|individual|specimen|human being|bloke|fella|cow|git|so and so|madam|toad)\b"
)

_SECOND = re.compile(
    r"\b(?:you|u|ya|ye|youse|youre|you're|your|ur|yer|yourself|yourselves|yous|you lot|your lot)\b"
)
_THIRD = re.compile(r"\b(?:he|she|he's|she's|hes|shes|him|her|whoever|whichever|whoevers)\b|@\w+")
_PERSON_NOUN = re.compile(
    r"\b(?:man|men|woman|women|lady|ladies|bloke|blokes|guy|guys|lad|lads|girl|girls|fella|fellas|chap|chaps|"
    r"person|neighbour|neighbours|mate|idiot|muppet|clown|staff|landlord|boss|manager|managers|officer|"
    r"officers|councillor|councillors|mp|chairman|chair|director|directors|members?)\b"
)
_SELF = re.compile(r"\b(?:i|i'm|im|i am|i was|i felt|i feel|me|myself|like me|we|we're|us)\b")
# The author's own family, as the subject of the insult (banter, not harassment). Not "my ex".
OWN_FAMILY = re.compile(
    r"\b(?:my|our)\s+(?:(?:little|baby|eldest|youngest|oldest|middle|wee|big|old|new|lovely|gorgeous)\s+)?(?:husband|hubby|wife|missus|partner|other half|fella|son|lad|boy|boys|daughter|girl|girls|"
    r"kids?|children|mum|mam|mom|dad|nan|nana|gran|grandad|grandma|grandson|granddaughter|brother|sister|"
    r"bro|sis|twins?|cousin|uncle|auntie|aunt|"
    # ... and the author's own pet: "my dog is a total clown" is fondness.
    r"dogs?|cats?|pupp(?:y|ies)|pups?|kittens?|parrots?|budgies?|rabbits?|hamsters?|pony|horse|goldfish|"
    r"tortoise|pets?)(?:'s)?\s+(?:(?:is|was|are|were|being)\s+)?"
    r"(?:(?:such|a|an|an absolute|a complete|a total|a right|a proper|an utter|the biggest|so)\s+)*(?:[\w-]+\s+)?$"
)
_THING = re.compile(
    r"\b(?:it|this|that|there|these|those|which|what)\s*(?:is|was|are|were|'s|'re|has been|looks?|seems?)?\s+"
    r"(?:" + _INTENS + r")?(?:an?\s+)?$"
    r"|\bthere(?:'s|s| is| are| was| were)\b"
)
# Capitalised words that are not names, as the first word of a clause.
NOT_NAMES = frozenset(
    (
        "the", "this", "that", "these", "those", "it", "its", "there", "here", "what", "why", "how", "when",
        "where", "who", "i", "my", "our", "your", "his", "her", "their", "we", "they", "he", "she", "you",
        "and", "but", "so", "well", "honestly", "seriously", "sorry", "please", "thanks", "havebury", "council",
        "rent", "mum", "dad", "nan", "gran", "oh", "omg", "lol", "yes", "no", "not", "if", "as", "just",
        "everyone", "anyone", "someone", "nobody", "everybody", "somebody", "all", "some", "any", "each",
        "a", "an", "ok", "okay", "hi", "hello", "dear", "today", "yesterday", "tomorrow", "monday",
        "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "god", "jesus", "christmas",
    )
)  # fmt: skip
# "Imagine being this gormless": said to whoever the reply is aimed at.
_IMAGINE = re.compile(r"\bimagine (?:being|having)\b")
_REPORTING = re.compile(
    r"\b(?:said|says|say|saying|reckons?|reckoned|wrote|writes|posted|claimed|claims|claiming|told (?:me|us|him|her))\b"
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


def _clause_before(ctx: Context, start: int, width: int = 60) -> tuple[int, str]:
    lo = max(0, start - width)
    before = ctx.text[lo:start]
    cut = max(before.rfind(c) for c in ".!?\n;")
    if cut >= 0:
        lo += cut + 1
        before = before[cut + 1 :]
    return lo, before


def _names(ctx: Context, lo: int, hi: int) -> bool:
    """A capitalised word in the author's own text between lo and hi that is not a common word."""
    if hi <= lo:
        return False
    olo, ohi = ctx.norm.span(lo, hi)
    known = english_words() or {}
    for i, m in enumerate(_WORD.finditer(ctx.original, olo, ohi)):
        word = m.group()
        if not word[0].isupper() or word.lower().strip("'") in NOT_NAMES or word.isupper():
            continue
        if i == 0 and word.lower() in known and not ctx.original[olo : m.start()].strip(" ,@"):
            continue  # "Parking round here is a nightmare": a capital for the sentence, not a name
        return True
    return False


# A sentence that ends by naming whom it is said to: "..., Kayleigh?", "... on every post Tracy".
_ADDRESSEE = re.compile(r"(?:,\s*|\s+)(@\w+|[A-Z][a-z]+)\W*$")
_SIGN_OFFS = frozenset({"regards", "thanks", "cheers", "love", "best", "yours", "sincerely", "ta", "x", "xx"})
_SIGNED = re.compile(
    r"\b(?:regards|thanks|cheers|love|best wishes|yours|sincerely|from|signed)\W*$|\b(?:mr|mrs|ms|miss|dr)\.?\s*$",
    re.IGNORECASE,
)


_YOU_AFTER = re.compile(r"\s*(?:you|u|ye)\s*(?:are|'re|r|were)\b")


# A capitalised word opening the sentence, straight before its verb: "Brian is a slimy toad", "Nigel has
# two brain cells". Its capital may be the sentence's, so it counts as a name only for insults said of
# people alone (``person_only``): "Parking is a nightmare" is not one.
_OPENS_WITH_NAME = re.compile(
    r"\s*(?!(?:The|This|That|It|There|What|Which)\b)[A-Z][a-z]+(?:\s+(?:from|at|in|on)(?:\s+[\w'-]+){1,2})?"
    r"(?:'s|\s+(?:is|was|has|had))\s"
)
THING_CREATURES = frozenset(
    {"nightmare", "nightmares", "liability", "liabilities", "lump", "lumps", "robot", "robots", "dinosaur",
     "dinosaurs", "puppet", "puppets", "pest", "pests", "tube", "tubes", "mug", "roaster", "roasters"}
)  # fmt: skip


def person_only(m: re.Match[str]) -> bool:
    """Is the match an insult that only a person can be (not also a thing: "a nightmare", "a liability")?"""
    if m.re is IDIOMS:
        return not m.group().startswith(("as much use", "about as much use", "as useful", "about as useful"))
    return m.re is _CREATURE_SAID and m.group("word") not in THING_CREATURES


def addressed(ctx: Context, start: int) -> bool:
    """The sentence holding ``start`` is said to a person it names at its end."""
    text = ctx.text
    ends = [i for i in (text.find(c, start) for c in ".!?\n") if i >= 0]
    end = min(ends, default=len(text))
    while end < len(text) and text[end] in ".!?":
        end += 1
    ostart, oend = ctx.norm.span(start, end)
    tail = ctx.original[ostart:oend]
    m = _ADDRESSEE.search(tail)
    if m is None or m.group(1).lower() in NOT_NAMES or m.group(1).lower() in _SIGN_OFFS:
        return False
    # After a comma only, and not a signature ("... Regards, Pat", "... on Tuesday Mrs D Harris").
    return "," in m.group() and not _SIGNED.search(tail[: m.start()])


def aimed_at_person(
    ctx: Context,
    start: int,
    *,
    roles: bool = True,
    names: bool = True,
    end: int | None = None,
    person_only: bool = False,
) -> bool:
    """Is the insult starting at ``start`` said of a person rather than of a thing or of the author?

    ``names=False`` for words also said of organisations and schemes ("Universal Credit is useless"):
    a capitalised word alone is then not enough. ``end``: the insult's words are read too, so "nothing
    between your ears" is said to "you"."""
    lo, before = _clause_before(ctx, start)
    if _REPORTING.search(before):
        return False  # "people said the officer was useless": someone else's words
    said_to = None
    if end is not None:  # "nothing between your ears", "what a towering intellect you are"
        said_to = _SECOND.search(ctx.text, start, end) or _YOU_AFTER.match(ctx.text, end)
    second = bool(_SECOND.search(before) or _IMAGINE.search(before) or said_to)
    if not second and names and addressed(ctx, start):
        second = True
    if _SELF.search(before) and not second:
        return False  # "I felt such a numpty", "like me"
    if OWN_FAMILY.search(before) and not second:
        return False  # "my husband's an absolute muppet": banter about the author's own family
    if _THING.search(before) and not second:
        return False  # "it's hopeless", "there's a snake in the garden"
    if second or _THIRD.search(before) or _PERSON_NOUN.search(before):
        return True
    if roles and ctx.config.compiled["staff_roles"].search(before):
        return True
    if names and _names(ctx, lo, start):
        return True
    if person_only and names and _OPENS_WITH_NAME.match(ctx.original, *ctx.norm.span(lo, start)):
        return True
    # Nothing but the insult and a name or mention: "gormless, the lot of you".
    rest = (ctx.text[:start]).strip(" .!?,@\n")
    return not rest


def said_of(ctx: Context, person_end: int, start: int) -> bool:
    """The insult at ``start`` follows a person named just before it ("Steve who came ... is a cowboy"),
    with no thing, self or reporting verb in between."""
    between = ctx.text[person_end:start]
    return not (_REPORTING.search(between) or _THING.search(between) or _SELF.search(between))


# Adjectives also said of services and organisations: a capitalised word is not enough for them.
_ALSO_OF_THINGS = re.compile(
    r"useless|hopeless|pathetic|stupid|ignorant|vile|nasty|incompetent|clueless|thick|dense|idle"
)


# Round 11: looks mocked are abuse of the person, staff or not; a judgement of staff's work is another matter.
_LOOKS = re.compile(r"(?:look(?:s|ed|ing)?|face)\s+like\b|look at the state of\b")


def mocks_looks(m: re.Match[str]) -> bool:
    return m.re is IDIOMS and bool(_LOOKS.match(m.group()))


def said_of_things_too(m: re.Match[str]) -> bool:
    return m.re is _ADJ_SAID and bool(_ALSO_OF_THINGS.fullmatch(m.group("word")))


def find_insults(ctx: Context) -> list[re.Match[str]]:
    """Adjectives, creatures and idioms aimed at a person, in the order they occur."""
    found = [
        m
        for pattern in (_ADJ_SAID, _CREATURE_SAID, _YOU_ARE, IDIOMS, _ADJ_PERSON)
        for m in pattern.finditer(ctx.text)
    ]
    return sorted(found, key=lambda m: m.start())


def insult_span(m: re.Match[str]) -> tuple[int, int]:
    """The insulting words of a match (not the verb before them)."""
    if "word" in m.re.groupindex and m.group("word") is not None:
        return m.start("word"), m.end("word")
    return m.start(), m.end()
