"""Reads for the API (docs/architecture.md §1: selectors own select_related/prefetch_related).

Each list selector loads everything its output shows in a fixed number of queries, so
the queries per request do not grow with the page size (tests/api/test_queries.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from moderation.models import (
    OPEN_STATES,
    Action,
    ApiToken,
    AuditEvent,
    Author,
    AuthorRestriction,
    CannedReply,
    Channel,
    DeliveryStatus,
    Flag,
    Item,
    WebhookDelivery,
    WebhookEndpoint,
)

THREAD_LIMIT = 100


def item_list() -> QuerySet[Item]:
    brief_flags = Prefetch(
        "flags",
        queryset=Flag.objects.only("id", "item_id", "category", "subtype", "clause", "evidence", "score"),
    )
    return (
        Item.objects.select_related("channel", "author", "claimed_by")
        .prefetch_related(brief_flags)
        .defer("raw")
    )


# What a list row shows (serializers.item_rows_output), read as plain values: the joins
# give the channel's platform, the author and the claimant's username in the same query.
ITEM_ROW_FIELDS = (
    "id",
    "channel_id",
    "channel__platform",
    "kind",
    "platform_id",
    "permalink",
    "author_id",
    "author__platform",
    "author__handle",
    "author__display_name",
    "text",
    "received_at",
    "created_on_platform",
    "state",
    "outcome",
    "priority",
    "due_by",
    "route",
    "recommended_action",
    "visibility",
    "claimed_by__username",
    "resolved_at",
)


_item_rows: list[QuerySet[Item, dict[str, Any]]] = []


def item_rows() -> QuerySet[Item, dict[str, Any]]:
    """Items as value rows for the list endpoints: no model instances, no per-row field machinery."""
    # Resolving the 22 fields and their joins is built once; each call gets its own clone.
    if not _item_rows:
        _item_rows.append(Item.objects.values(*ITEM_ROW_FIELDS))
    return _item_rows[0].all()


# One plain statement for the busiest endpoint's second query: the ORM spends more CPU building
# `item_id IN (%s, ... 50 params)` than PostgreSQL spends answering it (docs/benchmarks.md).
# Same rows and order as Flag.objects.filter(item_id__in=...).order_by("-score", "id").
FLAGS_BRIEF_SQL = """
SELECT item_id, id, category, subtype, clause, evidence, score FROM moderation_flag
WHERE item_id = ANY(%s) ORDER BY score DESC, id
"""


def item_flags_brief(*, item_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The brief flags of many items in one query, in Flag's own order (highest score first)."""
    flags: dict[int, list[dict[str, Any]]] = {pk: [] for pk in item_ids}
    if not item_ids:
        return flags
    with connection.cursor() as cursor:
        cursor.execute(FLAGS_BRIEF_SQL, [item_ids])
        rows = cursor.fetchall()
    for item_id, pk, category, subtype, clause, evidence, score in rows:
        flags[item_id].append(
            {
                "id": pk,
                "category": category,
                "subtype": subtype,
                "clause": clause,
                "evidence": evidence,
                "score": score,
            }
        )
    return flags


def item_detail_list() -> QuerySet[Item]:
    actions = Prefetch(
        "actions", queryset=Action.objects.select_related("requested_by").order_by("-created_at", "-id")
    )
    return (
        Item.objects.select_related("channel", "author", "claimed_by")
        .prefetch_related("flags", actions)
        .defer("raw")
    )


def item_thread(*, item: Item) -> list[Item]:
    """The conversation the item belongs to, oldest first (the root and its replies)."""
    root_id = item.thread_root_id or item.pk
    return list(
        Item.objects.filter(Q(pk=root_id) | Q(thread_root_id=root_id))
        .only("id", "kind", "parent_id", "received_at", "state", "visibility", "text")
        .order_by("received_at", "id")[:THREAD_LIMIT]
    )


def flag_list() -> QuerySet[Flag]:
    return Flag.objects.all()


def action_list() -> QuerySet[Action]:
    return Action.objects.select_related("requested_by")


def author_list() -> QuerySet[Author]:
    active = Prefetch(
        "restrictions",
        queryset=AuthorRestriction.objects.filter(lifted_at__isnull=True).order_by("id"),
        to_attr="active_restrictions",
    )
    return Author.objects.prefetch_related(active)


def channel_list() -> QuerySet[Channel]:
    return Channel.objects.annotate(open_count=Count("items", filter=Q(items__state__in=OPEN_STATES)))


def canned_reply_list() -> QuerySet[CannedReply]:
    return CannedReply.objects.filter(active=True)


def audit_list() -> QuerySet[AuditEvent]:
    return AuditEvent.objects.select_related("actor")


def api_token_list() -> QuerySet[ApiToken]:
    return ApiToken.objects.select_related("created_by")


def webhook_endpoint_list() -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.all()


def webhook_delivery_list() -> QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.all()


def webhooks_overview(
    *, endpoint_id: int | None = None, status: str = "", limit: int = 100
) -> dict[str, Any]:
    """The Lead's webhooks page: endpoints with their delivery counts, and recent deliveries.

    Two queries whatever the number of endpoints or deliveries shown.
    """
    endpoints = list(
        WebhookEndpoint.objects.annotate(
            delivered=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.SUCCEEDED)),
            failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
            pending=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.PENDING)),
        )
        .select_related("created_by")
        .order_by("-active", "-created_at", "-id")
    )
    deliveries = WebhookDelivery.objects.select_related("endpoint").defer("payload", "endpoint__secret")
    if endpoint_id is not None:
        deliveries = deliveries.filter(endpoint_id=endpoint_id)
    if status:
        deliveries = deliveries.filter(status=status)
    return {
        "endpoints": endpoints,
        "deliveries": list(deliveries.order_by("-created_at", "-id")[:limit]),
    }


def _counts(queryset: QuerySet[Any], field: str) -> list[dict[str, Any]]:
    rows = queryset.values(field).annotate(count=Count("id")).order_by("-count", field)
    return [{"key": str(row[field]), "count": row["count"]} for row in rows]


def stats(*, since: datetime, until: datetime) -> dict[str, Any]:
    """Volumes, flags by clause and category, and response times for one window."""
    items = Item.objects.filter(received_at__gte=since, received_at__lt=until)
    flags = Flag.objects.filter(item__received_at__gte=since, item__received_at__lt=until)
    resolved = Item.objects.filter(resolved_at__gte=since, resolved_at__lt=until, resolved_at__isnull=False)
    durations = sorted(
        row.total_seconds()
        for row in resolved.annotate(took=F("resolved_at") - F("received_at")).values_list("took", flat=True)
        if row is not None
    )
    return {
        "since": since,
        "until": until,
        "received": items.count(),
        "by_state": _counts(items, "state"),
        "by_channel": _counts(items, "channel_id"),
        "flags_by_clause": _counts(flags, "clause"),
        "flags_by_category": _counts(flags, "category"),
        "resolved": len(durations),
        "median_response_seconds": _percentile(durations, 0.5),
        "p90_response_seconds": _percentile(durations, 0.9),
        "open_past_due": Item.objects.filter(state__in=OPEN_STATES, due_by__lt=timezone.now()).count(),
    }


def _percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    return round(values[min(len(values) - 1, int(fraction * len(values)))], 1)
