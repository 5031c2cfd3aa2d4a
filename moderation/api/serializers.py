"""Output shapes (`<Entity>Output`) and input shapes (`<Action>Input`) for the API.

Input serializers only check shape: no .create()/.update(), no writes (docs/architecture.md §1).
Every field an output shows is loaded by the selectors, so a page costs a fixed number
of queries however long it is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from moderation.channels import registry
from moderation.models import (
    Action,
    ActionKind,
    ApiScope,
    ApiToken,
    AuditEvent,
    Author,
    CannedReply,
    Channel,
    Flag,
    IntranetEvent,
    Item,
    Outcome,
    Platform,
    WebhookDelivery,
    WebhookEndpoint,
)
from moderation.selectors import ChannelSchedule, channel_schedules, item_offered_actions


class UTCDateTimeField(serializers.DateTimeField):
    """Times go out in UTC ("Z"): unambiguous for integrations, and valid RFC 3339 for any year."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default_timezone", dt.UTC)
        super().__init__(*args, **kwargs)


class ModelOutput(serializers.ModelSerializer[Any]):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: UTCDateTimeField,
    }


class AuthorBriefOutput(ModelOutput):
    class Meta:
        model = Author
        fields = ("id", "platform", "handle", "display_name")


class FlagBriefOutput(ModelOutput):
    class Meta:
        model = Flag
        fields = ("id", "category", "subtype", "clause", "evidence", "score")


class FlagOutput(ModelOutput):
    class Meta:
        model = Flag
        fields = (
            "id",
            "item",
            "category",
            "subtype",
            "clause",
            "evidence",
            "evidence_start",
            "evidence_end",
            "score",
            "source",
            "explanation",
            "note",
            "policy_version",
            "upheld",
            "created_at",
        )


class ItemOutput(ModelOutput):
    author = AuthorBriefOutput(allow_null=True)
    flags = FlagBriefOutput(many=True)
    platform = serializers.CharField(source="channel.platform")
    claimed_by = serializers.CharField(source="claimed_by.username", allow_null=True, default=None)

    class Meta:
        model = Item
        fields: tuple[str, ...] = (
            "id",
            "channel",
            "platform",
            "kind",
            "platform_id",
            "permalink",
            "author",
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
            "claimed_by",
            "resolved_at",
            "flags",
        )


def _utc(value: dt.datetime | None) -> str | None:
    """What UTCDateTimeField sends: ISO 8601 in UTC with "Z"."""
    if value is None:
        return None
    if value.tzinfo is not dt.UTC:  # PostgreSQL's rows come in UTC already (a list page has 200)
        value = value.astimezone(dt.UTC)
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def item_rows_output(
    rows: list[dict[str, Any]], flags: dict[int, list[dict[str, Any]]]
) -> list[dict[str, Any]]:
    """ItemOutput's exact shape built from value rows (selectors.item_rows): a list page of 50
    costs well under a millisecond this way against tens through ModelSerializer.
    tests/api/test_items.py checks the two agree field for field."""
    return [
        {
            "id": row["id"],
            "channel": row["channel_id"],
            "platform": row["channel__platform"],
            "kind": row["kind"],
            "platform_id": row["platform_id"],
            "permalink": row["permalink"],
            "author": None
            if row["author_id"] is None
            else {
                "id": row["author_id"],
                "platform": row["author__platform"],
                "handle": row["author__handle"],
                "display_name": row["author__display_name"],
            },
            "text": row["text"],
            "received_at": _utc(row["received_at"]),
            "created_on_platform": _utc(row["created_on_platform"]),
            "state": row["state"],
            "outcome": row["outcome"],
            "priority": row["priority"],
            "due_by": _utc(row["due_by"]),
            "route": row["route"],
            "recommended_action": row["recommended_action"],
            "visibility": row["visibility"],
            "claimed_by": row["claimed_by__username"],
            "resolved_at": _utc(row["resolved_at"]),
            "flags": flags.get(row["id"], []),
        }
        for row in rows
    ]


class ActionOutput(ModelOutput):
    requested_by = serializers.CharField(source="requested_by.username", allow_null=True, default=None)

    class Meta:
        model = Action
        fields = (
            "id",
            "item",
            "author",
            "channel",
            "kind",
            "status",
            "requested_by",
            "payload",
            "platform_response",
            "error",
            "attempts",
            "created_at",
            "updated_at",
            "completed_at",
        )


