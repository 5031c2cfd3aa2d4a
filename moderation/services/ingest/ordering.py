"""Webhook events in the platform's order: late, replayed and out-of-order events change nothing.

Platforms deliver webhooks at least once and in no particular order. Each change carries
the platform's time (`event_at`); ItemEventMark keeps, per item, the newest time applied and
the removal time (a tombstone, kept even for an item we never stored). So:
- a "remove" that arrives before its "add" still wins: the add is no newer than the removal;
- a replayed "add" after a "remove" never brings a deleted comment back;
- an older edit arriving late never overwrites a newer one.
Removal is final: it is applied whatever its time. An item deleted by a poll or by our own
delete action counts as removed then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from moderation.channels.base import WebhookChange
from moderation.models import Channel, Item, ItemEventMark


@dataclass
class Ordered:
    changes: list[WebhookChange]  # to apply, oldest first
    stale: int = 0  # older than what the item already shows
    tombstoned: int = 0  # an add, edit, hide or unhide for an item already removed


def changes_in_order(*, channel: Channel, changes: list[WebhookChange], now: datetime) -> Ordered:
    """Drop superseded changes and record the newest event per item. Call inside a transaction."""
    ids = {c.platform_id for c in changes}
    marks = {
        m.platform_id: m
        for m in ItemEventMark.objects.select_for_update().filter(channel=channel, platform_id__in=ids)
    }
    deleted = dict(
        Item.objects.filter(
            channel=channel, platform_id__in=ids, deleted_on_platform_at__isnull=False
        ).values_list("platform_id", "deleted_on_platform_at")
    )
    out = Ordered(changes=[])
    # Oldest first; events without a time count as now, and keep their arrival order.
    for _, change in sorted(enumerate(changes), key=lambda pair: (pair[1].event_at or now, pair[0])):
        at = change.event_at or now
        mark = marks.get(change.platform_id)
        if mark is None:
            mark = marks[change.platform_id] = ItemEventMark(
                channel=channel, platform_id=change.platform_id, last_event_at=at
            )
        removed_at = max(filter(None, (mark.removed_at, deleted.get(change.platform_id))), default=None)
        if change.verb == "remove":
            mark.removed_at = max(at, removed_at) if removed_at else at
            mark.last_event_at = max(at, mark.last_event_at)
            out.changes.append(change)
        elif removed_at is not None and at <= removed_at:
            out.tombstoned += 1
        elif at < mark.last_event_at:
            out.stale += 1
        else:
            mark.last_event_at = at
            out.changes.append(change)
    ItemEventMark.objects.bulk_create(
        list(marks.values()),
        update_conflicts=True,
        unique_fields=["channel", "platform_id"],
        update_fields=["last_event_at", "removed_at"],
    )
    return out
