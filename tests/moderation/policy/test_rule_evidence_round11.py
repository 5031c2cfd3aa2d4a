"""Round 11 (issue 10, items 3 and 4): the rules quote the words that carry the harm, and a threat's note
fits its kind. Each kind has a near miss that keeps its behaviour. The comments are in words of their own,
not taken from any data set or probe file.
"""

import pytest

from moderation.policy import check
from moderation.policy.rules.threats import BRIGADE_NOTE, NOTE


def _one(text, category):
    (flag,) = [f for f in check(text).flags if f.category == category]
    assert text[flag.start : flag.end] == flag.evidence
    return flag


# 1. A threat: the warning marker is not the threat when the comment also says what will happen.
@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        (
            "Mark my words, you will regret the night you lied to my mother.",
            "regret the night you lied to my mother",
        ),
        (
            "You've been warned. I'll make that inspector's life a misery.",
            "make that inspector's life a misery",
        ),
    ],
)
def test_a_threat_is_quoted_by_what_is_threatened_not_its_warning_marker(text, quoted):
    flag = _one(text, "harassment")
    assert flag.subtype == "threat"
    assert quoted in flag.evidence
    assert "mark my words" not in flag.evidence.lower()
    assert "been warned" not in flag.evidence.lower()


def test_a_warning_marker_alone_is_still_quoted():
    flag = _one("You have been warned, sunshine.", "harassment")
    assert flag.subtype == "threat"
    assert flag.evidence == "You have been warned"


# 2. Hate: a "shouldn't be given" runs on to what is withheld, and stops at the clause's "before" or "when".
@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        (
            "Asylum seekers shouldn't be given the new maisonettes before our grandchildren.",
            "shouldn't be given the new maisonettes",
        ),
        ("Lesbians shouldn't get foster kids, end of.", "shouldn't get foster kids"),
    ],
)
def test_hate_withholding_something_quotes_what_is_withheld(text, quoted):
    assert _one(text, "hate").evidence == quoted


def test_hate_with_nothing_withheld_after_it_keeps_its_short_quote():
    assert _one("Pensioners shouldn't be allowed.", "hate").evidence == "shouldn't be allowed"


# 3. Defamation: who is accused of what, within the clause.
@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        (
            "Everyone on the close knows the boiler engineer was stealing cash out of her biscuit tin while she "
            "was in hospital.",
            "the boiler engineer was stealing cash out of her biscuit tin",
        ),
        (
            "Honestly, Mrs Okafor has been fiddling the hall bookings for years.",
            "Mrs Okafor has been fiddling",
        ),
    ],
)
def test_an_accusation_is_quoted_with_who_and_what(text, quoted):
    flag = _one(text, "defamation")
    assert flag.evidence.startswith(quoted)
    assert "while" not in flag.evidence


def test_an_accused_role_in_another_clause_is_not_pulled_into_the_quote():
    flag = _one("I rang the surveyor about my fence, what a liar.", "defamation")
    assert flag.evidence == "liar"


def test_a_theft_suffered_still_accuses_nobody():
    assert not [f for f in check("My wallet got pinched at the bus station last week.").flags]


# 4. The threat note: a call to brigade the page names nobody to check on.
def test_a_call_to_mass_report_the_page_gets_the_brigading_note():
    result = check("Get everyone you know to mass-report Havebury's page this weekend.")
    (flag,) = [f for f in result.flags if f.subtype == "threat"]
    assert flag.note == BRIGADE_NOTE
    assert result.notes == (BRIGADE_NOTE,)
    assert "person named" not in BRIGADE_NOTE
    assert "log" in BRIGADE_NOTE
    assert "platform" in BRIGADE_NOTE


def test_a_threat_to_a_person_keeps_the_staff_safety_note():
    result = check("I'll batter the caretaker if he comes round here again.")
    (flag,) = [f for f in result.flags if f.subtype == "threat"]
    assert flag.note == NOTE
    assert result.notes == (NOTE,)


# 5. A spammer's own number is the spam's evidence, not someone's personal data exposed.
@pytest.mark.parametrize(
    ("text", "number"),
    [
        (
            "Bored of your 9 to 5? Earn £400 a week stuffing envelopes, WhatsApp me 07700 900741.",
            "07700 900741",
        ),
        # a chat app straight before the number is the spammer's contact too
        ("Cheap vapes and baccy delivered same night, Telegram +44 7700 900444", "+44 7700 900444"),
    ],
)
def test_a_spammers_own_number_is_the_spams_evidence_not_personal_data(text, number):
    result = check(text)
    assert "personal_data" not in result.categories
    assert number in _one(text, "inappropriate_link").evidence
    assert result.action != "hide"


def test_a_tenants_own_number_with_no_lure_is_no_spam():
    text = "Lost a tabby cat near the garages, text 07700 900222 if you spot her please."
    assert "inappropriate_link" not in check(text).categories


def test_someone_elses_number_is_still_personal_data():
    text = "The woman at number 9 won't turn her music down, her mobile is 07700 900369 so give her a bell."
    flag = _one(text, "personal_data")
    assert flag.evidence == "07700 900369"
    assert check(text).action == "hide"


# 6. A defect named only as the object of a put-down is not a repair report.
def test_a_put_down_that_names_a_defect_is_not_a_repair():
    assert (
        check("Honestly that bunch of clowns in the repairs team couldn't fix a dripping tap.").route
        != "repair"
    )


def test_the_authors_own_defect_after_a_failed_visit_is_still_a_repair():
    result = check("The fitter couldn't fix the dripping tap in my kitchen, it is still going now.")
    assert result.route == "repair"
