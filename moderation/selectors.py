"""Reads (conventions §1): selectors return data for views, the API and commands."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet

from moderation.models import OPEN_STATES, Channel, ChannelHealth, Item, ItemState


def channel_list() -> QuerySet[Channel]:
    return Channel.objects.annotate(
        open_count=Count("items", filter=Q(items__state__in=OPEN_STATES)),
    ).order_by("platform", "handle")


def dashboard_summary(*, queue_size: int = 25) -> dict[str, Any]:
    counts = Item.objects.aggregate(
        new=Count("id", filter=Q(state=ItemState.NEW)),
        in_review=Count("id", filter=Q(state=ItemState.IN_REVIEW)),
        escalated=Count("id", filter=Q(state=ItemState.ESCALATED)),
    )
    queue = item_open_queue().exclude(kind="post").prefetch_related("flags")[:queue_size]
    return {"counts": counts, "channels": list(channel_list()), "queue": list(queue)}


def item_open_queue() -> QuerySet[Item]:
    """Open items, most urgent first then oldest: served by the partial index item_open_queue_idx."""
    return (
        Item.objects.filter(state__in=OPEN_STATES)
        .select_related("channel", "author", "claimed_by")
        .order_by("-priority", "received_at", "id")
    )


def author_items(*, author_id: int) -> QuerySet[Item]:
    """An author's items, newest first: served by item_author_idx."""
    return Item.objects.filter(author_id=author_id).select_related("channel").order_by("-received_at")


def channels_due_for_poll(*, now: datetime) -> list[Channel]:
    """Connected, enabled, healthy channels whose poll interval has passed.

    Filtered in Python: an organisation has a handful of channels, and interval
    arithmetic in SQL differs between PostgreSQL and the laptop's SQLite.
    """
    candidates = (
        Channel.objects.filter(enabled=True)
        .exclude(credentials="")
        .exclude(health=ChannelHealth.NEEDS_RECONNECT)
        .filter(Q(rate_limited_until__isnull=True) | Q(rate_limited_until__lte=now))
    )
    return [
        c
        for c in candidates
        if c.last_polled_at is None or c.last_polled_at + timedelta(seconds=c.poll_interval) <= now
    ]
