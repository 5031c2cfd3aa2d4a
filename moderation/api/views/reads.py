"""Read-only endpoints: items, flags, authors, channels, canned replies and stats."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from typing import Any

from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from moderation.api import list_cache, selectors
from moderation.api.conditional import conditional_response
from moderation.api.errors import problem
from moderation.api.filters import FlagFilter, ItemFilter
from moderation.api.pagination import CreatedCursor, IdCursor, ItemKeysetCursor
from moderation.api.serializers import (
    AuthorOutput,
    CannedReplyOutput,
    ChannelOutput,
    FlagOutput,
    ItemDetailOutput,
    ItemOutput,
    StatsOutput,
    item_rows_output,
)

MAX_STATS_DAYS = 92
PAGING_PARAMS = {"cursor", "page_size"}


class ConditionalRetrieveMixin:
    """GET detail answers with an ETag and honours If-None-Match (moderation/api/conditional.py)."""

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()  # type: ignore[attr-defined]
        data = self.get_serializer(obj).data  # type: ignore[attr-defined]
        return conditional_response(request, data)


class ItemReadViewSet(ConditionalRetrieveMixin, viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Items (posts, comments, replies, mentions) with their queue state and flags."""

    api_permission = "moderation.view_item"
    pagination_class = ItemKeysetCursor
    filterset_class = ItemFilter

    def get_queryset(self) -> Any:
        return selectors.item_detail_list() if self.action == "retrieve" else selectors.item_list()

    def get_serializer_class(self) -> Any:
        return ItemDetailOutput if self.action == "retrieve" else ItemOutput

    def throttle_reads_along(self, request: Request) -> list[str]:
        # The list cache's data version, read in the throttle's Redis round trip (one, not two).
        return list_cache.reads_along(request) if self.action == "list" else []

    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        # The busiest endpoint: value rows and one flags query, shaped as ItemOutput, and the
        # rendered page kept for a second (moderation/api/list_cache.py; docs/benchmarks.md).
        def build() -> Response:
            rows = selectors.item_rows()
            if set(request.query_params) - PAGING_PARAMS:  # building the FilterSet costs ~1 ms
                rows = self.filter_queryset(rows)
            return items_page(self, rows)

        def render(response: Response) -> Response:  # as dispatch() and Django's handler would
            finished: Response = self.finalize_response(request, response, *args, **kwargs)
            finished.render()
            return finished

        return list_cache.cached(request, build, render)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        item = self.get_object()
        context = {**self.get_serializer_context(), "thread": selectors.item_thread(item=item)}
        return conditional_response(request, ItemDetailOutput(item, context=context).data)


class FlagViewSet(ConditionalRetrieveMixin, viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """What the policy engine flagged: the GP014 clause, the evidence and the score."""

    api_permission = "moderation.view_flag"
    serializer_class = FlagOutput
    pagination_class = CreatedCursor
    filterset_class = FlagFilter

    def get_queryset(self) -> Any:
        return selectors.flag_list()


class AuthorViewSet(ConditionalRetrieveMixin, viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """People who posted, with their item counts and whether they are blocked anywhere."""

    api_permission = "moderation.view_author"
    serializer_class = AuthorOutput
    pagination_class = IdCursor

    def get_queryset(self) -> Any:
        return selectors.author_list()

    @extend_schema(responses=ItemOutput(many=True))
    @action(detail=True, methods=["get"], pagination_class=ItemKeysetCursor)
    def items(self, request: Request, pk: str | None = None) -> Response:
        """The author's history: their items, newest first."""
        author = self.get_object()
        return items_page(self, selectors.item_rows().filter(author_id=author.pk))


def items_page(view: Any, rows: Any) -> Response:
    """One keyset page of item rows with their flags, as ItemOutput: a fixed number of queries."""
    page = view.paginate_queryset(rows)
    flags = selectors.item_flags_brief(item_ids=[row["id"] for row in page])
    response: Response = view.get_paginated_response(item_rows_output(page, flags))
    return response


class ChannelViewSet(ConditionalRetrieveMixin, viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """The organisation's channels: health, what each platform allows, and quota used."""

    api_permission = "moderation.view_channel"
    serializer_class = ChannelOutput
    pagination_class = IdCursor

    def get_queryset(self) -> Any:
        return selectors.channel_list()


class CannedReplyViewSet(ConditionalRetrieveMixin, viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Ready replies officers send, e.g. signposting repairs to direct contact (GP014 2.4)."""

    api_permission = "moderation.view_cannedreply"
    serializer_class = CannedReplyOutput
    pagination_class = IdCursor

    def get_queryset(self) -> Any:
        return selectors.canned_reply_list()


class StatsView(APIView):
    """Volumes, flags by clause and category, and response times (received to resolved)."""

    api_permission = "moderation.view_item"

    @extend_schema(
        parameters=[
            OpenApiParameter("since", OpenApiTypes.DATETIME, description="Default: 7 days before until."),
            OpenApiParameter("until", OpenApiTypes.DATETIME, description="Default: now."),
        ],
        responses=StatsOutput,
    )
    def get(self, request: Request) -> Response:
        now = timezone.now()
        try:
            until = _when(request.query_params.get("until")) or now
            since = _when(request.query_params.get("since")) or until - timedelta(days=7)
        except ValueError as exc:
            return problem(status_code=400, code="invalid", detail=str(exc), instance=request.path)
        if since >= until or until - since > timedelta(days=MAX_STATS_DAYS):
            return problem(
                status_code=400,
                code="invalid_window",
                detail=f"since must be before until and the window at most {MAX_STATS_DAYS} days.",
                hint="e.g. ?since=2026-11-01T00:00:00Z&until=2026-12-01T00:00:00Z",
                instance=request.path,
            )
        return Response(StatsOutput(selectors.stats(since=since, until=until)).data)


def _when(raw: str | None) -> Any:
    if not raw:
        return None
    value = parse_datetime(raw)
    if value is None:
        raise ValueError(f"{raw!r} is not an ISO 8601 date-time, e.g. 2026-11-01T00:00:00Z.")
    if not 2000 <= value.year <= 2100:
        raise ValueError(f"{raw!r} is outside 2000-2100.")
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value.astimezone(dt.UTC)  # PostgreSQL refuses offsets beyond +-15:59