class ThreadItemOutput(ModelOutput):
    class Meta:
        model = Item
        fields = ("id", "kind", "parent", "received_at", "state", "visibility", "text")


class ItemDetailOutput(ItemOutput):
    flags = FlagOutput(many=True)  # type: ignore[assignment]
    actions = ActionOutput(many=True)
    thread = serializers.SerializerMethodField()
    offered_actions = serializers.SerializerMethodField(
        help_text="What the caller may do to this item now: the dashboard's controls. A platform "
        "action is listed only where that platform accepts it on this item (no X reply unless the "
        "author mentioned, replied to or quoted us; nothing that needs an item deleted on the "
        "platform); the rest is refused with the reason and the offline alternative."
    )

    class Meta(ItemOutput.Meta):
        fields = (
            *ItemOutput.Meta.fields,
            "parent",
            "thread_root",
            "links",
            "actions",
            "thread",
            "offered_actions",
        )

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_offered_actions(self, item: Item) -> list[str]:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return []
        return sorted(item_offered_actions(item=item, user=user))

    @extend_schema_field(ThreadItemOutput(many=True))
    def get_thread(self, item: Item) -> list[dict[str, Any]]:
        thread = self.context.get("thread", [])
        return list(ThreadItemOutput(thread, many=True).data)


class RestrictionOutput(serializers.Serializer[Any]):
    channel = serializers.IntegerField(source="channel_id")
    kind = serializers.CharField()
    created_at = UTCDateTimeField()


class AuthorOutput(ModelOutput):
    blocked = serializers.SerializerMethodField()
    restrictions = serializers.SerializerMethodField()

    class Meta:
        model = Author
        fields = (
            "id",
            "platform",
            "platform_user_id",
            "handle",
            "display_name",
            "notes",
            "item_count",
            "upheld_flag_count",
            "blocked",
            "restrictions",
            "created_at",
        )

    def get_blocked(self, author: Author) -> bool:
        return bool(author.active_restrictions)  # type: ignore[attr-defined]

    @extend_schema_field(RestrictionOutput(many=True))
    def get_restrictions(self, author: Author) -> list[dict[str, Any]]:
        return list(RestrictionOutput(author.active_restrictions, many=True).data)  # type: ignore[attr-defined]


class ChannelOutput(ModelOutput):
    connected = serializers.BooleanField(source="is_connected")
    capabilities = serializers.SerializerMethodField()
    quota_used_percent = serializers.SerializerMethodField()
    open_items = serializers.IntegerField(source="open_count")
    next_poll_at = serializers.SerializerMethodField()
    poll_reason = serializers.SerializerMethodField()

    class Meta:
        model = Channel
        fields = (
            "id",
            "platform",
            "handle",
            "display_name",
            "enabled",
            "connected",
            "health",
            "open_items",
            "last_polled_at",
            "last_success_at",
            "last_error_at",
            "last_error",
            "rate_limited_until",
            "capabilities",
            "quota_used_percent",
            "poll_failures",
            "next_poll_at",
            "poll_reason",
        )

    def get_capabilities(self, channel: Channel) -> list[str]:
        return sorted(registry.capabilities(channel.platform, settings.MODERATION_CHANNELS))

    def _schedule(self, channel: Channel) -> ChannelSchedule:
        """When the beat polls it next and why (backing off after failures, busy, night, headroom).

        Worked out for the whole page at once on first use, so a page costs the same few
        queries however many channels it shows.
        """
        schedules: dict[int, ChannelSchedule] | None = getattr(self, "_poll_schedules", None)
        if schedules is None or channel.pk not in schedules:
            # A list's rows share this serializer (its child), so this runs once a page: two
            # queries (recent arrivals, office hours) whatever the page's length.
            page = self.root.instance if self.root is not self else None
            rows = list(page) if isinstance(page, list | tuple) else [channel]
            schedules = channel_schedules(rows if channel in rows else [channel], now=timezone.now())
            self._poll_schedules = schedules
        schedule: ChannelSchedule = schedules[channel.pk]
        return schedule

    @extend_schema_field(UTCDateTimeField(allow_null=True))
    def get_next_poll_at(self, channel: Channel) -> str | None:
        """When the next poll is due; null when the channel is not polled (off, not connected)."""
        next_at = self._schedule(channel).next_at
        return None if next_at is None else UTCDateTimeField().to_representation(next_at)

    def get_poll_reason(self, channel: Channel) -> str:
        """Why that interval: normal, busy thread, night, low headroom, or backing off after failures."""
        return self._schedule(channel).plan.reason

    def get_quota_used_percent(self, channel: Channel) -> float | None:
        """Highest usage the platform last reported (as /readyz and /metrics read it)."""
        percent = (channel.rate_limit_state or {}).get("percent")
        return None if percent is None else round(float(percent), 1)


