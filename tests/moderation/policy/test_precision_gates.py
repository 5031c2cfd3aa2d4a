"""Round 5 of issue 10: gates against false flags and false routes, each beside the case it must keep.

The sentences are written here, in new words; none is copied from a test slice.
"""

import pytest

from moderation.policy import check
from moderation.policy.rules.claims import _MISINFO_SCAM
from moderation.policy.rules.routes import (
    affects_health,
    neutral_question,
    praise_for_done_repair,
    thanks_someone,
)
from moderation.policy.semantic_flags import _CLAIM


@pytest.mark.parametrize(
    "text",
    [
        "The damp in the bathroom turned out to be a split pipe, which has now been replaced. All sorted.",
        "The fence was broken in the storm and the joiner come next day and fix it, very happy",
        "Radiators are roasting since the repair visit, thank you so much",
        "So pleased the mould in the back bedroom was finally dealt with, thank you",
    ],
)
def test_a_repair_reported_as_finished_is_not_routed(text):
    assert praise_for_done_repair(text.lower())
    assert check(text).route is None, text


@pytest.mark.parametrize(
    "text",
    [
        "They fixed the boiler last month and now it's broken again",
        "The damp was painted over but it is still coming through the wall",
    ],
)
def test_a_repair_that_failed_again_is_still_a_repair(text):
    assert not praise_for_done_repair(text.lower())
    assert check(text).route in ("repair", "complaint"), text


def test_sarcastic_well_done_is_still_a_complaint():
    result = check("Well done Havebury, eight weeks to send someone about a dripping tap. Inspiring stuff.")
    assert result.route == "complaint"


@pytest.mark.parametrize(
    ("text", "hazard"),
    [
        ("The neighbourhood officer was cold and dismissive with my elderly dad", False),
        ("That caller gave my son the cold shoulder", False),
        ("My daughter has a cold, can someone ring me back about the rent", False),
        ("The flat is freezing and my baby has a cough", True),
        ("It's so cold indoors, my dad's COPD is getting worse", True),
    ],
)
def test_cold_is_a_hazard_of_the_home_not_of_a_manner_or_an_illness(text, hazard):
    assert affects_health(text.lower()) is hazard


@pytest.mark.parametrize(
    "text",
    [
        "Wheelchair users deserve proper ramps at the community hall, glad it's on the plan",
        "I think disabled residents should get priority for the ground floor flats",
    ],
)
def test_a_personal_issue_word_about_a_group_is_not_the_authors_own(text):
    assert check(text).route is None, text


def test_the_authors_own_circumstances_are_still_a_personal_issue():
    assert (
        check("I'm disabled and can't manage the stairs any more, I need to move").route == "personal_issue"
    )


def test_hate_that_names_benefits_is_hate_without_a_personal_issue_route():
    result = check("Immigrants are parasites, here for the benefits and nothing else")
    assert "hate" in {f.category for f in result.flags}
    assert result.route is None


def test_an_insult_reported_by_the_person_it_hurt_is_not_hate():
    result = check('A man in the queue called my disabled sister a "parasite" and I was shaking')
    assert "hate" not in {f.category for f in result.flags}


def test_a_game_is_not_a_threat_or_a_safeguarding_matter():
    result = check("My granddaughter beat me at draughts again, I'll get her next time")
    assert not any(f.subtype == "threat" for f in result.flags)
    assert result.route is None


def test_a_real_threat_and_real_abuse_still_count():
    assert any(f.subtype == "threat" for f in check("I'll get him when he comes out of the office").flags)
    assert check("My partner beat me last night and I'm scared to go home").route == "personal_issue"


def test_news_about_another_landlord_is_not_defamation():
    result = check("Saw on the news a letting agent was stealing deposits. Glad Havebury isn't like that.")
    assert "defamation" not in {f.category for f in result.flags}


def test_an_accusation_without_news_framing_is_still_defamation():
    result = check("Gary Marsh has been stealing from the residents' fund for years")
    assert "defamation" in {f.category for f in result.flags}


