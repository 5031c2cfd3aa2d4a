"""Issue 10, round 5 (recall): wider gates and word lists, each with the near miss it must leave alone.

Rules only (no word model, no semantic layer) unless a test says otherwise, so each test pins one rule.
The sentences are written for these tests, not taken from the tuning set or a fresh slice.
"""

import pytest

from moderation.policy import PolicyConfig, check
from moderation.policy.semantic_flags import _asking


def rules(text):
    return check(text, use_model=False, use_semantic=False)


def categories(text):
    return set(rules(text).categories)


@pytest.mark.parametrize(
    "text",
    [
        "Your allocations team are a shambles from top to bottom",
        "The head of housing should be ashamed, three years and nothing fixed",
        "Honestly the operators on the repairs line haven't got a clue",
        "The voids team are the laziest bunch I've come across",
    ],
)
def test_staff_criticism_by_team_or_function(text):
    result = rules(text)
    flags = [f for f in result.flags if f.category == "staff_criticism"]
    assert flags, text
    assert flags[0].clause == "2.3"
    assert flags[0].evidence


@pytest.mark.parametrize(
    "text",
    [
        "The allocations team were brilliant, moved us within a month",
        "Who is the head of housing these days? I'd like to invite her to our meeting",
    ],
)
def test_the_same_teams_praised_or_asked_about_are_not_criticised(text):
    assert "staff_criticism" not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "The roofer Havebury sent fleeced my gran out of her savings",
        "That joiner helped himself to the tips jar while we were out",
        "Funny how things went missing every time the decorator from the firm was in",
    ],
)
def test_defamation_in_new_words(text):
    assert "defamation" in categories(text), text


@pytest.mark.parametrize(
    "text",
    [
        "I bought a fleece at the market and the engineer said it looked warm",
        "I want to pay off the arrears, the income officer set up a plan for me",
        "The letter from the officer must have gone missing in the post",
    ],
)
def test_the_same_words_without_an_accusation(text):
    assert "defamation" not in categories(text), text


@pytest.mark.parametrize(
    "text",
    [
        "You'd best sleep with one eye open, Mr Surveyor",
        "Somebody needs to teach that caretaker a lesson",
        "Carry on like this and see what happens to your office",
        "If the fitter comes back he's getting a clip round the ear",
        "Time to brigade their page, everybody pile onto their comments",
    ],
)
def test_threats_in_new_frames(text):
    flags = rules(text).flags
    assert any(f.subtype == "threat" and f.urgent for f in flags), text


@pytest.mark.parametrize(
    "text",
    [
        "Switch the boiler off and on again and see what happens when it restarts",
        "We're all going to pile into the hall for the quiz on Friday",
        "Shame if anyone misses the carol service, it's lovely",
    ],
)
def test_the_same_frames_that_are_not_threats(text):
    assert not any(f.subtype == "threat" for f in rules(text).flags), text


def test_personal_data_spelt_out_email_and_number_plate():
    email = [f for f in rules("write to mick_h at yahoo dot com, he'll tell you").flags]
    assert [f.source for f in email] == ["personal_data.email_spelt"]
    assert email[0].evidence == "mick_h at yahoo dot com"
    plate = [f for f in rules("His van's reg is KD19 XYZ if anyone wants to find him").flags]
    assert "personal_data.vehicle" in [f.source for f in plate]
    assert "personal_data" not in categories("See you at the hall at seven, my plate of sandwiches is ready")
    assert "personal_data" not in categories("Email customer services at havebury dot com")


def test_a_named_persons_criminal_record_is_personal_data():
    flags = rules("Sandra Pike from the allotments has just come out of prison, lock your sheds").flags
    assert any(f.category == "personal_data" and "prison" in f.evidence for f in flags)
    assert "personal_data" not in categories(
        "My brother came out of prison last year and Havebury found him a flat"
    )


@pytest.mark.parametrize(
    ("text", "asking"),
    [
        ("Is it true they're closing the Clare office?", True),
        ("Anyone know if the rents are going up again?", True),
        ("Rent going up 30 per cent? Garage rents too?", True),
        ("Will Havebury be hiring gardeners next spring? My son is looking", True),
        ("Did you know they're selling every garage on the estate?", False),
        ("They're shutting the Clare office in March. How is that fair?", False),
        ("Havebury are selling the bungalows to a developer", False),
    ],
)
def test_asking_about_a_rumour_is_told_apart_from_stating_it(text, asking):
    assert _asking(text.lower()) is asking


def test_more_ways_of_naming_protected_groups_but_not_the_old_boiler():
    groups = PolicyConfig.default().compiled["hate_groups"]
    for text in ("same-sex couples", "older people", "deaf people", "lithuanians", "people from abroad"):
        assert groups.search(text), text
    assert not groups.search("the old boiler in the old kitchen")


def test_only_gated_heads_stand_under_the_flag_min_floor():
    from moderation.policy.result import Flag
    from moderation.policy.semantic_flags import below_floor_allowed

    def flag(source):
        return Flag(
            category="x", clause="2.3", evidence="", start=0, end=0, score=0.45, source=source, explanation=""
        )

    assert below_floor_allowed(flag("semantic:misinformation@2026.12.02"))
    assert below_floor_allowed(flag("semantic:hate@2026.12.02"))
    assert not below_floor_allowed(flag("semantic:inappropriate_link@2026.12.02"))
    assert not below_floor_allowed(flag("misinformation.false_claim"))


@pytest.mark.parametrize(
    "text",
    [
        "People say the old depot is being turned into flats, great news if true",
        "The newsletter says service charges rise by 3% in April, more at the meeting",
        "Someone said the lifts are being replaced, not sure if that's true",
    ],
)
def test_a_hedged_or_officially_sourced_claim_is_not_a_rumour(text):
    assert "misinformation" not in check(text).categories, text
