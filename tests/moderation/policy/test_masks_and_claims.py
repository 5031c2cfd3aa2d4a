import pytest

from moderation.policy import check


@pytest.mark.parametrize(
    ("text", "category", "evidence"),
    [
        ("f*** you havebury", "harassment", "f*** you"),
        ("what a f***ing joke", "profanity", "f***ing"),
        ("s*** service as usual", "profanity", "s***"),
    ],
)
def test_fully_masked_swearing_is_found_with_original_evidence(text, category, evidence):
    flags = [f for f in check(text).flags if f.category == category]
    assert flags, check(text).flags
    assert flags[0].evidence == evidence


@pytest.mark.parametrize("text", ["5 *** rating from us", "Our ***** new homes at Mildenhall"])
def test_star_ratings_are_not_swearing(text):
    assert not check(text).flags


def test_fake_rent_freeze_with_a_fee_is_misinformation():
    result = check(
        "Havebury are freezing rents for everyone this year, just pay your £50 admin fee at bit.ly/x"
    )
    assert "misinformation" in {f.category for f in result.flags}