class CannedReplyOutput(ModelOutput):
    class Meta:
        model = CannedReply
        fields = ("id", "title", "body", "route", "active")


class AuditEventOutput(ModelOutput):
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)

    class Meta:
        model = AuditEvent
        fields = (
            "id",
            "created_at",
            "actor",
            "verb",
            "target_type",
            "target_id",
            "item",
            "before",
            "after",
            "clause",
            "policy_version",
            "detail",
        )


class CountOutput(serializers.Serializer[Any]):
    key = serializers.CharField()
    count = serializers.IntegerField()


class StatsOutput(serializers.Serializer[Any]):
    since = UTCDateTimeField()
    until = UTCDateTimeField()
    received = serializers.IntegerField()
    by_state = CountOutput(many=True)
    by_channel = CountOutput(many=True)
    flags_by_clause = CountOutput(many=True)
    flags_by_category = CountOutput(many=True)
    resolved = serializers.IntegerField()
    median_response_seconds = serializers.FloatField(allow_null=True)
    p90_response_seconds = serializers.FloatField(allow_null=True)
    open_past_due = serializers.IntegerField()


# --- inputs: shape only ---------------------------------------------------------------


class ActInput(serializers.Serializer[Any]):
    clause = serializers.CharField(required=False, allow_blank=True, max_length=16, default="")


class ReplyInput(ActInput):
    text = serializers.CharField(max_length=8000, trim_whitespace=True)


class NoteInput(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=8000)


class DismissInput(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class EscalateInput(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ResolveInput(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=Outcome.choices)


class ClaimNextInput(serializers.Serializer[Any]):
    """Optional filters for "claim the next item" (the dashboard's queue filters)."""

    channel = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    platform = serializers.ChoiceField(choices=Platform.choices, required=False)
    category = serializers.CharField(required=False, max_length=32)
    route = serializers.CharField(required=False, max_length=16)
    priority = serializers.IntegerField(required=False, min_value=0, max_value=3)


class ActionCreateInput(serializers.Serializer[Any]):
    item = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    kind = serializers.ChoiceField(
        choices=[
            k
            for k in ActionKind.values
            if k in ("hide", "unhide", "delete", "reply", "block", "unblock", "report")
        ]
    )
    clause = serializers.CharField(required=False, allow_blank=True, max_length=16, default="")
    text = serializers.CharField(required=False, allow_blank=True, max_length=8000, default="")


class ApiTokenOutput(ModelOutput):
    created_by = serializers.CharField(source="created_by.username", allow_null=True, default=None)

    class Meta:
        model = ApiToken
        fields: tuple[str, ...] = (
            "id",
            "name",
            "prefix",
            "scopes",
            "created_by",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
        )


class ApiTokenCreateInput(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=80)
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=ApiScope.choices), min_length=1)
    expires_in_days = serializers.IntegerField(min_value=1, max_value=3650, required=False, allow_null=True)


class ApiTokenCreatedOutput(ApiTokenOutput):
    token = serializers.CharField(help_text="Shown once; store it now.")

    class Meta(ApiTokenOutput.Meta):
        fields = (*ApiTokenOutput.Meta.fields, "token")


class WebhookEndpointOutput(ModelOutput):
    class Meta:
        model = WebhookEndpoint
        fields: tuple[str, ...] = ("id", "url", "events", "active", "description", "created_at")


class WebhookEndpointInput(serializers.Serializer[Any]):
    url = serializers.URLField(max_length=500)
    events = serializers.ListField(child=serializers.ChoiceField(choices=IntranetEvent.choices), min_length=1)
    description = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class WebhookEndpointCreatedOutput(WebhookEndpointOutput):
    secret = serializers.CharField(help_text="Signing secret; shown once.")

    class Meta(WebhookEndpointOutput.Meta):
        fields = (*WebhookEndpointOutput.Meta.fields, "secret")


class WebhookDeliveryOutput(ModelOutput):
    class Meta:
        model = WebhookDelivery
        fields = (
            "id",
            "endpoint",
            "event",
            "event_id",
            "status",
            "attempts",
            "next_attempt_at",
            "response_status",
            "response_body",
            "error",
            "payload",
            "created_at",
            "delivered_at",
        )
