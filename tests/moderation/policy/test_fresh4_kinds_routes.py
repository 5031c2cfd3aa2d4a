"""Issue 10, round 11: routes, rumours, scams and personal data by kind, read on the retired fresh4 slice.

The slice's failures (and what remained of fresh3's) were read only to name the KIND of miss; every
sentence here is written for these tests in other words than any slice or probe row, each kind with the
near misses it must leave alone. Rules only (no word model, no semantic layer) unless a test says why.
"""

import pytest

from moderation.policy import check
from moderation.policy.result import HIGH
from moderation.policy.rules.routes import sincere_praise


def rules(text):
    return check(text, use_model=False, use_semantic=False)


def route(text):
    return rules(text).route


def categories(text):
    return {f.category for f in rules(text).flags if f.clause == "2.3"}


# --- sarcastic complaints with no complaint word: an award for a failure, a count of tries, hold music,
# a mock verdict on a repair, "who needs a working X" ---------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "A trophy for whoever keeps misplacing my housing application, that's the fifth copy now.",
        "Oh great, ninety minutes of hold music and then nobody picked up.",
        "So the answer to my rotten window frame is a tin of filler? Genius.",
        "Who needs a working shower when there's a kettle? Week six and counting.",
        "Superb, I've told my story to four different officers and each one starts again from scratch.",
    ],
)
def test_sarcastic_complaints_are_complaints(text):
    assert route(text) == "complaint", text


@pytest.mark.parametrize(
    "text",
    [
        "A trophy for the under-12s, they won every match this season!",
        "Oh great, the new benches are in by the pond.",
        "Fantastic turnout, 150 people came to the fun day! Amazing",
        "Thank you for the lunch club. My neighbour's been on her own since her wife died and she adores it.",
    ],
)
def test_cheers_with_no_grievance_stay_clean(text):
    assert route(text) is None, text


# --- a complaint known by what we did: a way to reach us that fails, a charge disputed, damage done by
# contractors or no apology, a letter sent to the wrong person, done after being asked not to, a long wait


@pytest.mark.parametrize(
    "text",
    [
        "Your booking app crashes every time I pick a date and the repairs number just rings out.",
        "The email address on your letter bounces, how am I meant to report the damp?",
        "You've invoiced me £75 for a window that was already broken before I moved in.",
        "Got charged for a lock change the housing officer said would be free. I won't pay it.",
        "Your scaffolders cracked two of my patio slabs and nobody's apologised.",
        "You posted my rent statement to the wrong flat, now the chap downstairs has read it.",
        "I told the mowers to leave the wildflower patch alone and they flattened it anyway.",
        "Ten weeks waiting for someone to ring me back about the transfer.",
    ],
)
def test_complaints_by_what_happened(text):
    assert route(text) == "complaint", text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Havebury: the tenant portal is down tonight for an upgrade, ring us instead.", None),
        ("The engineer said the radiator valve is cracked and he'll order a new one.", "repair"),
        ("I was charged £40 for the garage key, which seems fair enough.", None),
        ("The app is great, booked a repair in two minutes.", None),
        ("Does anybody know whether the tenant website is down?", None),
    ],
)
def test_near_misses_of_complaints_by_kind(text, expected):
    assert route(text) == expected, text


# --- a repair with when the author is in: "I'm in all day" is availability, not a wasted day --------


def test_being_in_all_day_is_availability_not_a_complaint():
    assert route("The bath tap drips all night and won't close. I'm in all day Monday.") == "repair"
    assert route("Took the day off, I was in all day and nobody turned up.") == "complaint"


# --- heating failures for an elderly or disabled person: a repair, high priority (Awaab's Law) ----------


@pytest.mark.parametrize(
    "text",
    [
        "My grandad's 89 and his boiler keeps cutting out at night, can someone come?",
        "Nana is 94 and the heating keeps tripping, she's sat in blankets.",
    ],
)
def test_heating_failing_for_an_elderly_person_is_a_high_priority_repair(text):
    result = rules(text)
    assert result.route == "repair", text
    assert result.priority == HIGH, text


def test_an_access_aid_that_stops_is_a_repair_not_a_personal_issue():
    assert (
        route("I use a walking frame and the stairlift stopped halfway up, I'm stuck downstairs.") == "repair"
    )


def test_an_age_with_nothing_broken_is_no_route():
    assert route("My nan turned 90 last week, the party at the hall was lovely.") is None


# --- circumstances that are not the author's: a group, a gift, a denial, help offered to others ---------


@pytest.mark.parametrize(
    "text",
    [
        "Anyone who's struggling to pay for school uniforms, message my sister, she has spares.",
        "Just so it's clear, I'm not behind on my rent, whatever the gossip says.",
        "Newspapers calling families claiming universal credit workshy really gets to me.",
        "Our street raised £500 for the foodbank at the summer fair.",
        "Nobody round here is getting evicted for a late payment, the officer told me.",
    ],
)
def test_someone_elses_circumstances_are_no_personal_issue(text):
    assert route(text) is None, text


