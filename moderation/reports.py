"""Report figures (reads only): volume, flags by clause, first response in office hours,
decisions by officer and the false-flag rate, for one period."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Min, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from moderation.models import AuditEvent, Flag, Item, Outcome
from moderation.services.office_hours import Schedule, office_schedule

MAX_RESPONSE_SAMPLE = 20_000  # items per period for the median; a month is far below this


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # exclusive

    @property
    def last(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def label(self) -> str:
        last = self.end - timedelta(days=1)
        if self.start.day == 1 and self.end == _next_month(self.start):
            return self.start.strftime("%B %Y")
        return f"{self.start:%-d %b %Y} to {last:%-d %b %Y}"

    def bounds(self) -> tuple[datetime, datetime]:
        tz = timezone.get_current_timezone()
        return datetime.combine(self.start, time.min, tzinfo=tz), datetime.combine(
            self.end, time.min, tzinfo=tz
        )


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def period_parse(params: Any, *, today: date | None = None) -> tuple[Period, list[str]]:
    """?month=2026-11, or ?since=...&until=... (inclusive); default: the last 30 days."""
    today = today or timezone.localdate()
    problems: list[str] = []
    month = str(params.get("month", "") or "")
    if month:
        try:
            first = date.fromisoformat(month + "-01")
            return Period(first, _next_month(first)), problems
        except ValueError:
            problems.append(f"Ignored month={month!r}: use a month like 2026-11.")
    try:
        since = date.fromisoformat(params["since"]) if params.get("since") else today - timedelta(days=29)
        until = date.fromisoformat(params["until"]) if params.get("until") else today
    except ValueError:
        problems.append("Ignored the dates: use dates like 2026-11-30.")
        since, until = today - timedelta(days=29), today
    if until < since:
        problems.append("The end date was before the start date, so they were swapped.")
        since, until = until, since
    return Period(since, until + timedelta(days=1)), problems


def working_seconds(start: datetime, end: datetime, schedule: Schedule) -> float:
    """Seconds of office time between two moments (GP014 2.4 asks for answers in office hours)."""
    if end <= start:
        return 0.0
    total = 0.0
    day = timezone.localtime(start)
    end = timezone.localtime(end)
    while day < end:
        hours = schedule.get(day.weekday())
        if hours is not None:
            opens = day.replace(hour=hours[0].hour, minute=hours[0].minute, second=0, microsecond=0)
            closes = day.replace(hour=hours[1].hour, minute=hours[1].minute, second=0, microsecond=0)
            lo, hi = max(day, opens), min(end, closes)
            if hi > lo:
                total += (hi - lo).total_seconds()
        day = (day + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return total


def report_figures(period: Period) -> dict[str, Any]:
    start, end = period.bounds()
    items = Item.objects.filter(received_at__gte=start, received_at__lt=end).exclude(kind="post")
    volume = list(
        items.annotate(day=TruncDate("received_at"))
        .values("day", "channel__platform")
        .annotate(n=Count("id"))
        .order_by("day", "channel__platform")
    )
    flags = list(
        Flag.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("category", "clause")
        .annotate(
            n=Count("id"),
            n_upheld=Count("id", filter=Q(upheld=True)),
            n_dismissed=Count("id", filter=Q(upheld=False)),
        )
        .order_by("-n")
    )
    decided = AuditEvent.objects.filter(
        created_at__gte=start,
        created_at__lt=end,
        verb="item.transition",
        after__state="resolved",
        actor__isnull=False,
    )
    by_officer = list(
        decided.values("actor__first_name", "actor__last_name", "actor__username", "after__outcome")
        .annotate(n=Count("id"))
        .order_by("actor__last_name", "after__outcome")
    )
    flagged_resolved = items.filter(state="resolved", flags__isnull=False).distinct()
    resolved_n = flagged_resolved.count()
    dismissed_n = flagged_resolved.filter(outcome=Outcome.DISMISSED).count()
    first_touch = (
        items.annotate(first=Min("events__created_at", filter=Q(events__actor__isnull=False)))
        .filter(first__isnull=False)
        .values_list("received_at", "first")[:MAX_RESPONSE_SAMPLE]
    )
    schedule = office_schedule()
    waits = [working_seconds(r, f, schedule) / 60 for r, f in first_touch]
    return {
        "period": period,
        "total": items.count(),
        "volume": volume,
        "flags": flags,
        "by_officer": by_officer,
        "resolved_flagged": resolved_n,
        "dismissed": dismissed_n,
        "false_flag_rate": (dismissed_n / resolved_n) if resolved_n else None,
        "median_first_response_min": statistics.median(waits) if waits else None,
        "responses_counted": len(waits),
    }
