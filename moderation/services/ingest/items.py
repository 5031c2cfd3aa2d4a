"""Storing items, whatever brought them (a poll, a webhook): one idempotent batch upsert.

Authors and items are upserted on their unique keys, so the same item stored
twice is one row; only new or edited comments are returned for classification.
Callers own the transaction and enqueue the classify tasks on commit.
"""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connection, models
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from moderation.channels import registry
from moderation.channels.base import KIND_POST, RemoteItem
from moderation.data_version import items_touched_from, items_written_anywhere, items_written_from
from moderation.models import Author, Channel, Item, ItemState, Outcome, Visibility
from moderation.policy.urls_in_text import find_urls
from moderation.services._transitions import transition

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
    wanted = (
        set(items)
        | {i.parent_id for i in items.values() if i.parent_id}
        | {i.thread_root_id for i in items.values() if i.thread_root_id}
    )
    # Plain SQL for the reads and the small writes too: building ORM queries was a fifth of a page.
    existing = {
        row[1]: _Existing(*row)
        for row in _select_in(
            Item, _Existing._fields, {"channel_id": channel.pk}, "platform_id", sorted(wanted), first=True
        )
    }
    # Every item this page writes is one of its own: new ones are received now, the others when
    # they first came. The cached list pages below the earliest stay (moderation/data_version.py).
    floor = min([now, *(old.received_at for pid, old in existing.items() if pid in items)])
    with items_written_from(floor):
        return _store_page(channel, items, existing, result, now=now)


def _store_page(
    channel: Channel,
    items: dict[str, RemoteItem],
    existing: dict[str, _Existing],
    result: Counts,
    *,
    now: datetime,
) -> list[int]:
    author_pk = _store_authors(channel, items.values(), now=now)
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
    tail: list[tuple[str, list[Any]]] = []
    if unchanged:  # seen in this listing: not a deletion candidate (polling.missing_from_listing)
        tail.append(_update_in(Item, "fetched_at", now, [known[pid] for pid in unchanged]))
    new_authors = {author_pk[ri.author.platform_user_id] for pid in new_ids if (ri := items[pid]).author}
    if new_authors:
        tail.append(_recount_items(sorted(new_authors)))
    _run(tail)
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
    received_at: datetime


def _store_authors(channel: Channel, remote: Iterable[RemoteItem], *, now: datetime) -> dict[str, int]:
    """The page's authors' pks by platform user id; writes only new authors and changed names."""
    authors = {ri.author.platform_user_id: ri.author for ri in remote if ri.author}
    if not authors:
        return {}
    seen = {
        uid: (pk, handle, name)
        for pk, uid, handle, name in _select_in(
            Author,
            ("id", "platform_user_id", "handle", "display_name"),
            {"platform": channel.platform},
            "platform_user_id",
            sorted(authors),
        )
    }
    pks = {uid: row[0] for uid, row in seen.items()}
    stamp = connection.ops.adapt_datetimefield_value(now)
    changed = [
        (stamp, stamp, channel.platform, uid, a.handle, a.display_name)
        for uid, a in authors.items()
        if uid not in seen or seen[uid][1:] != (a.handle, a.display_name)
    ]
    # A new author is on this page's items alone; a new name shows on all of a known one's.
    renamed = any(row[3] in seen for row in changed)
    with items_written_anywhere() if renamed else contextlib.nullcontext():
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
    ours = registry.own_author_ids(channel.platform, settings.MODERATION_CHANNELS, channel.account_id)
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
            # Our own posts and replies (the page's, the organisation's): context, not queue work.
            own_post = ri.author.platform_user_id in ours if ri.author else ri.kind == KIND_POST
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
        for pk, pid, *received in _upsert(
            Item,
            _ITEM_COLUMNS,
            rows,
            conflict=["channel_id", "platform_id"],
            update=ITEM_UPDATE_FIELDS,
            key="platform_id",
            also="received_at",
        ):
            known[str(pid)] = int(pk)
            # A "new" item another process stored a moment ago keeps its own received_at.
            items_touched_from(received[0] if received else None)
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


@functools.cache
def _columns(model: type[models.Model]) -> dict[str, str]:
    return {n: str(f.column) for f in model._meta.concrete_fields for n in (f.name, f.attname)}


def _q(model: type[models.Model], name: str) -> str:
    """The quoted column of a model field, by name or attname."""
    return connection.ops.quote_name(_columns(model)[name])


