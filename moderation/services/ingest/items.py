"""Storing items, whatever brought them (a poll, a webhook): one idempotent batch upsert.

Authors and items are upserted on their unique keys, so the same item stored
twice is one row; only new or edited comments are returned for classification.
Callers own the transaction and enqueue the classify tasks on commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from moderation.channels.base import KIND_POST, RemoteItem
from moderation.models import Author, Channel, Item, ItemState, Outcome, Visibility
from moderation.policy.urls_in_text import find_urls
from moderation.services._transitions import transition
from moderation.services.authors import authors_refresh_counts

ITEM_UPDATE_FIELDS = [
    "kind",
    "parent",
    "thread_root",
    "author",
    "text",
    "links",
    "media_urls",
    "permalink",
    "created_on_platform",
    "fetched_at",
    "edited_on_platform_at",
    "deleted_on_platform_at",
    "visibility",
    "raw",
    "updated_at",
]


@dataclass
class Counts:
    """New, updated and unchanged items per kind."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> new/updated/unchanged

    def add(self, kind: str, what: str, n: int = 1) -> None:
        bucket = self.counts.setdefault(kind, {"new": 0, "updated": 0, "unchanged": 0})
        bucket[what] += n

    def total(self, what: str) -> int:
        return sum(c[what] for c in self.counts.values())


def _links(text: str) -> list[str]:
    # The policy engine's own finder, so Item.links holds exactly the links the rules see.
    return [found.url for found in find_urls(text)]


def store_items(
    channel: Channel, remote: Iterable[RemoteItem], result: Counts, *, now: datetime
) -> list[int]:
    """Upsert one page of items (and their authors) in two batch statements; return ids to classify."""
    items = {ri.platform_id: ri for ri in remote}  # one row per id: ON CONFLICT cannot touch a row twice
    if not items:
        return []
    authors = {ri.author.platform_user_id: ri.author for ri in items.values() if ri.author}
    author_pk: dict[str, int] = {}
    if authors:
        author_rows = [
            Author(
                platform=channel.platform,
                platform_user_id=a.platform_user_id,
                handle=a.handle,
                display_name=a.display_name,
            )
            for a in authors.values()
        ]
        Author.objects.bulk_create(
            author_rows,
            update_conflicts=True,
            unique_fields=["platform", "platform_user_id"],
            update_fields=["handle", "display_name", "updated_at"],
        )
        author_pk = {a.platform_user_id: a.pk for a in author_rows}
    wanted = (
        set(items)
        | {i.parent_id for i in items.values() if i.parent_id}
        | {i.thread_root_id for i in items.values() if i.thread_root_id}
    )
    existing = {
        row.platform_id: row
        for row in Item.objects.filter(channel=channel, platform_id__in=wanted).only(
            "id",
            "platform_id",
            "text",
            "state",
            "visibility",
            "edited_on_platform_at",
            "deleted_on_platform_at",
        )
    }
    rows: list[Item] = []
    new_ids: set[str] = set()
    edited: set[str] = set()
    for ri in items.values():
        old = existing.get(ri.platform_id)
        edited_at = old.edited_on_platform_at if old else None
        if old is None:
            new_ids.add(ri.platform_id)
            result.add(ri.kind, "new")
        elif old.text != ri.text:
            edited_at = now
            edited.add(ri.platform_id)
            result.add(ri.kind, "updated")
        elif old.deleted_on_platform_at is not None or (old.visibility == Visibility.HIDDEN) != ri.hidden:
            result.add(ri.kind, "updated")  # came back, or hidden/unhidden on the platform
        else:
            result.add(ri.kind, "unchanged")
        parent = existing.get(ri.parent_id or "")
        root = existing.get(ri.thread_root_id or "")
        own_post = ri.kind == KIND_POST and ri.author is None
        row = Item(
            channel=channel,
            platform_id=ri.platform_id,
            kind=ri.kind,
            parent_id=parent.pk if parent else None,
            thread_root_id=root.pk if root else None,
            author_id=author_pk.get(ri.author.platform_user_id) if ri.author else None,
            text=ri.text,
            links=_links(ri.text),
            permalink=ri.permalink[:500],
            created_on_platform=ri.created_at,
            fetched_at=now,
            received_at=now,
            edited_on_platform_at=edited_at,
            deleted_on_platform_at=None,
            visibility=Visibility.HIDDEN if ri.hidden else Visibility.VISIBLE,
            raw=dict(ri.raw),
            media_urls=list(ri.media_urls),
        )
        if own_post:
            # The organisation's own post is thread context, not something to moderate.
            row.state, row.outcome, row.resolved_at = ItemState.RESOLVED, Outcome.AUTO_CLEARED, now
        rows.append(row)
    Item.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["channel", "platform_id"],
        update_fields=ITEM_UPDATE_FIELDS,
    )
    pk_by_id = {r.platform_id: r.pk for r in rows} | {k: v.pk for k, v in existing.items()}
    relink = []
    for row in rows:
        ri = items[row.platform_id]
        parent_pk = pk_by_id.get(ri.parent_id or "")
        root_pk = pk_by_id.get(ri.thread_root_id or "")
        if parent_pk != row.parent_id or root_pk != row.thread_root_id:
            row.parent_id, row.thread_root_id = parent_pk, root_pk  # parent arrived in this same page
            relink.append(row)
    if relink:
        Item.objects.bulk_update(relink, ["parent", "thread_root"])
    if new_ids:
        authors_refresh_counts(
            author_ids=[row.author_id for row in rows if row.author_id and row.platform_id in new_ids]
        )
    classify = [
        pk_by_id[pid] for pid in items if items[pid].kind != KIND_POST and (pid in new_ids or pid in edited)
    ]
    reopen = [
        existing[pid].pk
        for pid in edited
        if existing[pid].state == ItemState.RESOLVED and items[pid].kind != KIND_POST
    ]
    for item in Item.objects.filter(pk__in=reopen):
        transition(item, to=ItemState.NEW, actor=None, detail={"reason": "edited_on_platform"})
    return classify


def mark_missing_deleted(channel: Channel, root_platform_id: str, *, since: str, now: datetime) -> int:
    """A complete listing of a thread did not include these: they were deleted on the platform."""
    return (
        Item.objects.filter(
            channel=channel,
            thread_root__platform_id=root_platform_id,
            deleted_on_platform_at__isnull=True,
            fetched_at__lt=datetime.fromisoformat(since),
        )
        .exclude(kind=KIND_POST)
        .update(deleted_on_platform_at=now, visibility=Visibility.DELETED, updated_at=now)
    )
