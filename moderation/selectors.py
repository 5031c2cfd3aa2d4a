"""Reads (docs/architecture.md): selectors return data for views, the API and commands."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan

from moderation.models import OPEN_STATES, AuditEvent, Channel, ChannelHealth, Item, ItemState
from moderation.models.items import QUEUE_ORDER
from moderation.poll_intervals import (
    BACKOFF,
    BUSY_WINDOW_SECONDS,
    PollPlan,
    PollState,
    headroom,
    next_poll_interval,
)
from moderation.queue_filters import QueueFilters, filters_apply, state_q


def channel_list() -> QuerySet[Channel]:
    return Channel.objects.annotate(
        open_count=Count("items", filter=Q(items__state__in=OPEN_STATES)),
    ).order_by("platform", "handle")


def channels_by_ref(ref: str) -> list[Channel]:
    """Channels matching an id or a handle (with or without @); the exact spelling wins a tie."""
    query = (
        Q(pk=int(ref)) if ref.isdigit() else Q(handle__iexact=ref) | Q(handle__iexact="@" + ref.lstrip("@"))
    )
    channels = list(Channel.objects.filter(query))
    if len(channels) > 1:  # "HaveburyHousing" vs "haveburyhousing"
        channels = [c for c in channels if c.handle in (ref, "@" + ref.lstrip("@"))] or channels
    return channels


def item_open_queue() -> QuerySet[Item]:
    """Open items, most urgent first then oldest: served by the partial index item_open_queue_idx."""
    return (
        Item.objects.filter(state__in=OPEN_STATES)
        .select_related("channel", "author", "claimed_by")
        .order_by(*QUEUE_ORDER)
    )


def author_items(*, author_id: int) -> QuerySet[Item]:
    """An author's items, newest first: served by item_author_idx."""
    return Item.objects.filter(author_id=author_id).select_related("channel").order_by("-received_at")


@dataclass(frozen=True)
class ChannelSchedule:
    """When the beat will next poll a channel, and why (moderation/poll_intervals.py)."""

    plan: PollPlan
    next_at: datetime | None  # None: the beat does not poll it (off, not connected, needs reconnect)
    waiting_for: str  # "" | "interval" | "resume" | "rate_limit"

    @property
    def backing_off(self) -> bool:
        return self.plan.mode == BACKOFF