def _select_in(
    model: type[models.Model],
    columns: Iterable[str],
    equal: dict[str, Any],
    field: str,
    values: list[Any],
    *,
    first: bool = False,
) -> list[tuple[Any, ...]]:
    """SELECT columns WHERE each `equal` AND field IN values, in chunks the database accepts.

    With first=True on PostgreSQL it also tells the transaction not to wait for its WAL flush at
    commit: the platform keeps the truth and the caller commits the page with its cursor (or the
    webhook event's state), so a commit lost in a database crash is read again, never half kept.
    """
    if not values:
        return []
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(_q(model, c) for c in columns)
    where = " AND ".join(f"{_q(model, k)} = %s" for k in equal)
    size = max(1, (connection.features.max_query_params or 65_000) - len(equal) - 1)
    prefix = "SET LOCAL synchronous_commit TO OFF; " if first and _async_commit() else ""
    rows: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(values), size):
            chunk = values[start : start + size]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"{prefix}SELECT {cols} FROM {table} WHERE {where} AND {_q(model, field)} IN ({marks})",  # noqa: S608 - names quoted, values parameters
                [*equal.values(), *chunk],
            )
            prefix = ""
            rows += [tuple(_from_db(v) for v in row) for row in cursor.fetchall()]
    return rows


def _async_commit() -> bool:
    return connection.vendor == "postgresql" and connection.in_atomic_block


def _from_db(value: Any) -> Any:
    """SQLite hands datetimes back as text, or as naive datetimes (Django's connection parses
    declared datetime columns); PostgreSQL as aware datetimes. `make run` is SQLite: a naive one
    made every poll after the first fail comparing it with an aware `now`."""
    if isinstance(value, datetime) and timezone.is_naive(value):
        return timezone.make_aware(value, UTC)
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] in " T":
        parsed = parse_datetime(value)
        if parsed is not None:
            return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, UTC)
    return value


def _update_in(model: type[models.Model], field: str, value: Any, ids: list[int]) -> tuple[str, list[Any]]:
    table = connection.ops.quote_name(model._meta.db_table)
    marks = ", ".join(["%s"] * len(ids))
    adapted = connection.ops.adapt_datetimefield_value(value) if isinstance(value, datetime) else value
    return (
        f"UPDATE {table} SET {_q(model, field)} = %s WHERE {_q(model, 'id')} IN ({marks})",  # noqa: S608 - names quoted, values parameters
        [adapted, *ids],
    )


def _recount_items(author_ids: list[int]) -> tuple[str, list[Any]]:
    """Recount (not increment) items for these authors: right when a page is stored twice."""
    authors = connection.ops.quote_name(Author._meta.db_table)
    item_table = connection.ops.quote_name(Item._meta.db_table)
    marks = ", ".join(["%s"] * len(author_ids))
    return (
        f"UPDATE {authors} SET {_q(Author, 'item_count')} = (SELECT COUNT(*) FROM {item_table} "  # noqa: S608 - names quoted, values parameters
        f"WHERE {item_table}.{_q(Item, 'author_id')} = {authors}.{_q(Author, 'id')}) "
        f"WHERE {_q(Author, 'id')} IN ({marks})",
        list(author_ids),
    )


def _run(statements: list[tuple[str, list[Any]]]) -> None:
    """Statements whose results are not needed: one round trip on PostgreSQL, one each on SQLite."""
    if not statements:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("; ".join(sql for sql, _ in statements), [p for _, ps in statements for p in ps])
        else:
            for sql, params in statements:
                cursor.execute(sql, params)


def _upsert(
    model: type[models.Model],
    columns: list[str],
    rows: list[tuple[Any, ...]],
    *,
    conflict: list[str],
    update: list[str],
    key: str,
    also: str | None = None,
) -> list[tuple[Any, ...]]:
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
        tail += f", {quote(column_of[also])}" if also else ""
    per_row = "(" + ", ".join(["%s"] * len(names)) + ")"
    limit = connection.features.max_query_params or 65_000
    size = max(1, limit // len(names))
    out: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            params = [value for row in chunk for value in (*row, *defaults)]
            cursor.execute(head + ", ".join([per_row] * len(chunk)) + tail, params)
            if returning:
                # The key as stored (a platform id is never parsed); `also` as a Python value.
                out += [(*row[:2], *(_from_db(v) for v in row[2:])) for row in cursor.fetchall()]
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