def test_praise_of_a_group_is_not_hate():
    result = check("The Romanian lads who rebuilt our wall are the hardest working people I've met")
    assert "hate" not in {f.category for f in result.flags}


def test_a_neutral_question_is_not_a_complaint_but_a_grievance_asked_as_one_is():
    assert neutral_question("how do i book a viewing for the bungalow on mill lane?")
    assert not neutral_question("why has nobody rung me back about my boiler again?")
    assert not neutral_question("how many more times do i have to ring before someone turns up?")
    assert check("How many more times do I have to ring before someone turns up?").route == "complaint"


def test_sincere_thanks_is_not_a_sign_off_or_thanks_for_nothing():
    assert thanks_someone("big thanks to the surveyor who came out, she went above and beyond")
    assert not thanks_someone("thanks for nothing, still waiting on the fence")
    assert not thanks_someone("the caretaker was the rudest man i've met. thank you.")


def test_thanks_to_an_officer_is_not_flagged_but_an_insult_after_thanks_is():
    assert not check(
        "Big thanks to the tenancy officer who sorted my transfer, she went above and beyond"
    ).flags
    assert "staff_criticism" in check("Thanks for nothing, the tenancy officer is useless").categories


@pytest.mark.parametrize(
    "text",
    [
        "NOTICE: all rent payments must now be paid into the new account, details in our bio",
        "Your tenancy is at risk, pay the £40 booking fee via this link before Friday",
        "Send your rent payment to the account in our bio from this month",
    ],
)
def test_money_asked_for_through_a_link_or_a_bio_is_a_scam_notice(text):
    assert "misinformation" in check(text).categories, text


def test_a_warning_about_the_scam_is_not_one():
    assert (
        "misinformation"
        not in check("Havebury will never ask for rent to go to an account in someone's bio").categories
    )


@pytest.mark.parametrize(
    ("text", "claim"),
    [
        ("they're demolishing the whole block and moving us all out", True),
        ("havebury has quietly stopped the gardening scheme", True),
        ("it's policy now, no pets in any of the flats", True),
        ("lovely to see the new bungalows on the green", False),
    ],
)
def test_a_rumour_needs_something_said_to_be_happening(text, claim):
    assert bool(_CLAIM.search(text)) is claim


def test_the_scam_rule_itself_reads_bio_and_link_payments():
    assert _MISINFO_SCAM.search("all rent payments must now be paid into the new account")
    assert _MISINFO_SCAM.search("send your rent payment to the account in our bio")
    assert _MISINFO_SCAM.search("pay the £40 booking fee via this link")
    assert not _MISINFO_SCAM.search("you can pay your rent through the app or by standing order")


@pytest.mark.parametrize(
    "text",
    [
        "The electrician was an absolute legend, sorted the socket in ten minutes flat",
        "Mould wash booked for Monday, thanks for getting back to me so quickly",
    ],
)
def test_praise_in_other_words_and_a_repair_already_in_hand_are_not_routed(text):
    assert praise_for_done_repair(text.lower())
    assert check(text).route is None, text


def test_praise_words_with_a_fault_still_open_stay_a_sarcastic_complaint():
    assert check("Superb, the engineer came and the boiler still will not fire up").route == "complaint"


def test_a_strangers_insult_reported_to_defend_staff_is_not_staff_criticism():
    text = "A woman at the bus stop called the caretaker 'useless'. He has always been kind to my mum."
    assert "staff_criticism" not in check(text).categories
    assert "staff_criticism" in check("The caretaker is useless and rude to my mum").categories


def test_a_figure_of_speech_is_not_a_personal_issue():
    assert check("That old gas fire was a death trap, the new heater is lovely").route is None
    assert check("Since my husband's death I've fallen behind on the rent").route == "personal_issue"


def test_thanks_for_help_already_given_is_not_a_personal_issue():
    assert check("The money advice lady helped me set up a payment plan, so grateful").route is None
    assert (
        check("I'm behind on my rent and can't afford the payment plan, please help").route
        == "personal_issue"
    )
