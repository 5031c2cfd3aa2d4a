"""Webhooks: store the signed raw event at once, process it later in a task (docs/architecture.md).

`webhook_receive` runs in the request: it only stores the body (a redelivery of
the same bytes finds the same row) and enqueues `webhook_process`. The task
parses the body with the platform's handler, reads what mention events only
name (HTTP, so outside any transaction), and stores the items idempotently.
When a read fails for a reason that may pass, the event is retried with
exponential backoff up to WEBHOOK_MAX_ATTEMPTS; after that it is marked failed
(shown on the Lead's failures page) and what the event itself carried is stored.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass, field, replace
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from moderation.channels import registry
from moderation.channels.base import (
    ChannelAuthError,
    ChannelError,
    ChannelNotFound,
    ChannelPermissionError,
    ChannelRateLimited,
    ChannelUnavailable,
    WebhookChange,
    WebhookPayloadError,
)
from moderation.errors import ActionNotAvailable, NotPermitted
from moderation.models import Channel, ChannelHealth, Item, Visibility, WebhookEvent, WebhookEventStatus
from moderation.services.channels import channel_adapter, channel_record_error
from moderation.services.ingest.items import Counts, store_items
from moderation.services.ingest.ordering import changes_in_order
from moderation.services.ingest.polling import (
    CONNECTION_LOST,
    channel_record_database_failure,
    failures_cleared,
)
from moderation.tasks import enqueue_on_commit, item_classify
from moderation.tasks import webhook_process as webhook_process_task

log = logging.getLogger(__name__)

WEBHOOK_MAX_ATTEMPTS = 5
WEBHOOK_BACKOFF_SECONDS = 30  # 30 s, 60 s, 2 min, 4 min between attempts


@dataclass
class WebhookResult:
    changes: int = 0
    stored: int = 0
    deleted: int = 0
    ignored: int = 0
    fetched: int = 0  # mentions read from the platform because the event only named them
    failed: int = 0  # mentions that could not be read for a reason a later attempt may fix
    stale: int = 0  # older than what the item already shows: ignored
    tombstoned: int = 0  # for an item already removed: ignored, so it is never brought back
    classify_ids: list[int] = field(default_factory=list)


def decode_body(body: bytes) -> Any:
    """The JSON in a webhook body; WebhookPayloadError for anything JSON-ish but hostile.

    Rejects NaN/Infinity (not JSON, though Python accepts them) and nesting deep
    enough to exhaust the parser's recursion.
    """

    def no_constants(name: str) -> Any:
        raise WebhookPayloadError(f"The body contains {name}, which is not JSON.", code="bad_json")

    try:
        return json.loads(body, parse_constant=no_constants)
    except RecursionError as exc:
        raise WebhookPayloadError("The body is nested too deeply.", code="too_deep") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise WebhookPayloadError("The body is not valid JSON.", code="bad_json") from exc


def webhook_receive(*, platform: str, body: bytes) -> WebhookEvent:
    """Store one verified webhook body (once per distinct body) and enqueue its processing."""
    digest = hashlib.sha256(body).hexdigest()
    now = timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                event = WebhookEvent.objects.create(
                    platform=platform,
                    body=body.decode("utf-8", errors="replace"),
                    digest=digest,
                    received_at=now,
                )
        except IntegrityError:
            # A redelivery: the first copy is (being) processed already.
            WebhookEvent.objects.filter(platform=platform, digest=digest).update(
                deliveries=F("deliveries") + 1
            )
            return WebhookEvent.objects.get(platform=platform, digest=digest)
        enqueue_on_commit(webhook_process_task, event.pk)
    return event


def webhook_process(*, event_id: int) -> WebhookEvent:
    """Parse and ingest one stored event. Safe to run again: storing is idempotent."""
    event = WebhookEvent.objects.get(pk=event_id)
    if event.status != WebhookEventStatus.PENDING:
        return event
    event.attempts += 1
    # Counted before the work, so an attempt that crashes still counts towards the cap.
    WebhookEvent.objects.filter(pk=event.pk).update(attempts=event.attempts)
    final = event.attempts >= WEBHOOK_MAX_ATTEMPTS
    try:
        handler = registry.webhook_for(event.platform, settings.MODERATION_CHANNELS)
        changes = handler.parse(payload=decode_body(event.body.encode("utf-8")))
    except (WebhookPayloadError, ChannelError) as exc:
        return _finish(event, WebhookEventStatus.FAILED, error=str(exc))
    result = webhook_ingest(platform=event.platform, changes=changes, final=final)
    if result.failed and not final:
        delay = WEBHOOK_BACKOFF_SECONDS * 2 ** (event.attempts - 1)
        event.next_attempt_at = timezone.now() + timedelta(seconds=delay)
        event.result, event.error = asdict(result), f"{result.failed} mention(s) could not be read yet."
        event.save(update_fields=["attempts", "next_attempt_at", "result", "error", "updated_at"])
        enqueue_on_commit(webhook_process_task, event.pk, countdown=delay)
        return event
    if result.failed:
        return _finish(
            event,
            WebhookEventStatus.FAILED,
            result=result,
            error=f"{result.failed} mention(s) could not be read after {event.attempts} attempts; "
            "stored what the event carried.",
        )
    return _finish(event, WebhookEventStatus.DONE, result=result)


def webhook_retry(*, event_id: int, actor: User | None) -> WebhookEvent:
    """A Lead asks for a failed event to be processed again from the start."""
    if actor is not None and not actor.has_perm("moderation.manage_channels"):
        raise NotPermitted("Only a Lead can retry what failed.", hint="Ask a Lead.")
    with transaction.atomic():
        event = WebhookEvent.objects.select_for_update().get(pk=event_id)
        if event.status != WebhookEventStatus.FAILED:
            raise ActionNotAvailable(f"Webhook event {event.pk} has not failed.", hint="Nothing to retry.")
        event.status, event.attempts, event.error, event.next_attempt_at = (
            WebhookEventStatus.PENDING,
            0,
            "",
            None,
        )
        event.save(update_fields=["status", "attempts", "error", "next_attempt_at", "updated_at"])
        enqueue_on_commit(webhook_process_task, event.pk)
    return event


def _finish(
    event: WebhookEvent, status: str, *, result: WebhookResult | None = None, error: str = ""
) -> WebhookEvent:
    event.status = status
    event.processed_at = timezone.now()
    event.next_attempt_at = None
    event.result = asdict(result) if result else {}
    event.error = error[:2000]
    event.save(
        update_fields=[
            "status",
            "attempts",
            "processed_at",
            "next_attempt_at",
            "result",
            "error",
            "updated_at",
        ]
    )
    if status == WebhookEventStatus.FAILED:
        log.warning("%s webhook event %s failed: %s", event.platform, event.pk, error[:200])
    return event


def _fetch_mentions(
    channel: Channel, group: list[WebhookChange], out: WebhookResult, *, final: bool
) -> list[WebhookChange]:
    """Read the objects that mention events only name. HTTP here, so never inside a transaction.

    An unread mention keeps item=None (not stored) unless the event carried its text
    and this is the last attempt (or a retry cannot help): then the carried item is stored.
    """
    wanted = [
        c for c in group if c.mention_ref is not None and c.item is None and c.verb in ("add", "edited")
    ]
    if not wanted:
        return group
    unusable = channel.health == ChannelHealth.NEEDS_RECONNECT or not channel.credentials
    fetched: dict[int, WebhookChange] = {}
    transient = False
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
                fetched[id(change)] = change  # nothing to store
                out.ignored += 1
                continue
            fetched[id(change)] = replace(change, item=item)
            out.fetched += 1
    except (ChannelUnavailable, ChannelRateLimited) as exc:
        transient = True
        channel_record_error(channel_id=channel.pk, error=exc)
        log.warning("mentions for channel %s not read: %s", channel.pk, exc.__class__.__name__)
    except (ChannelAuthError, ChannelPermissionError) as exc:
        if not unusable:
            channel_record_error(channel_id=channel.pk, error=exc)
        log.warning("mentions for channel %s not read: needs reconnecting", channel.pk)
    except ChannelError as exc:  # permanent: another attempt would fail the same way
        log.warning("mentions for channel %s not read: %s", channel.pk, exc.__class__.__name__)
    wanted_ids = {id(c) for c in wanted}
    out_group = []
    for change in group:
        if id(change) in wanted_ids and id(change) not in fetched:
            if transient:
                out.failed += 1  # retried while attempts remain; then the event is marked failed
            if transient and not final:
                pass  # store nothing yet: a later attempt may read it in full
            elif change.carried is not None:
                change = replace(change, item=change.carried)  # keep what the event carried
            else:
                out.ignored += 1
        out_group.append(fetched.get(id(change), change))
    return out_group


def webhook_ingest(*, platform: str, changes: list[WebhookChange], final: bool = True) -> WebhookResult:
    """Store webhook changes idempotently: the same event twice stores one row and classifies once."""
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
        if not channel.is_connected:
            # Disconnected: a Lead told us to stop reading it, but a login shared with another
            # channel is not revoked, so the platform keeps sending its events.
            out.ignored += len(group)
            log.info("webhook for disconnected %s channel %s ignored", platform, channel.pk)
            continue
        group = _fetch_mentions(channel, group, out, final=final)
        try:
            _store_changes(channel, group, out)
        except CONNECTION_LOST as exc:
            channel_record_database_failure(
                channel_id=channel.pk,
                part="webhook",
                exc=exc,
                message="while a webhook delivery was being stored; it was rolled back whole and is "
                "processed again (the sweeper re-sends it).",
            )
            raise
    return out


def _store_changes(channel: Channel, group: list[WebhookChange], out: WebhookResult) -> None:
    """One account's changes in one transaction, in the platform's event order."""
    now = timezone.now()
    with transaction.atomic():
        ordered = changes_in_order(channel=channel, changes=group, now=now)
        out.stale += ordered.stale
        out.tombstoned += ordered.tombstoned
        group = ordered.changes
        items = [c.item for c in group if c.item is not None and c.verb in ("add", "edited")]
        ids = store_items(channel, items, Counts(), now=now)
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
            enqueue_on_commit(item_classify, item_id)
        if any(f.get("part") == "webhook" for f in channel.recent_failures or [] if isinstance(f, dict)):
            # A delivery stored: an earlier one the database failed to store is no longer news.
            locked = Channel.objects.select_for_update().get(pk=channel.pk)
            locked.recent_failures = failures_cleared(locked.recent_failures, since=now, parts=("webhook",))
            locked.save(update_fields=["recent_failures", "updated_at"])
    out.classify_ids += ids
