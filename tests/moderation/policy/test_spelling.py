"""Misspelt key words: read as the word lists' words, quoted as the author wrote them (spelling.py)."""

import dataclasses
import json
from pathlib import Path

import pytest

from moderation.policy.config import PolicyConfig, ProtectedPerson
from moderation.policy.engine import check
from moderation.policy.normalise import normalise
from moderation.policy.spelling import Speller, edits

PROBE = Path(__file__).resolve().parents[2] / "data" / "spelling_probe.jsonl"
HARM = frozenset(
    {"profanity", "harassment", "hate", "defamation", "misinformation", "personal_data", "staff_criticism"}
)


@pytest.fixture(scope="module")
def speller() -> Speller:
    speller = PolicyConfig.default().speller
    assert speller is not None, "symspellpy (requirements.txt) ships the dictionary the speller needs"
    return speller


@pytest.mark.parametrize(
    ("typo", "word"),
    [
        ("theif", "thief"),  # a swap: "their" is one letter away too, but a changed letter costs more
        ("theives", "thieves"),
        ("scroungrs", "scroungers"),
        ("immigrunts", "immigrants"),
        ("disgracful", "disgraceful"),  # an English word that the wildcard "disgrace*" matches
        ("embezzelling", "embezzling"),
        ("idoit", "idiot"),
        ("corupt", "corrupt"),
        ("fraudser", "fraudster"),
        ("parasits", "parasites"),
        ("foriegners", "foreigners"),
    ],
)
def test_misspelt_key_words_become_the_lists_words(speller, typo, word):
    assert speller.correct(normalise(f"they are {typo} here")).text == f"they are {word} here"


@pytest.mark.parametrize(
    "word",
    [
        # Real words one letter from a key term stay as they are.
        "chief", "cook", "cooks", "lair", "best", "bent", "rate", "rated", "grate", "pirate",
        "scrounge", "scrounger", "theft", "crooked", "liar", "vermilion", "emigrants",
        # Contractions and possessives without the apostrophe are words, not typos ("thats" is not "thots").
        "thats", "theyre", "theres", "doesnt", "havent", "everyones", "womens",
        # Place names (the Scunthorpe problem) and slang the dictionary lacks but no key term is near.
        "scunthorpe", "penistone", "clitheroe", "cockfield", "innit", "mingin",
    ],
)  # fmt: skip
def test_real_words_near_key_terms_are_left_alone(speller, word):
    assert speller.correct(normalise(f"well {word} then")).text == f"well {word} then"


def test_a_common_misspelling_of_a_common_word_is_not_a_key_term(speller):
    assert "thief" not in speller.correct(normalise("they took thier time")).text


def test_names_inside_a_sentence_are_not_corrected(speller):
    text = "We met Theif and Crooker at the hall"
    assert speller.correct(normalise(text)).text == text.lower()


def test_a_sentence_start_or_shouting_is_corrected(speller):
    assert speller.correct(normalise("Theif. THEIF")).text == "thief. thief"


def test_a_protected_persons_name_is_never_corrected():
    config = dataclasses.replace(
        PolicyConfig.default(), protected_people=(ProtectedPerson(name="Dana Theif", role="officer"),)
    )
    assert config.speller is not None
    assert config.speller.correct(normalise("Theif is on the panel")).text == "theif is on the panel"


def test_split_and_run_together_words(speller):
    assert speller.correct(normalise("those scroun gers")).text == "those scroungers"
    assert speller.correct(normalise("a lyingthief")).text == "a lying thief"
    # A real word beside another is never joined ("kick back" is not "kickback").
    assert speller.correct(normalise("kick back and relax")).text == "kick back and relax"


def test_links_handles_and_masked_words_are_not_touched(speller):
    text = "see www.theif-site.com or @theif_99 and f*cking"
    assert speller.correct(normalise(text)).text == normalise(text).text


def test_edit_costs_prefer_swaps_and_dropped_vowels():
    assert edits("theif", "thief") == (1, 0.6)
    assert edits("theif", "their") == (1, 1.0)
    assert edits("disgracful", "disgraceful")[0] == 1


@pytest.mark.parametrize(
    ("text", "category", "evidence"),
    [
        ("The repairs manager is a theif, simple as.", "defamation", "theif"),
        ("Immigrunts are lazy scroungrs the lot of them", "hate", "scroungrs"),
        ("You absolute idoit, learn to read the letter", "harassment", "idoit"),
        ("Those scroun gers next door, immigrants the lot", "hate", "scroun gers"),
        ("That contractor is a th3if", "defamation", "th3if"),  # de-obfuscated, then corrected
    ],
)
def test_evidence_quotes_the_authors_own_spelling(text, category, evidence):
    flags = [f for f in check(text).flags if f.category == category]
    assert flags, check(text).flags
    assert any(evidence in f.evidence for f in flags), flags
    for f in flags:
        assert text[f.start : f.end] == f.evidence


def test_the_encoder_reads_the_corrected_text_and_quotes_the_original(speller):
    text = "Those workmen are theives!"
    fixed = speller.for_encoder(text)
    assert fixed is not None
    corrected, back = fixed
    assert corrected == "Those workmen are thieves!"
    assert len(back) == len(corrected)
    start = corrected.index("thieves")
    assert text[back[start] : back[start + len("thieves") - 1] + 1] == "theives"
    assert speller.for_encoder("Nothing wrong here") is None


@pytest.mark.parametrize(
    "clean",
    ["I grew up in Scunthorpe", "we moved from penistone", "Clitheroe market", "a cocktail in Middlesex"],
)
def test_scunthorpe_style_words_stay_clean(clean):
    assert not [f for f in check(clean).flags if f.category in HARM]


def _probe(config: PolicyConfig) -> tuple[float, set[str]]:
    rows = [json.loads(line) for line in PROBE.read_text(encoding="utf-8").splitlines() if line]
    right, positives, flagged = 0, 0, set()
    for row in rows:
        cats = {f.category for f in check(row["text"], config=config).flags} & HARM
        if row["harm"]:
            positives += 1
            right += row["harm"] in cats
        elif cats:
            flagged.add(row["id"])
    return right / positives, flagged


def test_probe_misspelt_harm_is_caught_and_near_misses_stay_clean():
    """tests/data/spelling_probe.jsonl: 42 comments with misspelt key words and 42 hard negatives with
    near-miss real words, names and common misspellings, written before the speller ran on them."""
    with_speller, flagged = _probe(PolicyConfig.default())
    without, flagged_before = _probe(dataclasses.replace(PolicyConfig.default(), spelling=False))
    assert with_speller >= 0.85
    # The speller's own share: since round 11 the heads, trained on blind-written rows too, find some
    # misspelt harm without it (0.79 of the probe), so the margin is 0.1, not the 0.15 it once was.
    assert with_speller >= without + 0.1
    assert flagged <= flagged_before  # the speller adds no false flag
