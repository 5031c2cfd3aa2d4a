"""Issue 10, round 9: threats and hate without slurs, measured on comments written for this probe.

tests/data/threat_hate_probe.jsonl was written for this project (nothing copied from a public set or
from the tuning set or a fresh slice), in many voices: angry tenants, trolls, older residents,
neighbours, dialect, typos, lower case and sarcasm. Rows without a "part" (52 threats, 52 threat hard
negatives, 51 hate, 50 hate hard negatives) were written before any rule change; on the engine before
round 9 they scored threat recall 0.81 with 17% of negatives flagged as threats, hate recall 0.80 with
14% flagged as hate. The rules were then written for the kinds they showed. Rows with "part": "after"
(25 of each) were written after that and measured once before they were used: threat 0.72 -> 0.76
found with 24% -> 16% false, hate 0.92 -> 0.92 with 8% -> 8% false. Both parts are now tuning data,
and this test guards against regressions.
"""

import json
from pathlib import Path

import pytest

from moderation.policy import PolicyConfig, check
from moderation.policy.result import URGENT
from moderation.policy.rules.threats import NOTE

ROWS = [
    json.loads(line)
    for line in (Path(__file__).resolve().parents[2] / "data" / "threat_hate_probe.jsonl").open()
]


def rules(text):
    return check(text, use_model=False, use_semantic=False)


def _threat(result):
    return any(f.subtype == "threat" for f in result.flags)


def _hate(result):
    return any(f.category == "hate" for f in result.flags)


@pytest.mark.parametrize(
    ("family", "found", "min_recall", "max_false"),
    [("threat", _threat, 0.95, 0.1), ("hate", _hate, 0.95, 0.05)],
)
def test_probe_recall_and_false_flags(family, found, min_recall, max_false):
    rows = [r for r in ROWS if r["family"] == family]
    predicted = {r["id"]: found(check(r["text"])) for r in rows}
    positives = [r for r in rows if r["label"]]
    negatives = [r for r in rows if not r["label"]]
    assert len(positives) >= 40
    assert len(negatives) >= 40
    recall = sum(predicted[r["id"]] for r in positives) / len(positives)
    false_rate = sum(predicted[r["id"]] for r in negatives) / len(negatives)
    assert recall >= min_recall, [r["text"] for r in positives if not predicted[r["id"]]]
    assert false_rate <= max_false, [r["text"] for r in negatives if predicted[r["id"]]]


def test_hate_evidence_is_the_claim_not_the_group_noun():
    groups = PolicyConfig.default().compiled["hate_groups"]
    for row in (r for r in ROWS if r["family"] == "hate" and r["label"]):
        for flag in check(row["text"]).flags:
            if flag.category == "hate":
                assert not groups.fullmatch(flag.evidence.lower().strip()), (row["text"], flag.evidence)


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("i know which bus stop the caretaker's missus waits at every morning", "i know which bus stop"),
        (
            "pass round the surveyor's home address, people should know where he sleeps",
            "surveyor's home address",
        ),
        ("if your gasman comes near my door again he'll be leaving on a stretcher", "leaving on a stretcher"),
        ("lovely depot you've got. awful if it caught fire over the bank holiday", "awful if it caught fire"),
        (
            "I'm going to make your lettings officer's job a misery, see if I don't",
            "make your lettings officer's job a misery",
        ),
        ("hope somebody gives that rent man a right good hiding", "a right good hiding"),
        ("tell the site manager I'll be parked outside his house tonight", "parked outside his house"),
        (
            "I really hope somebody makes Donna from the rents team pay for this",
            "makes Donna from the rents team pay",
        ),
        ("wish that gas fitter gets his comeuppance, sooner the better", "gets his comeuppance"),
        (
            "your lettings lass has a lovely semi on Orchard Way, shame if the windows went in",
            "has a lovely semi on",
        ),
    ],
)
def test_threats_by_kind_quote_the_threatening_words(text, evidence):
    result = rules(text)
    threats = [f for f in result.flags if f.subtype == "threat"]
    assert threats, text
    assert evidence.lower() in threats[0].evidence.lower() or threats[0].evidence.lower() in evidence.lower()
    # A threat is harassment's urgent sub-type, hidden, with the staff-safety note on the flag and the result.
    assert threats[0].category == "harassment"
    assert threats[0].urgent
    assert threats[0].note == NOTE
    assert result.priority == URGENT
    assert result.action == "hide"
    assert NOTE in result.notes


@pytest.mark.parametrize(
    "text",
    [
        # A threat received and reported by its victim.
        "My ex shouted that he'd burn the house down with me in it if I changed the locks. What can Havebury do?",
        "My neighbour texted that he knows where I live now and he'll smash my windows. Police have a crime number.",
        "Somebody is going to get hurt on that loose handrail by the lifts",  # a hazard
        "I'll get you the tenancy number tonight, sorry",  # a favour
        "Gonna smash the bake sale target this year!",  # a thing, not a person
        "I hope Havebury makes the contractor pay for the damage to my carpet",  # recompense
        "With the lights out the path behind block D is like walking down a dark alley",  # a hazard
        "Shame if the windows went in before the winter, the frames are rotten",  # a repair
        "Whoever's fly-tipping by block C, you'll be reported to the council, we've got you on camera",  # recourse
    ],
)
def test_the_same_shapes_that_are_not_threats(text):
    assert not _threat(check(text)), text


@pytest.mark.parametrize(
    "text",
    [
        "pensioners are a waste of space in three bed houses",
        "those Albanians are all drug dealers",
        "muslims don't belong round here, simple",
        "these refugees are nothing but freeloaders",
        "the old boys in the bungalows are dead weight, should be put in homes",
    ],
)
def test_hate_without_slurs_is_found_by_the_rules(text):
    assert _hate(rules(text)), text


@pytest.mark.parametrize(
    "text",
    [
        "I'm disabled and some days I feel like a burden to my family",
        "People calling the Roma family 'thieves' on here should be ashamed, they've done nothing wrong",
    ],
)
def test_members_quotes_and_defence_are_not_hate(text):
    assert not _hate(check(text)), text


@pytest.mark.parametrize(
    "text",
    [
        "The Afghan people here are dirty and lazy, everyone knows it Thank you",
        "It's well known that Jews bring crime wherever they're housed. Thanks.",
    ],
)
def test_a_thank_you_signing_off_hate_is_not_counter_speech(text):
    # Counter-speech thanks someone ("thanks to the Polish lads"); a sign-off does not.
    assert _hate(check(text)), text


def test_thanks_to_a_group_is_still_counter_speech():
    assert not _hate(check("Thank you to the refugee families who cleared the community garden, legends"))
