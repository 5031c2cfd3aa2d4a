"""Insults without swear words, profanity in inflected and disguised forms, and personal data as
people write it (issue 10).

tests/data/insult_profanity_pd_probe.jsonl holds comments written for this project by the helper
that changed these rules (none copied from a public set or from the frozen fresh slices), in several
dialects and voices, with hard negatives for each family. It was written and measured on main before
any rule changed: insults 21/52 found (39/42 negatives clean), profanity 31/45 (36/42), personal data
29/44 (39/42). The rules were then generalised by kind, so the file is now tuning data and these
floors guard against regressions.
"""

import json
from pathlib import Path

import pytest

from moderation.policy import check
from moderation.policy.engine import check_many

DATA = Path(__file__).resolve().parents[2] / "data"
# The second file: 150 comments in other voices, written after the first three pieces landed and
# measured before any further change (insults 16/30 found, profanity 20/20, personal data 20/20;
# negatives clean 18/20, 18/20, 19/20); its misses then steered a round, so it too is tuning data now.
ROWS = [
    json.loads(line)
    for name in ("insult_profanity_pd_probe.jsonl", "insult_profanity_pd_probe2.jsonl")
    for line in (DATA / name).open()
]
WANT = {"insult": {"harassment"}, "profanity": {"profanity"}, "personal_data": {"personal_data"}}
# What a hard negative must not get: an insult's negatives no abuse at all, a homograph no slur either.
BAD = {
    "insult": {"harassment", "hate", "staff_criticism"},
    "profanity": {"profanity", "harassment", "hate"},
    "personal_data": {"personal_data"},
}


@pytest.fixture(scope="module")
def results():
    return dict(zip((r["id"] for r in ROWS), check_many([(r["text"], (), False) for r in ROWS]), strict=True))


def _share(results, family, harmful):
    rows = [r for r in ROWS if r["family"] == family and r["harmful"] == harmful]
    wrong = []
    for r in rows:
        cats = {f.category for f in results[r["id"]].flags}
        ok = bool(set(r.get("accept") or WANT[family]) & cats) if harmful else not (BAD[family] & cats)
        if not ok:
            wrong.append(r["text"])
    return 1 - len(wrong) / len(rows), wrong


@pytest.mark.parametrize(
    ("family", "found", "clean"),
    [("profanity", 0.95, 0.9), ("insult", 0.85, 0.9), ("personal_data", 0.95, 0.95)],
)
def test_probe_floors(results, family, found, clean):
    share, missed = _share(results, family, 1)
    assert share >= found, missed
    share, flagged = _share(results, family, 0)
    assert share >= clean, flagged


@pytest.mark.parametrize(
    "text",
    ["the neighbour's gone apeshit", "the heating's gone batshit again", "what a clusterfuck",
     "bunch of arsewipes", "the c***s next door", "motherf***ers", "b*****d boiler"],
)  # fmt: skip
def test_forms_of_swear_words_are_profanity(text):
    assert "profanity" in {f.category for f in check(text).flags}


@pytest.mark.parametrize(
    "text",
    ["The flu jab was just a little prick", "New hoes for the allotment", "Our bitch had four puppies",
     "the old slag heap behind the works", "A walk on Plymouth Hoe", "salt water in the meltwater pond",
     "Arsenal play Dickens FC at Scunthorpe", "the stopcock and ballcock are by the tank"],
)  # fmt: skip
def test_innocent_senses_are_clean(text):
    # The rules' flags only: the word-level model has its own view of "bitch" (the cascade judges it).
    flags = check(text, use_model=False, use_semantic=False).flags
    assert not {"profanity", "harassment", "hate"} & {f.category for f in flags}


@pytest.mark.parametrize(
    "text",
    ["Haway man, ye doylem", "@kaz you've about as much sense as a tin of paint",
     "Is there anything between your ears, Rob?",
     "Were you raised by wolves or what", "Pipe down @jimbo you great pudding"],
)  # fmt: skip
def test_insults_without_swear_words_are_harassment(text):
    assert "harassment" in {f.category for f in check(text).flags}


@pytest.mark.parametrize(
    "text",
    ["My dog is an absolute clown, he chases his tail for hours", "We booked a clown for the fun day",
     "The new form is about as much use as a paper kettle", "I'm a few bricks short of a load before coffee",
     "The gutter's been hanging off since March in Bury"],
)  # fmt: skip
def test_insult_shapes_about_things_pets_or_the_author_are_clean(text):
    assert "harassment" not in {f.category for f in check(text).flags}


@pytest.mark.parametrize(
    "text",
    ["you can reach him on wayne_k99 @ hotmail . com", "the lad at sixty three Beacon Rise sells the stuff",
     "that's where she is every night, 9 Pear Tree Close", "his plate is Y214 HJK, the blue Astra",
     "she's a cleaner at Moreton Hall Academy", "he works nights on the door at the big Wetherspoons",
     "he was born 1979-11-03, ask him", "Account: 77 412 908 is hers"],
)  # fmt: skip
def test_personal_data_as_people_write_it(text):
    assert "personal_data" in {f.category for f in check(text).flags}


@pytest.mark.parametrize(
    "text",
    ["The Havebury office is at Havebury House, Western Way, IP33 3SP", "Send letters to your MP at SW1A 0AA",
     "We moved into 5 Ash Grove last year and the bathroom extractor has never worked"],
)  # fmt: skip
def test_public_places_and_a_tenants_own_repair_site_are_not_personal_data(text):
    assert "personal_data" not in {f.category for f in check(text).flags}


@pytest.mark.parametrize(
    "text",
    ["Shona from 2c is a spiteful old witch", "Gordon has the tact of a wrecking ball",
     "Oi pea-brain, read the letter", "Dylan's a waste of a council house",
     "Is it nice being a sandwich short, Carl?"],
)  # fmt: skip
def test_insults_of_the_second_round_are_harassment(text):
    assert "harassment" in {f.category for f in check(text).flags}


def test_a_number_named_as_the_organisation_s_after_it_is_not_personal_data():
    text = "Ring 01473 555 010, that's the council's emergency line"
    assert "personal_data" not in {f.category for f in check(text).flags}
    assert "personal_data" in {f.category for f in check("Ring Dawn on 07700 900 456, she won't mind").flags}