def channel_schedules(channels: Iterable[Channel], *, now: datetime) -> dict[int, ChannelSchedule]:
    """Each channel's next poll: one query for busy threads, one for office hours, the rest pure."""
    from moderation.services.office_hours import is_open, office_schedule  # reads only

    channels = list(channels)
    since = now - timedelta(seconds=BUSY_WINDOW_SECONDS)
    # Comments written lately, not merely stored lately: a backfill of old comments is not busy.
    recent = dict(
        Item.objects.filter(channel_id__in=[c.pk for c in channels], received_at__gte=since)
        .exclude(kind="post")
        .filter(Q(created_on_platform__isnull=True) | Q(created_on_platform__gte=since))
        .values_list("channel_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    office_open = is_open(now, office_schedule()) if channels else True
    schedules = {}
    for channel in channels:
        plan = next_poll_interval(
            PollState(
                normal=channel.poll_interval,
                busy=channel.busy_poll_interval,
                night=channel.night_poll_interval,
                new_recently=recent.get(channel.pk, 0),
                office_open=office_open,
                headroom=headroom(channel.rate_limit_state or {}, now=now.timestamp()),
                failures=channel.poll_failures,
            )
        )
        next_at, waiting = None, ""
        if channel.enabled and channel.is_connected and channel.health != ChannelHealth.NEEDS_RECONNECT:
            next_at, waiting = now, ""
            if channel.last_polled_at is not None:
                next_at, waiting = channel.last_polled_at + timedelta(seconds=plan.seconds), "interval"
            if channel.last_polled_at is not None and sweep_stopped_part_way(channel):
                next_at, waiting = min(next_at, now), "resume"
            if channel.rate_limited_until and channel.rate_limited_until > next_at:
                next_at, waiting = channel.rate_limited_until, "rate_limit"
        schedules[channel.pk] = ChannelSchedule(plan=plan, next_at=next_at, waiting_for=waiting)
    return schedules


def sweep_stopped_part_way(channel: Channel) -> bool:
    """A sweep is part-way through (its cursor says so) and its last poll did not fail.

    The poll either runs now or stopped without finishing: its worker was killed (issue 12), it
    lost its database connection, or it gave way to another poll. The fan-out resumes it at its
    next tick rather than after the channel's interval (up to 15 minutes at night): a poll still
    running holds the channel's lock (services/ingest/polling.PollLock), so the extra poll only
    skips, and a killed one's lock lapses within seconds. A failed poll (poll_failures) waits
    for its back-off instead, so a platform that is down is not asked every tick.
    """
    return channel.poll_failures == 0 and "sweep_started_at" in (channel.cursor or {})


# The fan-out runs every 30 s and a poll stamps last_polled_at as it starts, a moment after its
# tick, so the next due time lands just after a later tick: without this the poll waits a whole
# extra tick (a 30 s interval polled every 60 s; measured by bench/time_to_flag.py). Taking what
# falls due within the next few seconds keeps polls on their interval (issue 12: time to flag by
# polling is the interval plus under 2 s).
POLL_DUE_EARLY = timedelta(seconds=10)


def channels_due_for_poll(*, now: datetime) -> list[Channel]:
    """Connected, enabled, healthy channels whose next poll (channel_schedules) has come.

    Filtered in Python: an organisation has a handful of channels, and interval
    arithmetic in SQL differs between PostgreSQL and the laptop's SQLite.
    """
    candidates = list(
        Channel.objects.filter(enabled=True)
        .exclude(credentials="")
        .exclude(health=ChannelHealth.NEEDS_RECONNECT)
        .filter(Q(rate_limited_until__isnull=True) | Q(rate_limited_until__lte=now))
    )
    schedules = channel_schedules(candidates, now=now)
    soon = now + POLL_DUE_EARLY
    return [c for c in candidates if (due := schedules[c.pk].next_at) is not None and due <= soon]


def item_queue(*, officer: Any, filters: QueueFilters | None = None) -> QuerySet[Item]:
    """The queue an officer sees, in working order (most urgent, then oldest), filtered.

    Ordered like item_open_queue_idx so the open queue reads the partial index in order.
    """
    filters = filters or QueueFilters()
    qs = Item.objects.filter(state_q(filters.state)).exclude(kind="post")
    qs = filters_apply(qs, filters, officer_id=getattr(officer, "pk", None))
    return (
        qs.select_related("channel", "author", "claimed_by")
        .defer(*QUEUE_ROW_UNUSED)
        .prefetch_related("flags")
        .order_by(*QUEUE_ORDER)
    )


# Columns a queue row never shows: not read, so a page does not decode 50 platform payloads
# (often kilobytes each) or the channel's encrypted tokens and sweep state once per row.
QUEUE_ROW_UNUSED = (
    "raw",
    "links",
    "media_urls",
    "channel__credentials",
    "channel__cursor",
    "channel__recent_failures",
    "channel__rate_limit_state",
    "author__notes",
)


def item_detail(*, item_id: int) -> Item:
    return (
        Item.objects.select_related("channel", "author", "claimed_by", "parent", "thread_root")
        .prefetch_related("flags")
        .get(pk=item_id)
    )


def item_still_claimed_by(*, user: Any) -> Item | None:
    """The most urgent item this officer claimed and has not finished: where "Next item" sends her
    once nothing unclaimed is left, rather than saying the queue is clear."""

    return (
        Item.objects.filter(claimed_by=user, state=ItemState.IN_REVIEW)
        .order_by("-priority", "received_at", "id")
        .first()
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


def author_history(
    *, author_id: int | None, exclude_item_id: int, limit: int = 10, author: Any = None
) -> dict[str, Any]:
    """The author's earlier items on every channel they use (matched by handle), and restrictions.

    Pass `author` when the caller has it loaded already (the item page does): a query fewer.
    """
    from moderation.models import Author, AuthorRestriction

    if author_id is None:
        return {"items": [], "restrictions": [], "authors": []}
    if author is None or author.pk != author_id:
        author = Author.objects.get(pk=author_id)
    same_person = Author.objects.filter(pk=author_id)
    if author.handle:
        same_person = Author.objects.filter(Q(pk=author_id) | Q(handle__iexact=author.handle))
    authors = list(same_person[:10])  # one query for the list and the ids below
    ids = [a.pk for a in authors]
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
    return {"items": list(items), "restrictions": list(restrictions), "authors": authors}


def item_events(*, item_id: int) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(item_id=item_id).select_related("actor").order_by("created_at", "id")


PAGE_SIZE = 50


def _cursor_parse(after: str) -> tuple[int, datetime, int] | None:
    try:
        prio, stamp, pk = after.split("_", 2)
        return int(prio), datetime.fromisoformat(stamp.replace(" ", "+")), int(pk)
    except ValueError:
        return None


def _expr(key: Any) -> Any:
    return F(key) if isinstance(key, str) else key


def cursor_for(item: Item) -> str:
    return f"{item.priority}_{item.received_at.isoformat()}_{item.pk}"


def item_queue_page(
    *, officer: Any, filters: QueueFilters | None = None, after: str = "", size: int = PAGE_SIZE
) -> tuple[list[Item], str]:
    """One keyset page of the queue (no OFFSET, so page 1,000 costs what page 1 does).

    Returns the items and the cursor of the next page ("" on the last page).
    """
    # One row-value comparison on QUEUE_ORDER, a range of item_open_queue_idx; "priority < p OR
    # (priority = p AND ...)" made PostgreSQL walk every earlier row (36 ms at page 200 of a million).
    qs = item_queue(officer=officer, filters=filters)
    key = _cursor_parse(after) if after else None
    if key is not None:
        prio, stamp, pk = key
        qs = qs.filter(TupleGreaterThan(Tuple(*(_expr(k) for k in QUEUE_ORDER)), (-prio, stamp, pk)))
    items = list(qs[: size + 1])
    more = len(items) > size
    items = items[:size]
    return items, (cursor_for(items[-1]) if more and items else "")


def item_queue_arrivals(
    *, officer: Any, filters: QueueFilters | None, since_id: int, limit: int = 20
) -> list[Item]:
    """Items that arrived after the officer opened the page (ids only grow with ingestion)."""
    return list(item_queue(officer=officer, filters=filters).filter(id__gt=since_id).order_by("-id")[:limit])


COUNTS_CACHE_SECONDS = 10


def queue_counts(*, officer: Any, now: datetime) -> dict[str, int]:
    """Open items by state and overdue, plus the officer's own claims.

    The state counts read every open row (1.7 s at a million items with 60,000 open), so they are
    shared through the cache for COUNTS_CACHE_SECONDS; "mine" uses the claimed_by index and is exact.
    """
    from django.core.cache import cache

    counts = cache.get("queue_counts")
    if counts is None:
        counts = (
            Item.objects.filter(state__in=OPEN_STATES)
            .exclude(kind="post")
            .aggregate(
                new=Count("id", filter=Q(state=ItemState.NEW)),
                in_review=Count("id", filter=Q(state=ItemState.IN_REVIEW)),
                escalated=Count("id", filter=Q(state=ItemState.ESCALATED)),
                overdue=Count("id", filter=Q(due_by__lt=now)),
            )
        )
        cache.set("queue_counts", counts, COUNTS_CACHE_SECONDS)
    mine = Item.objects.filter(claimed_by_id=getattr(officer, "pk", None), state=ItemState.IN_REVIEW).count()
    return {**counts, "mine": mine}


def channel_recent_failures(*, channel: Channel, limit: int | None = None) -> list[dict[str, Any]]:
    """The parts of polls failing on this channel (newest first): times as datetimes, and how
    many polls in a row each failed (entries written before counts were kept say 1)."""
    rows = []
    for entry in (channel.recent_failures or [])[:limit]:
        if not isinstance(entry, dict):
            continue
        at = _when(entry.get("at"))
        rows.append(
            {
                **entry,
                "at": at,
                "first_at": _when(entry.get("first_at")) or at,
                "count": int(entry.get("count") or 1),
            }
        )
    return rows


def _when(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value or ""))
    except ValueError:
        return None


def channel_options() -> list[Channel]:
    return list(Channel.objects.order_by("platform", "handle"))


def office_schedule() -> dict[int, tuple[Any, Any]]:
    """Opening hours by weekday (Monday 0), with the seeded default when none are set."""
    from moderation.services.office_hours import office_schedule as schedule

    return schedule()


def out_of_hours(moment: datetime, schedule: dict[int, tuple[Any, Any]]) -> bool:
    from moderation.services.office_hours import is_open

    return not is_open(moment, schedule)


def item_offered_actions(*, item: Item, user: Any) -> set[str]:
    """The action controls to show: what the channel can do to this kind of item and the user may do."""
    from django.conf import settings

    from moderation.channels import registry

    can = registry.capabilities(
        item.channel.platform,
        settings.MODERATION_CHANNELS,
        item_kind=item.kind,
        item_raw=item.raw,  # e.g. no X reply button where X would refuse the reply
        account_id=item.channel.account_id,
    )
    whole = registry.capabilities(item.channel.platform, settings.MODERATION_CHANNELS)
    perms = {
        "reply": "moderation.reply_item",
        "hide": "moderation.hide_item",
        "unhide": "moderation.hide_item",
        "delete": "moderation.remove_item",
        "block": "moderation.block_author",
        "unblock": "moderation.block_author",
        "report": "moderation.report_item",
        "dismiss": "moderation.work_queue",
        "escalate": "moderation.escalate_item",
        "note": "moderation.work_queue",
        "claim": "moderation.work_queue",
    }
    offered = {"report", "note", "claim"}
    is_open = item.state in OPEN_STATES
    if item.visibility == "deleted":
        # Gone from the platform: nothing left to hide, reply to or delete (services/actions.py).
        can = can - {"hide", "reply", "delete"}
        if registry.block_needs_item(item.channel.platform, settings.MODERATION_CHANNELS):
            whole = whole - {"block"}
    if is_open:
        offered |= {"dismiss", "escalate"}
    if "reply" in can:
        offered.add("reply")
    if "hide" in can:
        offered.add("unhide" if item.visibility == "hidden" else "hide")
        if item.visibility == "hidden" and is_open:
            offered.add("hide")  # confirm an automatic hide: keeps it hidden and closes the item
    if "delete" in can and item.visibility != "deleted":
        offered.add("delete")
    if "block" in whole and item.author_id is not None:
        offered.add("block")
        # Undo a block made by mistake, where the platform has an API for it (YouTube has no unban).
        if not registry.refusal_note(item.channel.platform, settings.MODERATION_CHANNELS, "unblock"):
            offered.add("unblock")
    return {kind for kind in offered if user.has_perm(perms[kind])}


def item_actions(*, item_id: int) -> list[Any]:
    from moderation.models import Action

    return list(Action.objects.filter(item_id=item_id).select_related("requested_by").order_by("-id")[:20])


def canned_replies() -> list[Any]:
    from moderation.models import CannedReply

    return list(CannedReply.objects.filter(active=True).order_by("route", "title"))


def failures_overview(*, limit: int = 100) -> dict[str, Any]:
    """What failed for good, newest first, for the Lead's failures page (services/failures.py)."""
    from moderation.models import Action, ActionStatus, WebhookEvent, WebhookEventStatus
    from moderation.services.failures import CLASSIFY_MAX_ATTEMPTS

    return {
        "actions": list(
            Action.objects.filter(status__in=(ActionStatus.FAILED, ActionStatus.NEEDS_CHECK))
            .select_related("channel", "item", "author", "requested_by")
            .order_by("-updated_at")[:limit]
        ),
        "items": list(
            Item.objects.filter(classified_at__isnull=True, classify_attempts__gte=CLASSIFY_MAX_ATTEMPTS)
            .select_related("channel")
            .order_by("-updated_at")[:limit]
        ),
        "webhooks": list(
            WebhookEvent.objects.filter(status=WebhookEventStatus.FAILED)
            .defer("body")
            .order_by("-received_at")[:limit]
        ),
        # Parts of polls passed over (a post's comments, a mentions listing): retried by the next
        # poll, so they have no Retry button; each channel's page lists them.
        "sweeps": [
            {
                "channel": c,
                "parts": len(rows),
                "times": sum(r["count"] for r in rows),
                "latest": rows[0],
            }
            for c in Channel.objects.exclude(recent_failures=[]).order_by("platform", "handle")
            if (rows := channel_recent_failures(channel=c))
        ],
    }


def items_awaiting_classification(
    *,
    channel: Channel | None = None,
    received_before: datetime | None = None,
    received_since: datetime | None = None,
    limit: int = 500,
) -> list[int]:
    """Ids of comments and replies not classified yet and under their attempt cap, oldest first:
    what the sweeper re-sends, and what a resumed poll re-sends for its own sweep."""
    from moderation.services.failures import CLASSIFY_MAX_ATTEMPTS

    rows = Item.objects.filter(classified_at__isnull=True, classify_attempts__lt=CLASSIFY_MAX_ATTEMPTS)
    if channel is not None:
        rows = rows.filter(channel=channel)
    if received_before is not None:
        rows = rows.filter(received_at__lt=received_before)
    if received_since is not None:
        rows = rows.filter(received_at__gte=received_since)
    return list(rows.exclude(kind="post").order_by("received_at").values_list("id", flat=True)[:limit])
