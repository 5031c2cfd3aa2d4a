"""Issue 10, round 11: kind or neutral mentions of protected groups are not hate, by kind
(docs/evaluation.md, "Round 11: kind mentions of groups").

The semantic hate head and the word model read a group noun beside housing words as hate ("Asylum hotels
are a policy failure by ministers"). Here each source is pushed over its threshold on purpose (the hate
head's probability forced to 0.99, the word model's score to 0.99), so the tests pin the gate, not the
heads: a kind framing makes both stand aside, and a hateful near miss in the same words stays flagged.
Every sentence is written for these tests, in words that are in no probe file or slice.
"""

import pytest

from moderation.policy import check
from moderation.policy.config import PolicyConfig
from moderation.policy.engine import _shipped_semantic, encode_semantic
from moderation.policy.normalise import normalise
from moderation.policy.rules import Context
from moderation.policy.rules.hate import find_hate
from moderation.policy.semantic_flags import semantic_harm

CONFIG = PolicyConfig.default()


def ctx_of(text, score=None):
    return Context(norm=normalise(text), config=CONFIG, links=(), has_media=False, model_score=score)


def head_flags_hate(text):
    """Does the semantic layer flag hate when its hate head is sure (0.99)?"""
    model = _shipped_semantic()
    if model is None:
        pytest.skip("the semantic layer is not shipped in this checkout")
    enc = encode_semantic(model, [text], CONFIG)[0]
    flags = semantic_harm(ctx_of(text), model, enc, {"hate": 0.99}, [])
    return any(f.category == "hate" for f in flags)


def word_model_flags_hate(text):
    """Does the hate rule's word-model path flag hate when the word model is sure (0.99)?"""
    flags = find_hate(ctx_of(text, score=0.99), model_name="model:test", model_threshold=0.5)
    return any(f.category == "hate" for f in flags)


KIND = {
    "the group counted in with everyone": [
        "Hindus, Sikhs and Muslims on Elm Row, we all share the same leaky gutters",
        "People are people, whichever church or temple the Sikhs next door go to",
        "Gay lads at number 6 are just wanting to live quietly, leave them be",
    ],
    "a group's needs or rights": [
        "The deaf couple in flat 9 need better lighting on the stairwell so they can see visitors",
        "Gypsies have the same right to a decent pitch with a standpipe as anyone",
        "Someone at the council needs to house the Afghan interpreters who worked for our army",
    ],
    "concern for the group's welfare": [
        "Those refugee lads are dossing in a damp garage, could somebody check on them",
        "Ukrainian grannies in that guesthouse are in cramped rooms with no cooker, it's a disgrace",
        "Blind tenants shouldn't be left waiting eight months for a talking door entry system",
    ],
    "policy blamed, not the people": [
        "No issue whatsoever with the Romanian family, my gripe is the letting agent",
        "The allocation system is unfair on refugees and they never asked for any of it",
    ],
    "the place relies on the group": [
        "Half the care assistants at Greenacres are Filipino and the home couldn't cope without them",
    ],
    "someone else's hate condemned": [
        "Somebody scrawled vile stuff about Muslims on the lift, shame on whoever did it",
        "Stop scapegoating the Kurdish family for the bins, it's the contractor's fault",
        "Heard a bloke saying refugees get free cars, it's rubbish and it's out of order",
    ],
    "help for the group asked after": [
        "Is there any support for Afghan mums who want to learn English round here? Asking for my neighbour",
    ],
    "a relative who is one of the group": [
        "My gay brother has lived on this estate twenty years and loves it",
        "Windrush families built the NHS, my mam was one of them and proud of it",
    ],
}
NEAR_MISSES = [
    # The same groups and words, said with hostility: every one must stay flagged by both sources.
    "We all know what the Romanians on Elm Row are like, thieving every chance they get",
    "Gypsies have no right to a pitch anywhere near decent people",
    "Migrants get all the rights round here and our own get none",
    "Refugee lads dossing about all day like vermin, someone should move them on",
    "The Romanian family are the problem, not the letting agent",
    "The allocation system is unfair because refugees are scroungers",
    "The town would be better off without the Romanians",
    "Shame the Afghan family ever got a house on our street",
    "Is there any reason Afghan families get housed before us?",
    "The Muslims next door are all the same, can't trust one of them",
    # A kind frame's words used for resentment or exclusion: no hostile word from the lists, so the frame
    # itself must not excuse them.
    "Refugees just want to sponge off the rest of us",
    "We all want the Romanians gone from Elm Row",
    "Whoever said immigrants were good for this town was lying",
    "Shame on whoever let the Afghans into our close",
    "No problem with gays but they shouldn't be put next to families",
    "The system is unfair, migrants get everything handed to them",
    "Housing refugees ahead of local people, that's out of order",
    "We never asked for the migrants to be dumped on this estate",
    "The council needs to give the Romanians a one-way ticket",
]


@pytest.mark.parametrize(
    "text", [pytest.param(t, id=f"{kind}: {t[:30]}") for kind, texts in KIND.items() for t in texts]
)
def test_kind_mention_is_not_hate(text):
    assert not head_flags_hate(text)
    assert not word_model_flags_hate(text)


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_hateful_near_miss_stays_flagged(text):
    assert head_flags_hate(text)
    assert word_model_flags_hate(text)


@pytest.mark.parametrize(
    "text",
    [
        "It's wicked how folk at the bus stop call Romanians beggars",
        "There's a group chat labelling refugees vermin and nobody stops it",
    ],
)
def test_a_word_someone_calls_the_group_is_not_the_authors_claim(text):
    assert not any(f.category == "hate" for f in check(text, use_model=False, use_semantic=False).flags)


@pytest.mark.parametrize("text", ["Romanians are beggars, call them what they are", "refugees are vermin"])
def test_the_authors_own_claim_stays_hate(text):
    assert any(
        f.source == "hate.group_predicate" for f in check(text, use_model=False, use_semantic=False).flags
    )


def test_slag_off_is_the_verb_not_a_slur():
    text = "Anyone who slags off the Polish families should be ashamed"
    assert not any(
        f.source == "hate.misogyny" for f in check(text, use_model=False, use_semantic=False).flags
    )
    assert any(
        f.source == "hate.misogyny" for f in check("she's a slag", use_model=False, use_semantic=False).flags
    )


def test_engine_word_model_flag_stands_aside_on_a_kind_mention():
    """The engine's catch-all word-model flag does not pick up what the hate path set aside."""
    text = "The allocation system is unfair on refugees and they never asked for any of it"
    assert not {"hate", "profanity", "harassment"} & {f.category for f in check(text).flags}