def test_the_authors_own_circumstances_still_are():
    assert route("I'm behind on my rent since my hours were cut, can someone help?") == "personal_issue"


# --- news of another landlord: neither its grievance nor its hazard is the author's ----------------------


def test_news_of_another_landlord_with_praise_for_us_is_no_route():
    text = "On the telly a landlord in Hull left a baby's room covered in black mould. Awful. Glad Havebury runs a damp campaign."
    assert route(text) is None


def test_the_authors_own_mould_next_to_the_news_is_still_a_hazard():
    result = rules("My baby's room has black mould again, I saw something on the telly about it.")
    assert result.route == "repair"
    assert result.priority == HIGH


# --- adult promotion: a "leak" there is leaked pictures, not water ---------------------------------------


def test_leaked_pictures_are_no_repair():
    result = rules(
        "leaked clips of the hottest local girls 🔥 before it's taken down https://x-clips.click/a"
    )
    assert result.route is None
    assert "inappropriate_link" in {f.category for f in result.flags}


def test_a_leaking_pipe_is_still_a_repair():
    assert route("The pipe under my sink is leaking all over the cupboard.") == "repair"


# --- rumours stated as fact: the landlord acting against tenants as a body ------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Havebury are seizing mobility scooters from everyone who parks them in the hallway.",
        "They gave all our phone numbers to the council tax office, that's why the calls started.",
        "They've closed the advice line for good, nobody gets help with forms any more.",
    ],
)
def test_rumours_of_the_landlord_acting_against_tenants(text):
    assert "misinformation" in categories(text), text


@pytest.mark.parametrize(
    "text",
    [
        "They took my bin away because the lid snapped, a new one comes Friday.",
        "Is it true Havebury are removing everyone's sheds?",
        "People say they're selling all the garages. Rang the office and it's not true.",
        "Why does everyone keep saying rents are doubling? My letter says 3%.",
        "Why is everyone saying Havebury has gone bust? The accounts look healthy to me.",
        "Someone posted that rents are going up 40%. I've just checked my letter and it's nowhere near that.",
    ],
)
def test_rumours_asked_about_denied_or_ones_own_case_are_not_flagged(text):
    assert "misinformation" not in categories(text), text


# --- personal data in new forms: reference numbers with letter groups, "[.]" for a dot -----------------


@pytest.mark.parametrize(
    "text",
    [
        "Tenancy ref AB/CD/1234567 if anyone from rents can check my balance.",
        "account ref QX-T-00882211 for the refund",
        "email me: sam.okafor[at]hotmail[.]co[.]uk about the swap",
        "my address is r.mills(at)yahoo(.)com for the letter",
    ],
)
def test_personal_data_in_new_forms(text):
    assert "personal_data" in categories(text), text


@pytest.mark.parametrize(
    "text",
    [
        "My email is on the form I sent in last week.",
        "The rent account page on the website is down again.",
        "Ring me at the office, I'm in all day.",
    ],
)
def test_no_personal_data_without_the_data(text):
    assert "personal_data" not in categories(text), text


# --- scams without a link: details asked for by text or a chat app -------------------------------------


def test_a_scam_asking_for_bank_details_by_text_is_flagged():
    text = "You are due a £200 fuel rebate. Text your full name and sort code to the number on our page."
    assert "inappropriate_link" in categories(text)


def test_a_warning_about_that_scam_is_not():
    text = "Warning: a text is going round asking you to text your sort code for a fuel rebate. It's a scam."
    assert "inappropriate_link" not in categories(text)


# --- sincere praise: the engine drops a complaint the semantic head reads into it (engine._semantic_route);
# sarcasm that opens with praise, or praise with a wait or a failure in it, is not sincere -----------------


@pytest.mark.parametrize(
    "text",
    [
        "absolutely mint service, rang tuesday about the doorbell and it was fixed thursday. ta very much.",
        "best landlord i've had in thirty years of renting, by a country mile.",
        "can't fault the lads who did the gutters, in and out before lunch.",
    ],
)
def test_sincere_praise(text):
    assert sincere_praise(text), text


@pytest.mark.parametrize(
    "text",
    [
        "oh brilliant, another automated reply saying my case matters. week eight.",
        "can't fault you on consistency, every call i get a completely different answer.",
        "pleased to say my repair is now outstanding for a whole year. happy anniversary.",
        "the best bit is nobody ever rings back.",
        "lovely weather today.",
    ],
)
def test_not_sincere_praise(text):
    assert not sincere_praise(text), text
