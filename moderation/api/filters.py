"""Query filters for the list endpoints (django-filter)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field

from moderation.models import Action, ActionKind, ActionStatus, AuditEvent, Flag, Item, ItemKind, ItemState

MAX_ID = 2**63 - 1  # PostgreSQL bigint: larger ids are a 400, not a database error


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(filters.NumberFilter):  # type: ignore[misc]
    """An id: whole numbers only, within the database's range."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class _UTCDateTimeField(IsoDateTimeField):  # type: ignore[misc]
    def clean(self, value: Any) -> Any:
        cleaned = super().clean(value)
        if cleaned is None:
            return None
        try:  # PostgreSQL refuses offsets beyond +-15:59, so send UTC; year 1 minus an offset overflows
            return cleaned.astimezone(dt.UTC)
        except OverflowError as exc:
            raise forms.ValidationError("That date-time is out of range.", code="invalid") from exc


class WhenFilter(filters.IsoDateTimeFilter):  # type: ignore[misc]
    """An ISO 8601 date-time with any offset, compared in UTC."""

    field_class = _UTCDateTimeField


class ItemFilter(filters.FilterSet):  # type: ignore[misc]  # django-filter ships no type stubs
    channel = IdFilter(field_name="channel_id", help_text="Channel id.")
    author = IdFilter(field_name="author_id", help_text="Author id.")
    # distinct=False: an IN on the item's own column cannot repeat a row, and SELECT DISTINCT
    # over whole rows made ?state=new sort the table (250-600 ms at a million items).
    state = filters.MultipleChoiceFilter(
        choices=ItemState.choices, distinct=False, help_text="Repeat for several."
    )
    kind = filters.ChoiceFilter(choices=ItemKind.choices)
    route = filters.CharFilter(help_text="GP014 2.4 route: repair, complaint or personal_issue.")
    category = filters.CharFilter(method="filter_category", help_text="Items with a flag in this category.")
    flagged = filters.BooleanFilter(method="filter_flagged", help_text="Only items with (or without) flags.")
    since = WhenFilter(field_name="received_at", lookup_expr="gte", help_text="ISO 8601.")
    until = WhenFilter(field_name="received_at", lookup_expr="lt", help_text="ISO 8601.")
    q = filters.CharFilter(field_name="text", lookup_expr="icontains", help_text="Text contains.")

    class Meta:
        model = Item
        fields: list[str] = []

    _form_class: type | None = None

    def get_form_class(self) -> type:
        # The form is the same on every request: build its class (10 fields) once, not per request
        # as django-filter does. Each form instance still gets its own copies of the fields.
        form_class: type | None = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            type(self)._form_class = form_class
        return form_class

    # Exists() rather than a join, so an item with two matching flags is listed once.
    def filter_category(self, queryset: QuerySet[Item], name: str, value: str) -> QuerySet[Item]:
        return queryset.filter(Exists(Flag.objects.filter(item=OuterRef("pk"), category=value)))

    def filter_flagged(self, queryset: QuerySet[Item], name: str, value: bool | None) -> QuerySet[Item]:
        if value is None:
            return queryset
        has_flag = Exists(Flag.objects.filter(item=OuterRef("pk")))
        return queryset.filter(has_flag) if value else queryset.exclude(has_flag)


class FlagFilter(filters.FilterSet):  # type: ignore[misc]  # django-filter ships no type stubs
    item = IdFilter(field_name="item_id")
    category = filters.CharFilter()
    clause = filters.CharFilter()
    since = WhenFilter(field_name="created_at", lookup_expr="gte")
    until = WhenFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Flag
        fields: list[str] = []


class ActionFilter(filters.FilterSet):  # type: ignore[misc]  # django-filter ships no type stubs
    item = IdFilter(field_name="item_id")
    kind = filters.ChoiceFilter(choices=ActionKind.choices)
    status = filters.MultipleChoiceFilter(choices=ActionStatus.choices, distinct=False)

    class Meta:
        model = Action
        fields: list[str] = []


class AuditFilter(filters.FilterSet):  # type: ignore[misc]  # django-filter ships no type stubs
    item = IdFilter(field_name="item_id")
    verb = filters.CharFilter()
    actor = IdFilter(field_name="actor_id")
    since = WhenFilter(field_name="created_at", lookup_expr="gte")
    until = WhenFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = AuditEvent
        fields: list[str] = []
