"""Backfill: read a channel's history through its adapter, page by page, resumably (issue 12).

`manage.py backfill --channel HANDLE --days 30` calls `channel_backfill`. It runs a sweep of
the channel through the same adapter as polling, on its own cursor (a Backfill row), so the
regular polls carry on meanwhile. Each page is stored in one transaction together with the
checkpoint: a backfill stopped at any moment (Ctrl-C, a crash, an outage) resumes after the
last stored page, and storing is the same idempotent upsert as polling, so a page read twice,
or a whole backfill run twice, stores nothing twice. Only new or edited comments are classified.

Within the platform's limits: a rate-limit answer (or the adapter's own refusal before the
limit, e.g. Meta's usage headers at 90%, X's remaining calls at 0) is waited out for the
retry-after the platform gave (Meta's time to regain access, X's reset header, Retry-After),
then the same page is asked again. Other transient failures are retried with the poll back-off
a few times, then the backfill stops where it is, to be resumed.

How far back it reaches depends on the adapter: adapters that take `history_since` (Facebook,
Instagram, LinkedIn, YouTube) list everything started since the cut-off; X reads what its normal
first sweep reaches (recent search covers the last 7 days), and the command says so.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from moderation.channels import registry
from moderation.channels.base import ChannelError, ChannelRateLimited, ChannelUnavailable
from moderation.models import Backfill, Channel
from moderation.poll_intervals import backoff_seconds
from moderation.services.channels import channel_adapter
from moderation.services.ingest.items import Counts, store_items
from moderation.services.usage import usage_record
from moderation.tasks import enqueue_on_commit, item_classify

log = logging.getLogger(__name__)

MAX_TRANSIENT_ATTEMPTS = 5  # transient failures of one page in a row before stopping (resumable)
MAX_RATE_LIMIT_WAIT = 3600.0  # wait at most this long at once; longer waits stop, to be resumed


class BackfillStopped(Exception):
    """The backfill stopped before the end; its checkpoint is kept, so running it again resumes."""

    def __init__(self, message: str, backfill: Backfill) -> None:
        super().__init__(message)
        self.backfill = backfill


@dataclass
class BackfillEvent:
    """What the command's progress line shows after each page or wait."""

    backfill: Backfill
    waiting: float = 0.0  # seconds about to be slept, with the reason
    reason: str = ""


def backfill_reach(channel: Channel) -> str:
    """One sentence on how far back this channel's adapter can read."""
    if registry.adapter_accepts(channel.platform, "history_since", settings.MODERATION_CHANNELS):
        return "every post since the cut-off and all its comments"
    return (
        f"only what the {channel.get_platform_display()} adapter's normal first sweep reaches "
        "(docs/operations.md, Backfill)"
    )


def backfill_open(*, channel: Channel, days: int, restart: bool = False) -> tuple[Backfill, bool]:
    """The channel's unfinished backfill to resume, or a new one: (row, resumed)."""
    with transaction.atomic():
        Channel.objects.select_for_update().get(pk=channel.pk)  # one opener at a time
        current = Backfill.objects.filter(channel=channel, finished_at__isnull=True).first()
        if current is not None and restart:
            current.finished_at = timezone.now()
            current.last_error = "Abandoned by --restart."
            current.save(update_fields=["finished_at", "last_error", "updated_at"])
            current = None
        if current is not None:
            return current, True
        since = timezone.now() - timedelta(days=days)
        return Backfill.objects.create(channel=channel, days=days, since=since), False


def channel_backfill(
    *,
    backfill_id: int,
    sleep: Callable[[float], Any] | None = None,
    on_event: Callable[[BackfillEvent], None] = lambda event: None,
    max_pages: int | None = None,
) -> Backfill:
    """Run (or resume) a backfill to its end; raises BackfillStopped when it has to stop early."""
    backfill = Backfill.objects.select_related("channel").get(pk=backfill_id)
    channel = backfill.channel
    sleep = sleep or threading.Event().wait  # a command-line wait that Ctrl-C interrupts
    if backfill.finished_at is not None:
        return backfill
    options: dict[str, Any] = {}
    if registry.adapter_accepts(channel.platform, "history_since", settings.MODERATION_CHANNELS):
        options["history_since"] = backfill.since.timestamp()
    try:
        adapter = channel_adapter(channel, options=options)
    except ChannelError as exc:
        raise BackfillStopped(f"{channel} cannot be read: {exc}", _note_error(backfill, exc)) from exc
    calls_before, failures, pages = 0, 0, 0
    try:
        while max_pages is None or pages < max_pages:
            try:
                page = adapter.fetch_page(cursor=backfill.cursor)
            except ChannelRateLimited as exc:
                wait = max(1.0, float(exc.retry_after or 0))
                if wait > MAX_RATE_LIMIT_WAIT:
                    raise BackfillStopped(
                        f"{channel}: the platform asks to wait {wait / 3600:.1f} hours ({exc}). "
                        "Run the same command later to resume.",
                        _note_error(backfill, exc),
                    ) from exc
                on_event(BackfillEvent(backfill, waiting=wait, reason=f"rate limited: {exc}"))
                sleep(wait)
                backfill.waited_seconds += wait
                continue  # the same page again, now that the platform allows it
            except ChannelUnavailable as exc:
                failures += 1
                if failures >= MAX_TRANSIENT_ATTEMPTS:
                    raise BackfillStopped(
                        f"{channel}: {failures} failures in a row ({exc}). "
                        "Run the same command again to resume from the last stored page.",
                        _note_error(backfill, exc),
                    ) from exc
                wait = float(backoff_seconds(failures))
                on_event(BackfillEvent(backfill, waiting=wait, reason=f"platform error: {exc}"))
                sleep(wait)
                continue
            except ChannelError as exc:  # token refused, permission, a permanent error: a person must act
                raise BackfillStopped(f"{channel} stopped: {exc}", _note_error(backfill, exc)) from exc
            failures = 0
            backfill = _store_page(backfill, page, adapter.api_calls - calls_before)
            calls_before = adapter.api_calls
            pages += 1
            on_event(BackfillEvent(backfill))
            if backfill.finished_at is not None:
                break
    finally:
        usage_record(channel_id=channel.pk, adapter=adapter)  # X reads, YouTube units: budgets see them
    return backfill


def _store_page(backfill: Backfill, page: Any, calls: int) -> Backfill:
    """One page and the checkpoint, in one transaction (locks the channel row, as a poll page does)."""
    result = Counts()
    with transaction.atomic():
        channel = Channel.objects.select_for_update().get(pk=backfill.channel_id)
        ids = store_items(channel, page.items, result, now=timezone.now())
        row = Backfill.objects.select_for_update().get(pk=backfill.pk)
        row.cursor = {} if page.done else dict(page.cursor)
        row.pages += 1
        row.items_seen += len(page.items)
        row.items_new += result.total("new")
        row.api_calls += calls
        row.waited_seconds = backfill.waited_seconds
        row.last_error = "; ".join(page.errors)[:2000]
        if page.done:
            row.finished_at = timezone.now()
        row.save()
        for item_id in ids:
            enqueue_on_commit(item_classify, item_id)
    for error in page.errors:
        log.warning("backfill %s: part of the history failed and was passed over: %s", row.pk, error)
    return row


def _note_error(backfill: Backfill, error: Exception) -> Backfill:
    Backfill.objects.filter(pk=backfill.pk).update(
        last_error=str(error)[:2000], waited_seconds=backfill.waited_seconds
    )
    backfill.refresh_from_db()
    return backfill
