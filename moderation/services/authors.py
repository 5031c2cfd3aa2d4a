"""Author counters shown beside each item: how much they post and how often a flag was upheld."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from moderation.models import Author, Flag, Item


def _count(queryset: object) -> Coalesce:
    return Coalesce(Subquery(queryset, output_field=IntegerField()), Value(0))  # type: ignore[arg-type]


def authors_refresh_counts(*, author_ids: Iterable[int]) -> int:
    """Recount items and upheld flags for these authors in one UPDATE; returns rows updated.

    Recounting (not incrementing) keeps it right when a page is re-polled or a task retried.
    """
    ids = sorted(set(author_ids))
    if not ids:
        return 0
    items = (
        Item.objects.filter(author=OuterRef("pk"))
        .order_by()
        .values("author")
        .annotate(n=Count("id"))
        .values("n")
    )
    upheld = (
        Flag.objects.filter(item__author=OuterRef("pk"), upheld=True)
        .order_by()
        .values("item__author")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Author.objects.filter(pk__in=ids).update(
        item_count=_count(items), upheld_flag_count=_count(upheld)
    )
