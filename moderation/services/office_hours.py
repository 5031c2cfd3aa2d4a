"""Office hours (GP014 2.4: officers respond "during office hours"): open or not, next opening, due-by.

Reads only; the OfficeHours rows are edited by Leads. Times are in settings.TIME_ZONE.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from moderation.models import OfficeHours, Priority

Schedule = dict[int, tuple[time, time]]

# Working hours allowed before an item is overdue, by priority (urgent: 1 working hour).
DUE_WORKING_HOURS = {Priority.URGENT: 1, Priority.HIGH: 4, Priority.NORMAL: 16, Priority.LOW: 40}
DEFAULT_HOURS: Schedule = {day: (time(9), time(17)) for day in range(5)}  # Mon-Fri 09:00-17:00
_SEARCH_DAYS = 370  # a year of days is plenty even with long closures


def office_schedule() -> Schedule:
    rows = {
        h.weekday: (h.opens, h.closes)
        for h in OfficeHours.objects.all()
        if h.opens is not None and h.closes is not None
    }
    return rows or dict(DEFAULT_HOURS)


def _day_bounds(day: datetime, hours: tuple[time, time]) -> tuple[datetime, datetime]:
    opens = day.replace(hour=hours[0].hour, minute=hours[0].minute, second=0, microsecond=0)
    closes = day.replace(hour=hours[1].hour, minute=hours[1].minute, second=0, microsecond=0)
    return opens, closes


def is_open(at: datetime, schedule: Schedule) -> bool:
    local = timezone.localtime(at)
    hours = schedule.get(local.weekday())
    if hours is None:
        return False
    opens, closes = _day_bounds(local, hours)
    return opens <= local < closes


def next_opening(at: datetime, schedule: Schedule) -> datetime:
    """The first moment at or after `at` when the office is open."""
    current = timezone.localtime(at)
    for _ in range(_SEARCH_DAYS):
        hours = schedule.get(current.weekday())
        if hours is not None:
            opens, closes = _day_bounds(current, hours)
            if current < closes:
                return max(current, opens)
        current = (current + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return current


def add_working_hours(start: datetime, hours: float, schedule: Schedule) -> datetime:
    """The moment `hours` of office time after `start` (in the current time zone)."""
    remaining = timedelta(hours=hours)
    current = timezone.localtime(start)
    for _ in range(_SEARCH_DAYS):
        opens_closes = schedule.get(current.weekday())
        if opens_closes is not None:
            day_open, day_close = _day_bounds(current, opens_closes)
            begin = max(current, day_open)
            if begin < day_close:
                available = day_close - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        current = (current + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return current


def due_by(*, arrived: datetime, priority: int, schedule: Schedule) -> datetime:
    """In hours: the priority's working hours from arrival. Out of hours: the next opening, so
    everything that came in overnight or at the weekend is due when the team starts."""
    if not is_open(arrived, schedule):
        return next_opening(arrived, schedule)
    return add_working_hours(arrived, DUE_WORKING_HOURS[Priority(priority)], schedule)
