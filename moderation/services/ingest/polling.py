"""Polling: pull pages through a channel's adapter and store them (docs/architecture.md).

One sweep walks the channel's recent posts and their comments page by page.
Each page is stored in one transaction together with the cursor, so a crash
resumes after the last stored page and a re-poll changes nothing. No HTTP
happens inside a transaction. A post whose comments could not be read is
recorded on the channel and passed over; nothing under it is taken as deleted.
Items a complete listing no longer shows are closed only after a direct read
confirms the platform says they do not exist.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.cache import caches
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone

from moderation.cache_lock import delete_if_held, extend_if_held
from moderation.channels.base import (
    KIND_POST,
    ChannelAdapter,
    ChannelError,
    ChannelNotFound,
    ChannelUnavailable,
    SweepFailure,
)
from moderation.models import Channel, ChannelHealth, Item, Visibility
from moderation.selectors import items_awaiting_classification
from moderation.services.channels import channel_adapter, channel_record_error
from moderation.services.ingest.items import Counts, store_items
from moderation.services.usage import usage_record
from moderation.tasks import enqueue_on_commit, item_classify

log = logging.getLogger(__name__)

# Direct reads per page to confirm that items missing from a listing were deleted.
MAX_DELETION_CHECKS = 20
RECENT_FAILURES_KEPT = 20  # Channel.recent_failures: the newest this many, shown on the channel page
# The parts of a sweep (Channel.recent_failures' "part"), read again by every sweep that finishes.
# A "database" entry is cleared by the next page stored, a "webhook" one by the next delivery stored.
SWEEP_PARTS = ("comments", "mentions")
# A live poll's heartbeat renews its lock every POLL_LOCK_RENEW_SECONDS, so the lock outlives a slow
# page however long it takes, yet a worker killed mid-poll leaves it for at most POLL_LOCK_SECONDS:
# the fan-out's next poll (every 30 s) then resumes the sweep, within a minute of the kill (issue 12).
POLL_LOCK_SECONDS = 10
POLL_LOCK_RENEW_SECONDS = 3


@dataclass
class PollResult(Counts):
    channel_id: int = 0
    status: str = "ok"  # ok | rate_limited | needs_reconnect | unavailable | error | skipped
    message: str = ""
    pages: int = 0
    api_calls: int = 0
    deleted: int = 0
    skipped_entries: int = 0
    errors: list[SweepFailure] = field(default_factory=list)  # parts of the sweep passed over
    classify_ids: list[int] = field(default_factory=list)


def channel_poll(*, channel_id: int, max_pages: int | None = None) -> PollResult:
    """Run (or resume) one sweep of a channel. Raises ChannelUnavailable (the failure is counted on
    the channel first, so the beat's fan-out polls it again after its back-off)."""
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
    lock = PollLock(channel.pk)
    if not lock.acquire():
        return _skip(result, "Another poll of this channel is running.")
    try:
        return _poll_locked(channel, result, lock, max_pages=max_pages)
    except CONNECTION_LOST as exc:
        channel_record_database_failure(
            channel_id=channel.pk,
            part="database",
            exc=exc,
            message="while a page was being stored; the page was rolled back whole and the next poll "
            "resumes after the last stored page.",
        )
        raise
    finally:
        lock.release()


# What a dropped PostgreSQL connection (a restart, a failover, a killed backend) raises mid-query;
# also a deadlock or a statement timeout, which the same record describes as well.
CONNECTION_LOST = (OperationalError, InterfaceError)


def channel_record_database_failure(*, channel_id: int, part: str, exc: Exception, message: str) -> None:
    """After the database failed mid-transaction (typically its connection dropped): reconnect, and
    say so on the channel page with the database's own first line and `message` (what became of
    the work).

    Otherwise only /readyz showed anything, and only while it lasted (issue 12: the channel or
    health page says what happened). The transaction rolled back whole; the caller re-raises, so
    the task ends as failed and its work is picked up again.
    """
    if not connection.in_atomic_block:  # Django closes a connection whose rollback failed; be sure
        connection.close_if_unusable_or_obsolete()
    said = (str(exc).strip().splitlines() or [""])[0][:200]  # e.g. "terminating connection due to ..."
    message = f"The database failed ({said or type(exc).__name__}) {message}"
    failure = SweepFailure(part=part, platform_id="", error=type(exc).__name__, message=message)
    try:
        with transaction.atomic():
            locked = Channel.objects.select_for_update().get(pk=channel_id)
            locked.recent_failures = failures_recorded(locked.recent_failures, [failure], now=timezone.now())
            locked.save(update_fields=["recent_failures", "updated_at"])
    except (*CONNECTION_LOST, Channel.DoesNotExist) as again:  # the database is still unreachable
        log.warning(
            "channel %s: could not record the database failure (%s)",
            channel_id,
            again.__class__.__name__,
        )


class PollLock:
    """One poll per channel at a time, across workers (the cache is Redis outside the laptop demo).

    Short-lived and kept alive by a heartbeat thread while the poll runs: the lock says the
    poll is alive, not merely that it started. A worker killed with SIGKILL stops beating, so
    its lock lapses within POLL_LOCK_SECONDS instead of holding the channel for the length of
    a sweep. A poll that finds another poll holding its lock now (it stalled past the lock's
    life) stops at its next page; the page transaction's cursor check backs that up.
    """

    def __init__(
        self,
        channel_id: int,
        *,
        seconds: float = POLL_LOCK_SECONDS,
        renew_every: float = POLL_LOCK_RENEW_SECONDS,
    ) -> None:
        self.key = f"poll-lock:{channel_id}"
        self.token = uuid.uuid4().hex
        self.seconds, self.renew_every = seconds, renew_every
        # The backend itself, not the per-thread proxy: the heartbeat thread shares its pool.
        self.cache = caches["default"]
        self._stop = threading.Event()
        self._lost = threading.Event()
        self._heartbeat: threading.Thread | None = None

    def acquire(self) -> bool:
        if not self.cache.add(self.key, self.token, timeout=self.seconds):
            return False
        self._heartbeat = threading.Thread(target=self._beat, name=f"{self.key} heartbeat", daemon=True)
        self._heartbeat.start()
        return True

    @property
    def held(self) -> bool:
        """False once another poll took the lock from under this one."""
        return not self._lost.is_set()

    def renew(self) -> bool:
        if extend_if_held(self.cache, self.key, self.token, self.seconds):
            return True
        # Lapsed with nobody else holding it (Redis restarted empty, or this process stalled):
        # take it again, so a poll the fan-out starts meanwhile skips instead of overlapping.
        if self.cache.add(self.key, self.token, timeout=self.seconds):
            return True
        self._lost.set()
        return False

    def _beat(self) -> None:
        while not self._stop.wait(self.renew_every):
            try:
                if not self.renew():
                    log.warning(
                        "%s: another poll holds the lock now; this poll stops at its next page", self.key
                    )
                    return
            except Exception as exc:  # noqa: BLE001 - Redis unreachable: keep trying, the lock may lapse
                log.warning("%s: could not renew the lock (%s)", self.key, exc.__class__.__name__)

    def release(self) -> None:
        self._stop.set()
        if self._heartbeat is not None:
            self._heartbeat.join(timeout=self.seconds)
        delete_if_held(self.cache, self.key, self.token)  # never a lock another poll took after ours lapsed


def _poll_locked(
    channel: Channel, result: PollResult, lock: PollLock, *, max_pages: int | None
) -> PollResult:
    Channel.objects.filter(pk=channel.pk).update(last_polled_at=timezone.now())
    try:
        adapter = channel_adapter(channel)
    except ChannelError as exc:  # no token, or no adapter for the platform
        result.status, result.message = channel_record_error(channel_id=channel.pk, error=exc), str(exc)
        _count_failure(channel.pk, result.status)
        return result
    reclassify_left_unsent(channel)
    try:
        _sweep(channel, adapter, result, max_pages=max_pages, still_ours=lambda: lock.held)
    except ChannelUnavailable as exc:
        _count_failure(channel.pk, channel_record_error(channel_id=channel.pk, error=exc))
        result.api_calls = adapter.api_calls
        raise
    except ChannelError as exc:
        result.status = channel_record_error(channel_id=channel.pk, error=exc, usage=adapter.usage)
        result.message = str(exc)
        _count_failure(channel.pk, result.status)
    finally:
        usage_record(channel_id=channel.pk, adapter=adapter)  # X reads and YouTube units, for the budgets
    result.api_calls = adapter.api_calls
    if result.status == "ok":
        Channel.objects.filter(pk=channel.pk).update(
            health=ChannelHealth.OK,
            last_success_at=timezone.now(),
            rate_limited_until=None,
            poll_failures=0,
            last_error="; ".join(str(e) for e in result.errors)[:2000],
            last_error_at=timezone.now() if result.errors else None,
        )
    return result


def reclassify_left_unsent(channel: Channel) -> list[int]:
    """Resuming a sweep that stopped part-way: send the classify messages its stored pages may have lost.

    A page's classify messages go out just after its transaction commits; a worker killed between
    the two loses them, and the sweeper would find those items only after its 60 s threshold
    (issue 12: caught up within 60 s). Unclassified items this sweep stored are sent again now;
    classifying is idempotent, so one whose message was only queued is merely classified twice.
    """
    started = (channel.cursor or {}).get("sweep_started_at")
    if not started:
        return []
    ids = items_awaiting_classification(channel=channel, received_since=datetime.fromisoformat(started))
    for item_id in ids:
        enqueue_on_commit(item_classify, item_id)
    return ids


def _count_failure(channel_id: int, status: str) -> None:
    """One more failed poll in a row: the beat backs off (moderation/poll_intervals.py).

    A rate limit is not counted (the platform's retry-after decides), nor a rejected token
    (polling stops until a Lead reconnects).
    """
    if status in ("unavailable", "error"):
        Channel.objects.filter(pk=channel_id).update(poll_failures=F("poll_failures") + 1)


def _sweep(
    channel: Channel,
    adapter: ChannelAdapter,
    result: PollResult,
    *,
    max_pages: int | None,
    still_ours: Callable[[], bool] = lambda: True,
) -> None:
    cursor: dict[str, Any] = dict(channel.cursor or {})
    while max_pages is None or result.pages < max_pages:
        if not still_ours():
            result.message = "Another poll of this channel took its lock; stopping this one."
            return
        sweep_started = cursor.get("sweep_started_at") or timezone.now().isoformat()
        page = adapter.fetch_page(cursor=cursor.get("adapter", {}))
        # A finished sweep may hand on since-markers (X since_id, YouTube's high-water mark).
        carry = {"adapter": page.cursor} if page.cursor else {}
        next_cursor = carry if page.done else {"sweep_started_at": sweep_started, "adapter": page.cursor}
        with transaction.atomic():
            locked = Channel.objects.select_for_update().get(pk=channel.pk)
            if (locked.cursor or {}) != cursor:
                result.message = "Another poll of this channel moved the cursor; stopping this one."
                return
            now = timezone.now()
            ids = store_items(locked, page.items, result, now=now)
            missing = missing_from_listing(locked, page.completed_roots, since=sweep_started)
            result.skipped_entries += page.skipped
            result.errors += page.errors
            locked.cursor = next_cursor
            locked.rate_limit_state = adapter.usage or locked.rate_limit_state
            # A page stored: the database works again. A finished sweep read every part that
            # did not fail in it again. Either way their entries are cleared.
            failures = failures_cleared(locked.recent_failures, since=now, parts=("database",))
            if page.done:
                failures = failures_cleared(
                    failures, since=datetime.fromisoformat(sweep_started), parts=SWEEP_PARTS
                )
            locked.recent_failures = failures_recorded(failures, page.errors, now=now)
            locked.save(update_fields=["cursor", "rate_limit_state", "recent_failures", "updated_at"])
            for item_id in ids:
                enqueue_on_commit(item_classify, item_id)
        for error in page.errors:
            log.warning(
                "channel %s: %s of %s failed (%s) and was passed over",
                channel.pk,
                error.part,
                error.platform_id,
                error.error,
            )
        result.deleted += confirm_deleted(channel, adapter, missing[:MAX_DELETION_CHECKS])
        result.classify_ids += ids
        cursor = next_cursor
        result.pages += 1
        if page.done:
            return


def failures_recorded(recent: list[Any] | None, failures: list[SweepFailure], *, now: datetime) -> list[Any]:
    """The channel's recent sweep failures with these added: one entry per part, newest first.

    Structured, so the channel page and the Lead's failures page can show which post or listing
    failed, how, since when and how many times, instead of one line of text the next poll
    overwrites. A part that fails again updates its entry (count, error, time) rather than
    adding another; `failures_cleared` drops it once a later sweep reads it.
    """
    if not failures:
        return list(recent or [])
    older: dict[tuple[str, str], dict[str, Any]] = {}
    for entry in recent or []:
        if isinstance(entry, dict):
            older.setdefault(_failure_key(entry), entry)
    at = now.isoformat()
    added: dict[tuple[str, str], dict[str, Any]] = {}
    for f in failures:
        key = (f.part, f.platform_id)
        before = added.get(key) or older.pop(key, None)
        added[key] = {
            "at": at,
            "first_at": (before.get("first_at") or before.get("at") or at) if before else at,
            "count": int(before.get("count") or 1) + 1 if before else 1,
            "part": f.part,
            "platform_id": f.platform_id,
            "error": f.error,
            "message": f.message,
        }
    return [*added.values(), *older.values()][:RECENT_FAILURES_KEPT]


def failures_cleared(recent: list[Any] | None, *, since: datetime, parts: tuple[str, ...]) -> list[Any]:
    """`recent` without the entries of `parts` that have not failed since `since`.

    A finished sweep read every post and listing it did not record as failing: each of those
    entries last failed before the sweep began, so it has succeeded since and is cleared.
    """
    kept = []
    for entry in recent or []:
        if isinstance(entry, dict) and entry.get("part") in parts:
            try:
                last = datetime.fromisoformat(str(entry.get("at", "")))
            except ValueError:
                continue  # unreadable: the sweep that just finished supersedes it
            if last < since:
                continue
        kept.append(entry)
    return kept


def _failure_key(entry: dict[str, Any]) -> tuple[str, str]:
    return str(entry.get("part", "")), str(entry.get("platform_id", ""))


def _skip(result: PollResult, message: str) -> PollResult:
    result.status, result.message = "skipped", message
    return result


def missing_from_listing(channel: Channel, roots: list[str], *, since: str) -> list[str]:
    """Items under fully listed posts that the listing did not show: candidates for deletion."""
    if not roots:
        return []
    return list(
        Item.objects.filter(
            channel=channel,
            thread_root__platform_id__in=roots,
            deleted_on_platform_at__isnull=True,
            fetched_at__lt=datetime.fromisoformat(since),
        )
        .exclude(kind=KIND_POST)
        .values_list("platform_id", flat=True)
    )


def confirm_deleted(channel: Channel, adapter: ChannelAdapter, platform_ids: list[str]) -> int:
    """Read each candidate directly (outside any transaction); close only what the platform says is gone."""
    gone, seen = [], []
    for platform_id in platform_ids:
        try:
            adapter.get_item(platform_id=platform_id)
        except ChannelNotFound:
            gone.append(platform_id)
            continue
        except ChannelError as exc:  # cannot tell: leave it for the next sweep
            log.info(
                "channel %s: could not confirm %s deleted (%s)",
                channel.pk,
                platform_id,
                exc.__class__.__name__,
            )
            continue
        seen.append(platform_id)
    now = timezone.now()
    if seen:  # still there (e.g. hidden from the listing): not a candidate again this sweep
        Item.objects.filter(channel=channel, platform_id__in=seen).update(fetched_at=now)
    return Item.objects.filter(
        channel=channel, platform_id__in=gone, deleted_on_platform_at__isnull=True
    ).update(deleted_on_platform_at=now, visibility=Visibility.DELETED, updated_at=now)


def channels_poll_due(*, now: datetime | None = None) -> list[int]:
    """Enqueue a poll for each channel whose interval has passed; returns their ids."""
    from moderation.selectors import channels_due_for_poll
    from moderation.tasks import channel_poll as channel_poll_task

    due = [c.pk for c in channels_due_for_poll(now=now or timezone.now())]
    for channel_id in due:
        enqueue_on_commit(channel_poll_task, channel_id)
    return due
