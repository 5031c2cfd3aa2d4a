"""Ingestion: pull pages through a channel adapter and upsert them idempotently (conventions §3).

One sweep walks the channel's recent posts and their comments page by page.
Each page is stored in one transaction (a batch upsert of authors and items on
their unique keys) together with the cursor, so a crash resumes after the last
stored page and a re-poll changes nothing. No HTTP happens inside a transaction.
Only new or edited comments get a classify task, after commit.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from moderation.channels.base import (
    KIND_POST,
    ChannelAuthError,
    ChannelError,
    ChannelNotFound,
    ChannelPermissionError,
    ChannelRateLimited,
    ChannelUnavailable,
    RemoteItem,
    WebhookChange,
)
from moderation.models import Author, Channel, ChannelHealth, Item, ItemState, Outcome, Visibility
from moderation.services._transitions import transition
from moderation.services.authors import authors_refresh_counts
from moderation.services.channels import channel_adapter, channel_mark_auth_failed
from moderation.tasks import item_classify

log = logging.getLogger(__name__)

URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s<>\"')]+|\b[a-z0-9-]+\.(?:co|com|shop|ly|org|net|uk)/[^\s<>\"')]*", re.I
)
ITEM_UPDATE_FIELDS = [
    "kind",
    "parent",
    "thread_root",
    "author",
    "text",
    "links",
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
class PollResult:
    channel_id: int
    status: str = "ok"  # ok | rate_limited | needs_reconnect | unavailable | error | skipped
    message: str = ""
    pages: int = 0
    api_calls: int = 0
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> new/updated/unchanged
    deleted: int = 0
    skipped_entries: int = 0
    classify_ids: list[int] = field(default_factory=list)

    def add(self, kind: str, what: str, n: int = 1) -> None:
        bucket = self.counts.setdefault(kind, {"new": 0, "updated": 0, "unchanged": 0})
        bucket[what] += n

    def total(self, what: str) -> int:
        return sum(c[what] for c in self.counts.values())


def channel_poll(*, channel_id: int, max_pages: int | None = None) -> PollResult:
    """Run (or resume) one sweep of a channel. Raises ChannelUnavailable so the task retries."""
    channel = Channel.objects.get(pk=channel_id)
    result = PollResult(channel_id=channel.pk)
    now = timezone.now()
    if not channel.enabled:
        return _skip(result, "The channel is switched off.")
    if channel.health == ChannelHealth.NEEDS_RECONNECT:
        result.status = "needs_reconnect"
        result.message = "The platform rejected the token; a Lead must reconnect the channel."
        return result
    if not channel.credentials:
        return _skip(result, "The channel is not connected yet.")
    if channel.rate_limited_until and channel.rate_limited_until > now:
        result.status = "rate_limited"
        result.message = f"Rate limited until {channel.rate_limited_until:%H:%M:%S}."
        return result
    Channel.objects.filter(pk=channel.pk).update(last_polled_at=now)
    try:
        adapter = channel_adapter(channel)
    except ChannelAuthError as exc:
        channel_mark_auth_failed(channel_id=channel.pk, error=str(exc))
        result.status, result.message = "needs_reconnect", str(exc)
        return result
    except ChannelError as exc:  # not configured
        _record_error(channel.pk, ChannelHealth.DEGRADED, str(exc))
        result.status, result.message = "error", str(exc)
        return result
    cursor: dict[str, Any] = dict(channel.cursor or {})
    try:
        while max_pages is None or result.pages < max_pages:
            sweep_started = cursor.get("sweep_started_at") or timezone.now().isoformat()
            page = adapter.fetch_page(cursor=cursor.get("adapter", {}))
            next_cursor = {} if page.done else {"sweep_started_at": sweep_started, "adapter": page.cursor}
            with transaction.atomic():
                locked = Channel.objects.select_for_update().get(pk=channel.pk)
                if (locked.cursor or {}) != cursor:
                    result.message = "Another poll of this channel moved the cursor; stopping this one."
                    break
                now = timezone.now()
                ids = _store_items(locked, page.items, result, now=now)
                for root in page.completed_roots:
                    result.deleted += _mark_missing_deleted(locked, root, since=sweep_started, now=now)
                result.skipped_entries += page.skipped
                locked.cursor = next_cursor
                locked.rate_limit_state = adapter.usage or locked.rate_limit_state
                locked.save(update_fields=["cursor", "rate_limit_state", "updated_at"])
                for item_id in ids:
                    transaction.on_commit(partial(item_classify.delay, item_id))
            result.classify_ids += ids
            cursor = next_cursor
            result.pages += 1
            if page.done:
                break
    except (ChannelAuthError, ChannelPermissionError) as exc:
        channel_mark_auth_failed(channel_id=channel.pk, error=str(exc))
        result.status, result.message = "needs_reconnect", str(exc)
    except ChannelRateLimited as exc:
        until = timezone.now() + timedelta(seconds=max(1.0, exc.retry_after))
        Channel.objects.filter(pk=channel.pk).update(
            health=ChannelHealth.RATE_LIMITED,
            rate_limited_until=until,
            rate_limit_state=adapter.usage,
            last_error=str(exc)[:2000],
            last_error_at=timezone.now(),
        )
        result.status, result.message = "rate_limited", f"{exc} Next poll after {until:%H:%M:%S}."
    except ChannelUnavailable as exc:
        _record_error(channel.pk, ChannelHealth.DEGRADED, str(exc))
        result.api_calls = adapter.api_calls
        raise
    except ChannelError as exc:
        _record_error(channel.pk, ChannelHealth.DEGRADED, str(exc))
        result.status, result.message = "error", str(exc)
    result.api_calls = adapter.api_calls
    if result.status == "ok":
        Channel.objects.filter(pk=channel.pk).update(
            health=ChannelHealth.OK,
            last_success_at=timezone.now(),
            rate_limited_until=None,
            last_error="",
        )
    return result


def _skip(result: PollResult, message: str) -> PollResult:
    result.status, result.message = "skipped", message
    return result


def _record_error(channel_id: int, health: str, message: str) -> None:
    Channel.objects.filter(pk=channel_id).update(
        health=health, last_error=message[:2000], last_error_at=timezone.now()
    )


def _links(text: str) -> list[str]:
    return URL_RE.findall(text)[:20]


def _store_items(
    channel: Channel, remote: Iterable[RemoteItem], result: PollResult, *, now: datetime
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


def _mark_missing_deleted(channel: Channel, root_platform_id: str, *, since: str, now: datetime) -> int:
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


@dataclass
class WebhookResult:
    changes: int = 0
    stored: int = 0
    deleted: int = 0
    ignored: int = 0
    fetched: int = 0  # mentions read from the platform because the event only named them
    failed: int = 0  # mentions that could not be read for a reason a redelivery may fix
    classify_ids: list[int] = field(default_factory=list)


def _fetch_mentions(channel: Channel, group: list[WebhookChange], out: WebhookResult) -> list[WebhookChange]:
    """Read the objects that mention events only name. HTTP here, so never inside a transaction."""
    wanted = [
        c for c in group if c.mention_ref is not None and c.item is None and c.verb in ("add", "edited")
    ]
    if not wanted:
        return group
    unusable = channel.health == ChannelHealth.NEEDS_RECONNECT or not channel.credentials
    fetched: dict[int, WebhookChange] = {}
    try:
        if unusable:
            raise ChannelAuthError(f"Channel {channel.pk} is not connected; cannot read mentions.")
        adapter = channel_adapter(channel)
        for change in wanted:
            assert change.mention_ref is not None  # noqa: S101 - filtered above
            try:
                item = adapter.get_mention(ref=change.mention_ref)
            except ChannelNotFound:
                log.info("mention %s on channel %s is gone; ignored", change.platform_id, channel.pk)
                out.ignored += 1
                continue
            fetched[id(change)] = replace(change, item=item)
            out.fetched += 1
    except (ChannelAuthError, ChannelPermissionError) as exc:
        if not unusable:
            channel_mark_auth_failed(channel_id=channel.pk, error=str(exc))
        # A redelivery cannot help until a Lead reconnects; the next poll (Facebook) catches up.
        log.warning("mentions for channel %s not read: needs reconnecting", channel.pk)
        out.ignored += len(wanted) - len(fetched)
    except (ChannelUnavailable, ChannelRateLimited) as exc:  # Meta redelivers if we answer an error
        log.warning("mentions for channel %s not read: %s", channel.pk, exc.__class__.__name__)
        out.failed += len(wanted) - len(fetched)
    except ChannelError as exc:  # permanent: a redelivery would fail the same way
        log.warning("mentions for channel %s not read: %s", channel.pk, exc.__class__.__name__)
        out.ignored += len(wanted) - len(fetched)
    return [fetched.get(id(c), c) for c in group]  # unread mentions keep item=None: not stored


def webhook_ingest(*, platform: str, changes: list[WebhookChange]) -> WebhookResult:
    """Store webhook changes idempotently: the same event twice stores one row and classifies once.

    Mention events name an object without its text; those objects are read through
    the channel's adapter first (outside the transaction). `failed` counts mentions
    that could not be read, so the caller can ask the platform to redeliver.
    """
    out = WebhookResult(changes=len(changes))
    by_account: dict[str, list[WebhookChange]] = {}
    for change in changes:
        by_account.setdefault(change.account_id, []).append(change)
    for account_id, group in by_account.items():
        channel = Channel.objects.filter(platform=platform, account_id=account_id).first()
        if channel is None:
            out.ignored += len(group)
            log.info("webhook for unknown %s account %s ignored", platform, account_id)
            continue
        group = _fetch_mentions(channel, group, out)
        now = timezone.now()
        result = PollResult(channel_id=channel.pk)
        with transaction.atomic():
            items = [c.item for c in group if c.item is not None and c.verb in ("add", "edited")]
            ids = _store_items(channel, items, result, now=now)
            out.stored += len(items)
            for change in group:
                if change.verb == "remove":
                    out.deleted += Item.objects.filter(
                        channel=channel, platform_id=change.platform_id, deleted_on_platform_at__isnull=True
                    ).update(deleted_on_platform_at=now, visibility=Visibility.DELETED, updated_at=now)
                elif change.verb in ("hide", "unhide"):
                    Item.objects.filter(channel=channel, platform_id=change.platform_id).exclude(
                        visibility=Visibility.DELETED
                    ).update(visibility=Visibility.HIDDEN if change.verb == "hide" else Visibility.VISIBLE)
            for item_id in ids:
                transaction.on_commit(partial(item_classify.delay, item_id))
        out.classify_ids += ids
    return out


def channels_poll_due(*, now: datetime | None = None) -> list[int]:
    """Enqueue a poll for each channel whose interval has passed; returns their ids."""
    from moderation.selectors import channels_due_for_poll
    from moderation.tasks import channel_poll as channel_poll_task

    due = [c.pk for c in channels_due_for_poll(now=now or timezone.now())]
    for channel_id in due:
        transaction.on_commit(partial(channel_poll_task.delay, channel_id))
    return due
