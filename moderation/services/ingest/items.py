"""Storing items, whatever brought them (a poll, a webhook): one idempotent batch upsert.

Authors and items are upserted on their unique keys, so the same item stored
twice is one row; only new or edited comments are returned for classification.
Callers own the transaction and enqueue the classify tasks on commit.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from django.db import connection, models

from moderation.channels.base import KIND_POST, RemoteItem
from moderation.models import Author, Channel, Item, ItemState, Outcome, Visibility
from moderation.policy.urls_in_text import find_urls
from moderation.services._transitions import transition
from moderation.services.authors import authors_recount_items

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
    """Upsert one page of items (and their authors); return the ids to classify.

    A handful of statements a page, none per item: read the page's authors and items that
    exist, upsert only the authors and items that are new or changed (INSERT ... ON CONFLICT
    DO UPDATE ... RETURNING, `_upsert`), mark the unchanged ones as seen (fetched_at, which
    deletion inference reads) in one UPDATE, and recount the authors of new items. Unchanged
    items are not rewritten and not classified again (bench/ingest_bench.py measures this).
    """
    items = {ri.platform_id: ri for ri in remote}  # one row per id: ON CONFLICT cannot touch a row twice
    if not items:
        return []
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        # The platform keeps the truth and the caller commits the page with its cursor (or the
        # webhook event's state): a commit lost in a database crash is read again, never half
        # kept, so this transaction need not wait for its WAL flush (a third of a page's time).
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
    author_pk = _store_authors(channel, items.values(), now=now)
    wanted = (
        set(items)
        | {i.parent_id for i in items.values() if i.parent_id}
        | {i.thread_root_id for i in items.values() if i.thread_root_id}
    )
    existing = {
        row[1]: _Existing(*row)
        for row in Item.objects.filter(channel=channel, platform_id__in=wanted).values_list(
            *_Existing._fields
        )
    }
    known = {pid: old.id for pid, old in existing.items()}  # platform id -> pk, growing as rows are written
    write: dict[str, tuple[RemoteItem, datetime | None]] = {}  # new or changed: (item, edited_at)
    new_ids: set[str] = set()
    edited: set[str] = set()
    unchanged: list[str] = []
    for ri in items.values():
        old = existing.get(ri.platform_id)
        author_id = author_pk.get(ri.author.platform_user_id) if ri.author else None
        if old is None:
            new_ids.add(ri.platform_id)
            result.add(ri.kind, "new")
            write[ri.platform_id] = (ri, None)
        elif old.text != ri.text:
            edited.add(ri.platform_id)
            result.add(ri.kind, "updated")
            write[ri.platform_id] = (ri, now)
        elif old.deleted_on_platform_at is not None or (old.visibility == Visibility.HIDDEN) != ri.hidden:
            result.add(ri.kind, "updated")  # came back, or hidden/unhidden on the platform
            write[ri.platform_id] = (ri, old.edited_on_platform_at)
        else:
            result.add(ri.kind, "unchanged")
            if (author_id, ri.permalink[:500], ri.kind) != (old.author_id, old.permalink, old.kind):
                write[ri.platform_id] = (ri, old.edited_on_platform_at)  # same text, details moved on
            else:
                unchanged.append(ri.platform_id)
    _write_items(channel, write, author_pk, known, now=now)
    _relink_unchanged(channel, [existing[pid] for pid in unchanged], items, known)
    if unchanged:  # seen in this listing: not a deletion candidate (polling.missing_from_listing)
        Item.objects.filter(pk__in=[known[pid] for pid in unchanged]).update(fetched_at=now)
    if new_ids:
        authors_recount_items(
            author_ids=[
                author_pk[items[pid].author.platform_user_id]  # type: ignore[union-attr]
                for pid in new_ids
                if items[pid].author
            ]
        )
    classify = [
        known[pid] for pid in items if items[pid].kind != KIND_POST and (pid in new_ids or pid in edited)
    ]
    reopen = [
        existing[pid].id
        for pid in edited
        if existing[pid].state == ItemState.RESOLVED and items[pid].kind != KIND_POST
    ]
    for item in Item.objects.filter(pk__in=reopen):
        transition(item, to=ItemState.NEW, actor=None, detail={"reason": "edited_on_platform"})
    return classify


class _Existing(NamedTuple):
    """What store_items compares an incoming item with (read as plain tuples, not models)."""

    id: int
    platform_id: str
    text: str
    state: str
    visibility: str
    edited_on_platform_at: datetime | None
    deleted_on_platform_at: datetime | None
    parent_id: int | None
    thread_root_id: int | None
    author_id: int | None
    permalink: str
    kind: str


def _store_authors(channel: Channel, remote: Iterable[RemoteItem], *, now: datetime) -> dict[str, int]:
    """The page's authors' pks by platform user id; writes only new authors and changed names."""
    authors = {ri.author.platform_user_id: ri.author for ri in remote if ri.author}
    if not authors:
        return {}
    seen = {
        uid: (pk, handle, name)
        for pk, uid, handle, name in Author.objects.filter(
            platform=channel.platform, platform_user_id__in=list(authors)
        ).values_list("id", "platform_user_id", "handle", "display_name")
    }
    pks = {uid: row[0] for uid, row in seen.items()}
    stamp = connection.ops.adapt_datetimefield_value(now)
    changed = [
        (stamp, stamp, channel.platform, uid, a.handle, a.display_name)
        for uid, a in authors.items()
        if uid not in seen or seen[uid][1:] != (a.handle, a.display_name)
    ]
    for pk, uid in _upsert(
        Author,
        ["created_at", "updated_at", "platform", "platform_user_id", "handle", "display_name"],
        changed,
        conflict=["platform", "platform_user_id"],
        update=["handle", "display_name", "updated_at"],
        key="platform_user_id",
    ):
        pks[str(uid)] = int(pk)
    return pks


_ITEM_COLUMNS = [
    "created_at",
    "updated_at",
    "channel_id",
    "platform_id",
    "kind",
    "parent_id",
    "thread_root_id",
    "author_id",
    "text",
    "links",
    "media_urls",
    "permalink",
    "created_on_platform",
    "fetched_at",
    "received_at",
    "edited_on_platform_at",
    "deleted_on_platform_at",
    "visibility",
    "raw",
    "state",
    "outcome",
    "resolved_at",
]


def _write_items(
    channel: Channel,
    write: dict[str, tuple[RemoteItem, datetime | None]],
    author_pk: dict[str, int],
    known: dict[str, int],
    *,
    now: datetime,
) -> None:
    """Upsert the new and changed items, parents before their replies so every link is set."""
    adapt = connection.ops.adapt_datetimefield_value
    stamp = adapt(now)
    pending = dict(write)
    while pending:
        # A reply to a comment that is itself new in this page waits for its parent's pk.
        ready = {
            pid: entry
            for pid, entry in pending.items()
            if all(ref is None or ref in known or ref not in pending for ref in _refs(entry[0]))
        } or pending  # a cycle the platform should never send: link what is known
        rows = []
        for ri, edited_at in ready.values():
            own_post = ri.kind == KIND_POST and ri.author is None  # our own post: context, not queue work
            rows.append(
                (
                    stamp,
                    stamp,
                    channel.pk,
                    ri.platform_id,
                    ri.kind,
                    known.get(ri.parent_id or ""),
                    known.get(ri.thread_root_id or ""),
                    author_pk.get(ri.author.platform_user_id) if ri.author else None,
                    ri.text,
                    json.dumps(_links(ri.text)),
                    json.dumps(list(ri.media_urls)),
                    ri.permalink[:500],
                    adapt(ri.created_at) if ri.created_at else None,
                    stamp,
                    stamp,
                    adapt(edited_at) if edited_at else None,
                    None,
                    Visibility.HIDDEN.value if ri.hidden else Visibility.VISIBLE.value,
                    json.dumps(dict(ri.raw)),
                    ItemState.RESOLVED.value if own_post else ItemState.NEW.value,
                    Outcome.AUTO_CLEARED.value if own_post else "",
                    stamp if own_post else None,
                )
            )
        for pk, pid in _upsert(
            Item,
            _ITEM_COLUMNS,
            rows,
            conflict=["channel_id", "platform_id"],
            update=ITEM_UPDATE_FIELDS,
            key="platform_id",
        ):
            known[str(pid)] = int(pk)
        for pid in ready:
            del pending[pid]


def _refs(ri: RemoteItem) -> tuple[str | None, str | None]:
    return ri.parent_id, ri.thread_root_id


def _relink_unchanged(
    channel: Channel, rows: list[_Existing], items: dict[str, RemoteItem], known: dict[str, int]
) -> None:
    """An unchanged item whose parent or thread arrived only now gets its links (rare: webhooks)."""
    for old in rows:
        ri = items[old.platform_id]
        parent, root = known.get(ri.parent_id or ""), known.get(ri.thread_root_id or "")
        if (parent or old.parent_id, root or old.thread_root_id) != (old.parent_id, old.thread_root_id):
            Item.objects.filter(pk=old.id).update(
                parent_id=parent or old.parent_id, thread_root_id=root or old.thread_root_id
            )


def _upsert(
    model: type[models.Model],
    columns: list[str],
    rows: list[tuple[Any, ...]],
    *,
    conflict: list[str],
    update: list[str],
    key: str,
) -> list[tuple[Any, Any]]:
    """INSERT ... ON CONFLICT DO UPDATE for prepared rows; returns (pk, key) of every row written.

    Plain SQL through Django's connection (PostgreSQL, and SQLite for the laptop demo): the
    ORM's per-field preparation was most of a page's time. Values come ready for the database
    (datetimes adapted, JSON dumped); any other column gets its model default, so a field added
    later needs no change here.
    """
    if not rows:
        return []
    opts = model._meta
    fields = {f.attname: f for f in opts.concrete_fields if not f.primary_key}
    extra = [name for name in fields if name not in columns]
    defaults: list[Any] = []
    for name in extra:
        field = fields[name]
        value = field.get_default()  # "" for a text field without one, as the ORM does
        if value is None and not field.null:
            raise ValueError(f"{opts.label}.{name} has no default; store_items must set it.")
        defaults.append(None if value is None else field.get_db_prep_save(value, connection))
    names = columns + extra
    quote = connection.ops.quote_name
    table = quote(opts.db_table)
    column_of = {name: str(f.column) for f in opts.concrete_fields for name in (f.name, f.attname)}
    # Table and column names come from the model and are quoted; every value is a parameter.
    head = f"INSERT INTO {table} ({', '.join(quote(column_of[n]) for n in names)}) VALUES "  # noqa: S608
    tail = f" ON CONFLICT ({', '.join(quote(column_of[n]) for n in conflict)}) DO UPDATE SET " + ", ".join(
        f"{quote(column_of[n])} = EXCLUDED.{quote(column_of[n])}" for n in update
    )
    returning = connection.features.can_return_rows_from_bulk_insert
    if returning:
        tail += f" RETURNING {quote(str(opts.pk.column))}, {quote(column_of[key])}"
    per_row = "(" + ", ".join(["%s"] * len(names)) + ")"
    limit = connection.features.max_query_params or 65_000
    size = max(1, limit // len(names))
    out: list[tuple[Any, Any]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            params = [value for row in chunk for value in (*row, *defaults)]
            cursor.execute(head + ", ".join([per_row] * len(chunk)) + tail, params)
            if returning:
                out += cursor.fetchall()
    if not returning:  # an old SQLite: read the keys back
        keys = [row[columns.index(key)] for row in rows]
        out = list(model._default_manager.filter(**{f"{key}__in": keys}).values_list("pk", key))
    return out


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
