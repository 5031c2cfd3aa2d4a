"""item_classify: run the GP014 policy engine on one item and store its advice.

Policy output is advice (conventions §1): this service records flags, route, recommended
action, priority and due time, and never changes the item's queue state or acts on a platform.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from moderation.models import Flag, Item, OfficeHours, Priority
from moderation.policy import POLICY_VERSION, check
from moderation.services.audit import audit_record
from moderation.services.policy_config import policy_config_get

# Working hours allowed before an item is overdue, by priority (urgent: 1 working hour).
DUE_WORKING_HOURS = {Priority.URGENT: 1, Priority.HIGH: 4, Priority.NORMAL: 16, Priority.LOW: 40}
_DEFAULT_HOURS = {day: (time(9), time(17)) for day in range(5)}  # Mon-Fri 09:00-17:00


def _office_hours() -> dict[int, tuple[time, time]]:
    rows = {
        h.weekday: (h.opens, h.closes)
        for h in OfficeHours.objects.all()
        if h.opens is not None and h.closes is not None
    }
    return rows or dict(_DEFAULT_HOURS)


def add_working_hours(start: datetime, hours: float, schedule: dict[int, tuple[time, time]]) -> datetime:
    """The moment `hours` of office time after `start` (in the current time zone)."""
    remaining = timedelta(hours=hours)
    current = timezone.localtime(start)
    for _ in range(370):  # a year of days is plenty even with long closures
        opens_closes = schedule.get(current.weekday())
        if opens_closes is not None:
            day_open = current.replace(
                hour=opens_closes[0].hour, minute=opens_closes[0].minute, second=0, microsecond=0
            )
            day_close = current.replace(
                hour=opens_closes[1].hour, minute=opens_closes[1].minute, second=0, microsecond=0
            )
            begin = max(current, day_open)
            if begin < day_close:
                available = day_close - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        current = (current + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return current


def item_classify(*, item_id: int) -> Item:
    """Classify one item; running it twice leaves the same flags (idempotent, safe to retry)."""
    config = policy_config_get()
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item_id)
        result = check(
            item.text, links=list(item.links or ()), has_media=bool(item.media_urls), config=config
        )
        now = timezone.now()
        item.flags.filter(policy_version=POLICY_VERSION).delete()
        Flag.objects.bulk_create(
            [
                Flag(
                    item=item,
                    category=f.category,
                    clause=f.clause,
                    evidence=f.evidence,
                    evidence_start=f.start,
                    evidence_end=f.end,
                    score=f.score,
                    source=f.source[:120],
                    explanation=f.explanation,
                    policy_version=POLICY_VERSION,
                    created_at=now,
                )
                for f in result.flags
            ]
        )
        item.route = result.route or ""
        item.recommended_action = result.action
        item.priority = result.priority
        item.due_by = add_working_hours(now, DUE_WORKING_HOURS[Priority(result.priority)], _office_hours())
        item.classified_at = now
        item.policy_version = POLICY_VERSION
        item.save(
            update_fields=[
                "route",
                "recommended_action",
                "priority",
                "due_by",
                "classified_at",
                "policy_version",
                "updated_at",
            ]
        )
        audit_record(
            actor=None,
            verb="item.classified",
            target=item,
            clause=result.clause,
            policy_version=POLICY_VERSION,
            detail={
                # ids and categories only, never the comment text (conventions §7)
                "categories": list(result.categories),
                "flags": [
                    {"category": f.category, "clause": f.clause, "source": f.source} for f in result.flags
                ],
                "route": result.route,
                "action": result.action,
                "priority": result.priority,
                "config_version": config.version,
            },
        )
    return item
