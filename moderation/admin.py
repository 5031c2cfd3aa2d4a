"""Django admin for every model. Audit events are read-only; state is never edited here.

Queue state changes go through services (docs/architecture.md §1), so state, outcome and
claim fields are read-only in the item admin.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from moderation import admin_pipeline, admin_policy  # noqa: F401  (register the settings admins)
from moderation.models import (
    Action,
    AuditEvent,
    Author,
    AuthorRestriction,
    CannedReply,
    Channel,
    DataRetention,
    Flag,
    Item,
    LegalHold,
    OfficeHours,
)


class ReadOnlyAdmin:
    """Viewable, never edited here. Items and flags change only through the queue services,
    which audit every change (issue 13: the admin let staff edit an item's text, priority and
    route and every field of a flag, unaudited); audit events never change at all."""

    # The change form is still built (read-only) for a refused POST: give its URL fields Django 6's
    # default scheme now, as the intranet webhook form does, instead of a deprecation warning.
    formfield_overrides: ClassVar[Mapping[type[models.Field[Any, Any]], Mapping[str, Any]]] = {
        models.URLField: {"assume_scheme": "https"}
    }

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin[Channel]):
    list_display = (
        "handle",
        "platform",
        "display_name",
        "enabled",
        "health",
        "last_success_at",
        "connect_link",
    )
    list_filter = ("platform", "enabled", "health")
    search_fields = ("handle", "display_name", "account_id")
    exclude = ("credentials",)  # tokens are never shown; connect and disconnect from the channel page
    readonly_fields = (
        "health",
        "last_polled_at",
        "last_success_at",
        "last_error_at",
        "last_error",
        "poll_failures",
        "rate_limited_until",
        "rate_limit_state",
        "token_expires_at",
        "connected_at",
        "cursor",
    )

    @admin.display(description="Connection")
    def connect_link(self, obj: Channel) -> str:
        url = reverse("moderation:channel-detail", args=[obj.pk])
        label = "Manage" if obj.is_connected else "Connect"
        return format_html('<a href="{}">{}</a>', url, label)


class RestrictionInline(admin.TabularInline[AuthorRestriction, Author]):
    model = AuthorRestriction
    extra = 0
    readonly_fields = ("channel", "kind", "created_at", "created_by", "lifted_at")
    can_delete = False


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin[Author]):
    list_display = ("handle", "display_name", "platform", "item_count", "upheld_flag_count")
    list_filter = ("platform",)
    search_fields = ("handle", "display_name", "platform_user_id")
    readonly_fields = ("platform", "platform_user_id", "item_count", "upheld_flag_count")
    inlines = [RestrictionInline]


class FlagInline(admin.TabularInline[Flag, Item]):
    model = Flag
    extra = 0
    can_delete = False
    readonly_fields = ("category", "clause", "evidence", "score", "source", "explanation", "policy_version")
    exclude = ("evidence_start", "evidence_end", "upheld", "created_at")


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin, admin.ModelAdmin[Item]):
    list_display = ("id", "channel", "kind", "state", "priority", "route", "received_at")
    list_filter = ("state", "kind", "channel__platform", "priority", "route", "visibility")
    search_fields = ("platform_id", "author__handle")
    list_select_related = ("channel",)
    raw_id_fields = ("parent", "thread_root", "author")
    readonly_fields = (
        "state",
        "outcome",
        "claimed_by",
        "claimed_at",
        "resolved_at",
        "visibility",
        "classified_at",
        "policy_version",
        "received_at",
        "raw",
    )
    inlines = [FlagInline]


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin, admin.ModelAdmin[Flag]):
    list_display = ("item", "category", "clause", "score", "source", "upheld")
    list_filter = ("category", "clause", "upheld")
    raw_id_fields = ("item",)


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin[Action]):
    list_display = ("id", "kind", "status", "channel", "item", "requested_by", "created_at")
    list_filter = ("kind", "status")
    raw_id_fields = ("item", "author")
    readonly_fields = [f.name for f in Action._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # actions are requested from the queue or API so they reach the platform


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin, admin.ModelAdmin[AuditEvent]):
    list_display = ("created_at", "actor", "verb", "target_type", "target_id", "clause")
    list_filter = ("verb", "target_type")
    search_fields = ("target_id", "verb")
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in AuditEvent._meta.fields]


@admin.register(OfficeHours)
class OfficeHoursAdmin(admin.ModelAdmin[OfficeHours]):
    list_display = ("__str__", "opens", "closes")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin[CannedReply]):
    list_display = ("title", "route", "active", "updated_at")
    list_filter = ("route", "active")
    search_fields = ("title", "body")


# GP014 policy configuration (terms, protected people, domains, thresholds, actions).


@admin.register(LegalHold)
class LegalHoldAdmin(admin.ModelAdmin[LegalHold]):
    """A hold keeps an author's data out of retention and erasure (docs/data-protection.md)."""

    list_display = ("author", "reason", "created_at", "created_by", "lifted_at")
    list_filter = ("lifted_at",)
    raw_id_fields = ("author",)
    readonly_fields = ("created_at", "created_by")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # lift a hold by setting lifted_at, so its history stays

    def save_model(self, request: HttpRequest, obj: LegalHold, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)


@admin.register(DataRetention)
class DataRetentionAdmin(ReadOnlyAdmin, admin.ModelAdmin[DataRetention]):
    """Set on the Lead's Data protection page, which audits the change."""
