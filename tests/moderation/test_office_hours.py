"""Office hours (GP014 2.4): open or not, next opening, and due-by for in-hours and out-of-hours arrivals."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from moderation.models import Item, OfficeHours, Priority
from moderation.services.classify import item_classify
from moderation.services.office_hours import DEFAULT_HOURS, due_by, is_open, next_opening, office_schedule
from tests.factories import ItemFactory

LONDON = ZoneInfo("Europe/London")


def at(day, hour, minute=0):
    return datetime(2026, 11, day, hour, minute, tzinfo=LONDON)  # 2026-11-02 is a Monday


@pytest.mark.parametrize(
    ("moment", "open_"),
    [(at(2, 9), True), (at(2, 16, 59), True), (at(2, 17), False), (at(2, 8, 59), False), (at(7, 12), False)],
)
def test_is_open_monday_to_friday_nine_to_five(moment, open_):
    assert is_open(moment, DEFAULT_HOURS) is open_


@pytest.mark.parametrize(
    ("moment", "opening"),
    [
        (at(2, 8), at(2, 9)),  # early Monday: this morning
        (at(2, 12), at(2, 12)),  # open now
        (at(2, 22), at(3, 9)),  # Monday night: Tuesday morning
        (at(6, 17, 30), at(9, 9)),  # Friday evening: Monday
        (at(8, 3), at(9, 9)),  # Sunday night
    ],
)
def test_next_opening(moment, opening):
    assert next_opening(moment, DEFAULT_HOURS) == opening


def test_out_of_hours_arrivals_are_due_at_the_next_opening_whatever_their_priority():
    for priority in Priority:
        assert due_by(arrived=at(7, 23), priority=priority, schedule=DEFAULT_HOURS) == at(9, 9)


def test_in_hours_arrivals_get_their_priority_in_working_hours():
    assert due_by(arrived=at(2, 10), priority=Priority.URGENT, schedule=DEFAULT_HOURS) == at(2, 11)
    # Four working hours from Friday 15:00: two on Friday, two on Monday.
    assert due_by(arrived=at(6, 15), priority=Priority.HIGH, schedule=DEFAULT_HOURS) == at(9, 11)


@pytest.mark.django_db
def test_lead_edited_hours_apply_and_classify_sets_due_by_from_arrival():
    OfficeHours.objects.update_or_create(weekday=5, defaults={"opens": time(10), "closes": time(14)})
    assert is_open(at(7, 11), office_schedule())  # Saturday morning is now open
    item = ItemFactory(text="When is the bin collection?")
    Item.objects.filter(pk=item.pk).update(received_at=at(6, 20))  # Friday night
    item_classify(item_id=item.pk)
    item.refresh_from_db()
    assert item.due_by == at(7, 10)  # Saturday's opening, not Monday's
