"""Reads (docs/architecture.md): selectors return data for views, the API and commands."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet

from moderation.models import OPEN_STATES, AuditEvent, Channel, ChannelHealth, Item, ItemState
from moderation.queue_filters import QueueFilters, filters_apply, state_q


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


def item_queue(*, officer: Any, filters: QueueFilters | None = None) -> QuerySet[Item]:
    """The queue an officer sees, in working order (most urgent, then oldest), filtered.

    Ordered like item_open_queue_idx so the open queue reads the partial index in order.
    """
    filters = filters or QueueFilters()
    qs = Item.objects.filter(state_q(filters.state)).exclude(kind="post")
    qs = filters_apply(qs, filters, officer_id=getattr(officer, "pk", None))
    return (
        qs.select_related("channel", "author", "claimed_by")
        .prefetch_related("flags")
        .order_by("-priority", "received_at", "id")
    )


def item_detail(*, item_id: int) -> Item:
    return (
        Item.objects.select_related("channel", "author", "claimed_by", "parent", "thread_root")
        .prefetch_related("flags")
        .get(pk=item_id)
    )


def item_thread(*, item: Item, limit: int = 20) -> list[Item]:
    """The parent post and the earlier items of the same thread, oldest first."""
    root_id = item.thread_root_id or item.parent_id
    if root_id is None:
        return []
    earlier = (
        Item.objects.filter(Q(pk=root_id) | Q(thread_root_id=root_id))
        .exclude(pk=item.pk)
        .filter(received_at__lte=item.received_at)
        .select_related("author")
        .order_by("-received_at", "-id")[:limit]
    )
    return list(reversed(earlier))


def author_history(*, author_id: int | None, exclude_item_id: int, limit: int = 10) -> dict[str, Any]:
    """The author's earlier items on every channel they use (matched by handle), and restrictions."""
    from moderation.models import Author, AuthorRestriction

    if author_id is None:
        return {"items": [], "restrictions": [], "authors": []}
    author = Author.objects.get(pk=author_id)
    same_person = Author.objects.filter(pk=author_id)
    if author.handle:
        same_person = Author.objects.filter(Q(pk=author_id) | Q(handle__iexact=author.handle))
    ids = list(same_person.values_list("pk", flat=True)[:10])
    items = (
        Item.objects.filter(author_id__in=ids)
        .exclude(pk=exclude_item_id)
        .select_related("channel")
        .prefetch_related("flags")
        .order_by("-received_at", "-id")[:limit]
    )
    restrictions = AuthorRestriction.objects.filter(author_id__in=ids, lifted_at__isnull=True).select_related(
        "channel"
    )
    return {"items": list(items), "restrictions": list(restrictions), "authors": list(same_person[:10])}


def item_events(*, item_id: int) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(item_id=item_id).select_related("actor").order_by("created_at", "id")
