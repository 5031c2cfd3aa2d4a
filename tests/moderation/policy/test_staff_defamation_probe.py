"""Staff criticism (by role, by name) and defamation, on comments written for issue 10 (policy engine II).

tests/data/staff_defamation_probe.jsonl holds 199 comments written by hand for this project (none copied
from any set, none from the issue text), in several voices: 48 criticisms of staff by job or team, 46 of a
named person, 45 accusations stated as fact against contractors, staff and involved residents, and 60 hard
negatives (criticism of a service or process, praise of staff, plain questions, a rumour denied, a
conviction reported, a joke among friends, the author judging themselves, a thing rather than a person).
It was committed before the rules changed; main's engine then found 0.73 / 0.72 / 0.56 of the three
families and flagged 0.18 of the hard negatives with one of the two categories.

tests/data/staff_defamation_probe2.jsonl (25 + 25 + 25 positives, 30 hard negatives, other voices) was
written after the first round of rules and measured before the second: 0.80 / 0.92 / 0.76 found and 0.10
of its negatives flagged (main before either round: 0.80 / 0.84 / 0.64 and 0.17). Its failures then
informed the second round's kinds.

tests/data/staff_defamation_probe3.jsonl (20 + 20 + 20 positives, 20 hard negatives) was written after the
second round and measured before the third: 0.70 / 0.90 / 0.75 found and none of its negatives flagged (main
before any round: 0.65 / 0.95 / 0.75 and 0.10). Its failures informed the third round's kinds.

tests/data/staff_defamation_probe4.jsonl (20 + 20 + 20 positives, 20 hard negatives) was written after the
third round and measured before the fourth: 0.90 / 0.90 / 0.85 found and 0.25 of its negatives flagged (main
before any round: 0.85 / 0.85 / 0.70 and 0.30). Its failures informed the fourth round's kinds.

tests/data/staff_defamation_probe5.jsonl (20 + 20 + 20 positives, 20 hard negatives), written after the fourth
round and measured before the fifth: 0.75 / 0.90 / 0.90 found and none of its negatives flagged (main: 0.75 /
0.80 / 0.80 and 0.05). Its failures informed the fifth round, so all five files are now tuning data and this
test guards them; docs/evaluation.md has the table.

tests/data/staff_defamation_probe6.jsonl (26 by role, 16 by name, 20 accusations, 30 hard negatives) was written
in round 11 by the kinds read on the retired fresh4 slice, before that round's rules: 11/42 staff criticisms and
12/20 accusations found, 3/30 negatives flagged; after them 40/42, 20/20 and 0/30. It is tuning data too, as
is tests/data/staff_defamation_probe7.jsonl (28 + 12 positives, 20 hard negatives), written after round 11 and
read for round 11b. tests/data/staff_defamation_probe8.jsonl was written after round 11b to measure it once and
is left out of this test on purpose.
"""

import json
from pathlib import Path

import pytest

from moderation.policy import check
from moderation.policy.engine import check_many

DATA = Path(__file__).resolve().parents[2] / "data"
ROWS = [
    json.loads(line)
    for name in (
        "staff_defamation_probe.jsonl",
        "staff_defamation_probe2.jsonl",
        "staff_defamation_probe3.jsonl",
        "staff_defamation_probe4.jsonl",
        "staff_defamation_probe5.jsonl",
        "staff_defamation_probe6.jsonl",
        "staff_defamation_probe7.jsonl",
    )
    for line in (DATA / name).open()
]
OURS = {"staff_criticism", "defamation"}


@pytest.fixture(scope="module")
def categories() -> dict[str, set[str]]:
    results = check_many([(r["text"], (), False) for r in ROWS])
    return {r["id"]: {f.category for f in res.flags} for r, res in zip(ROWS, results, strict=True)}


@pytest.mark.parametrize("family", ["staff_role", "staff_named", "defamation"])
def test_probe_recall_by_family(categories, family):
    rows = [r for r in ROWS if r["family"] == family]
    missed = [r["text"] for r in rows if r["category"] not in categories[r["id"]]]
    assert len(rows) >= 125
    assert 1 - len(missed) / len(rows) >= 0.9, missed


def test_probe_hard_negatives(categories):
    rows = [r for r in ROWS if r["family"] == "hard_negative"]
    wrong = [r["text"] for r in rows if categories[r["id"]] & OURS]
    assert len(rows) >= 150
    assert len(wrong) / len(rows) <= 0.1, wrong


def _cats(text: str) -> set[str]:
    return {f.category for f in check(text).flags}


def test_a_judgement_by_kind_needs_a_member_of_staff():
    assert "staff_criticism" in _cats(
        "the co-ordinators you employ haven't got the brains to book two jobs on one day"
    )
    assert "staff_criticism" not in _cats("my telly is bone lazy about switching on, bored stiff of it")


def test_the_author_judging_themselves_or_disclaiming_is_not_staff_criticism():
    assert "staff_criticism" not in _cats("I was lazy and never rang the housing officer back, my fault")
    assert "staff_criticism" not in _cats(
        "Not saying the receptionist is rude, she was just rushed off her feet"
    )


def test_a_job_judgement_beside_a_full_name_is_named_criticism():
    flags = [f for f in check("Ask Brenda Cole why she's so useless at her job").flags]
    staff = [f for f in flags if f.category == "staff_criticism"]
    assert staff
    assert staff[0].source == "staff_criticism.named_person"
    assert "Brenda Cole" in staff[0].evidence


def test_accusations_by_kind_quote_the_act():
    flags = check("the gas fitter doctored the service records so nobody would know").flags
    defamation = [f for f in flags if f.category == "defamation"]
    assert defamation
    assert "doctored the service records" in defamation[0].evidence


def test_a_conviction_reported_or_a_rumour_denied_is_not_defamation():
    assert "defamation" not in _cats(
        "Word is a roofer got sentenced for robbing an old lady in Bury, nothing to do with Havebury"
    )
    assert "defamation" not in _cats(
        "People are saying the caretaker took money from the kitty but it turns out it was a miscount"
    )


def test_wrongdoing_said_of_a_thing_or_a_pet_is_not_defamation():
    assert "defamation" not in _cats("the council's new parking charge is theft, £60 for a permit")
    assert "defamation" in _cats("the bin contractor charges us for collections they never did")


def test_sympathy_for_staff_and_a_role_word_naming_a_thing_are_not_criticism():
    assert "staff_criticism" not in _cats(
        "The new repairs line menu is a nightmare, 7 options and none are right"
    )
    assert "staff_criticism" not in _cats("Our housing officer is run off her feet, she does her best")


def test_banter_about_the_authors_family_is_not_defamation():
    assert "defamation" not in _cats("My brother is a crook at Monopoly, steals from the bank every game lol")
    assert "defamation" in _cats("the caretaker sells the flats' spare keys to burglars")


def test_the_author_as_witness_is_not_the_author_judged():
    # "I've never met such an arrogant bunch": the author saw it; the judgement is of the staff.
    assert "staff_criticism" in _cats("I've never met such a rude lot as your allocations team")
    assert "staff_criticism" not in _cats("I've been so rude to the allocations team, I owe them an apology")


def test_gifts_from_interested_parties_are_an_accusation():
    assert "defamation" in _cats("the estate officer gets free tickets off the contractors every season")
