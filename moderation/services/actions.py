"""Outbound moderation actions: request (audited, de-duplicated) and execute (idempotent).

`action_request` writes a pending Action and enqueues `action_execute` after
commit. `action_execute` reads the row first, so a second run changes nothing.
Hide, unhide, delete, block and unblock are safe to repeat on the platforms;
reply is not, so it is committed as "sending" before the call. A retry that finds
"sending" (the worker died, or the platform timed out) reads the platform back: if
our reply is there it is confirmed, if not it is sent again, never twice. Platforms
that cannot be read back leave it "needs_check" for a person.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from moderation.channels import registry
from moderation.channels.base import (
    BLOCK,
    DELETE,
    HIDE,
    REPLY,
    ActionNotSupported,
    BlocksThroughAnItem,
    ChannelAdapter,
    ChannelAuthError,
    ChannelError,
    ChannelNotFound,
    ChannelPermissionError,
    ChannelRateLimited,
    ChannelUnavailable,
    ReadsBackReplies,
)
from moderation.errors import ActionNotAvailable, NotPermitted
from moderation.models import (
    OPEN_ACTION_STATUSES,
    Action,
    ActionStatus,
    Author,
    AuthorRestriction,
    Channel,
    Item,
    RestrictionKind,
    Visibility,
)
from moderation.services.audit import audit_record
from moderation.services.channels import channel_adapter, channel_record_error
from moderation.services.usage import usage_record
from moderation.tasks import action_execute as action_execute_task
from moderation.tasks import enqueue_on_commit

log = logging.getLogger(__name__)

PERMISSION = {
    "hide": "moderation.hide_item",
    "unhide": "moderation.hide_item",
    "delete": "moderation.remove_item",
    "reply": "moderation.reply_item",
    "block": "moderation.block_author",
    "unblock": "moderation.block_author",
}
CAPABILITY = {
    "hide": HIDE,
    "unhide": HIDE,
    "delete": DELETE,
    "reply": REPLY,
    "block": BLOCK,
    "unblock": BLOCK,
}
DONE_STATUSES = (ActionStatus.SENT, ActionStatus.CONFIRMED, ActionStatus.FAILED, ActionStatus.NEEDS_CHECK)
# Retries that end (docs/architecture.md §4): a platform that stays down or throttled gets
# ACTION_MAX_ATTEMPTS tries, 30 s, 1, 2 and 4 minutes apart; then the action is failed with the
# platform's reason, shown to officers and on the Lead's failures page, where it can be retried.
ACTION_MAX_ATTEMPTS = 5
ACTION_BACKOFF_SECONDS = 30.0
VISIBILITY_KINDS = ("hide", "unhide", "delete")
REPLY_LOCK_SECONDS = 45  # longer than one platform call's timeouts (PLATFORM_*_TIMEOUT)
# A task scheduled for a reset may run a little early (broker clocks); within this it goes ahead.
RESET_SLACK = timedelta(seconds=5)


def action_request(
    *,
    kind: str,
    actor: User | None,
    item_id: int | None = None,
    author_id: int | None = None,
    channel_id: int | None = None,
    payload: dict[str, Any] | None = None,
    idempotency_key: str | None = None,
) -> Action:
    """Create the pending platform action (or return the open one) and enqueue its execution."""
    if kind not in PERMISSION:
        raise ActionNotAvailable(
            f"'{kind}' is not a platform action.", hint=f"Use one of {', '.join(PERMISSION)}."
        )
    if actor is not None and not actor.has_perm(PERMISSION[kind]):
        raise NotPermitted(f"You may not {kind} on the platform.", hint=f"This needs {PERMISSION[kind]}.")
    if idempotency_key:
        existing = Action.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    item = Item.objects.select_related("channel", "author").get(pk=item_id) if item_id else None
    author = (
        Author.objects.get(pk=author_id)
        if author_id
        else (item.author if item and kind in ("block", "unblock") else None)
    )
    channel = item.channel if item else Channel.objects.get(pk=channel_id) if channel_id else None
    if channel is None or (item is None and author is None):
        raise ActionNotAvailable(f"A {kind} needs an item, or an author and a channel.", hint="Pass item_id.")
    if kind in ("block", "unblock") and author is None:
        raise ActionNotAvailable(
            f"Item {item_id} has no known author to {kind}.", hint="Hide the item instead."
        )
    if CAPABILITY[kind] not in registry.capabilities(channel.platform, settings.MODERATION_CHANNELS):
        # The adapter's own words where it has them: X cannot delete someone else's post even in
        # its app, so "do it in the app" alone would send the officer looking for a missing button.
        note = registry.refusal_note(channel.platform, settings.MODERATION_CHANNELS, kind)
        raise ActionNotAvailable(
            note or f"{channel.get_platform_display()} has no API to {kind}.",
            hint="Report it in the platform's own app if it breaks the rules (Report has its link), "
            "then record it with a note."
            if kind in ("hide", "delete", "block")
            else "Do it in the platform's own app, then record it with a note.",
        )
    if item is not None:
        _refuse_if_gone(item, kind, channel)
    if kind == "unblock" and (
        note := registry.refusal_note(channel.platform, settings.MODERATION_CHANNELS, kind)
    ):
        # e.g. YouTube bans through the API but has no call to lift a ban: say where to do it.
        raise ActionNotAvailable(note, hint="Lift it in the platform's own app, then record it with a note.")
    if (
        item is not None
        and kind not in ("block", "unblock")
        and CAPABILITY[kind]
        not in registry.capabilities(
            channel.platform,
            settings.MODERATION_CHANNELS,
            item_kind=item.kind,
            item_raw=item.raw,
            account_id=channel.account_id,
        )
    ):
        note = registry.refusal_note(channel.platform, settings.MODERATION_CHANNELS, kind)
        replying = kind == "reply"  # the offline alternative to a refused reply is replying there
        raise ActionNotAvailable(
            f"{channel.get_platform_display()} cannot {'reply to' if replying else kind} a "
            f"{item.get_kind_display().lower()}"
            + (": it is on someone else's post or media." if item.kind == "mention" and not note else ".")
            + (f" {note}" if note else ""),
            hint="Reply in the platform's own app, then record it with a note."
            if replying
            else "Report it in the platform's own app if it breaks the rules, then record it with a note.",
        )
    payload = dict(payload or {})
    if kind == "reply" and not str(payload.get("text", "")).strip():
        raise ActionNotAvailable("A reply needs text.", hint="Pass payload={'text': ...}.")
    target_item = item if kind not in ("block", "unblock") else None
    key = (
        idempotency_key
        or f"{kind}:{channel.pk}:{item.pk if item else 'author-' + str(author.pk if author else '')}:{uuid.uuid4().hex}"
    )
    with transaction.atomic():
        open_action = _open_action(kind=kind, item=target_item, author=author, channel=channel)
        if open_action is not None:
            return open_action  # a double click collapses into one action
        try:
            with transaction.atomic():
                action = Action.objects.create(
                    item=target_item or item,
                    author=author,
                    channel=channel,
                    kind=kind,
                    requested_by=actor,
                    idempotency_key=key,
                    payload=payload,
                )
        except IntegrityError:
            raced = _open_action(kind=kind, item=target_item, author=author, channel=channel) or (
                Action.objects.filter(idempotency_key=key).first()
            )
            if raced is None:
                raise
            return raced
        audit_record(
            actor=actor,
            verb="action.requested",
            target=action,
            item=item,
            after={"kind": kind, "status": action.status},
            detail={"payload_keys": sorted(payload)},
        )
        enqueue_on_commit(action_execute_task, action.pk)
    return action


# What an item deleted on the platform can no longer take: there is nothing left to act on.
NEEDS_LIVE_ITEM = frozenset({"hide", "unhide", "delete", "reply"})


def _acts_through_item(kind: str, channel: Channel) -> bool:
    """Whether the platform call names the item (a YouTube ban rejects one of the author's comments)."""
    return kind in NEEDS_LIVE_ITEM or (
        kind == "block" and registry.block_needs_item(channel.platform, settings.MODERATION_CHANNELS)
    )


def _refuse_if_gone(item: Item, kind: str, channel: Channel) -> None:
    """Refuse up front what needs an item already deleted on the platform (by its author, the
    platform or us), instead of sending a call that can only answer "not found"."""
    if item.visibility != Visibility.DELETED or not _acts_through_item(kind, channel):
        return
    banning = kind == "block"
    raise ActionNotAvailable(
        f"This {item.get_kind_display().lower()} is already deleted on {channel.get_platform_display()}: "
        f"there is nothing left to {'ban its author through' if banning else kind}.",
        hint="Close it with a note or dismiss it"
        + (
            "; to ban the author, act on another of their comments or in the platform's own app."
            if banning
            else "."
        ),
    )


def _open_action(*, kind: str, item: Item | None, author: Author | None, channel: Channel) -> Action | None:
    query = Action.objects.filter(kind=kind, status__in=OPEN_ACTION_STATUSES, channel=channel)
    query = query.filter(item=item) if item is not None else query.filter(author=author)
    return query.order_by("id").first()


def action_execute(*, action_id: int) -> Action:
    """Send one action to the platform. Safe to run any number of times."""
    with transaction.atomic():
        action = (
            Action.objects.select_for_update(of=("self",))
            .select_related("channel", "item", "author")
            .get(pk=action_id)
        )
        if action.status in DONE_STATUSES:
            return action
        if action.next_attempt_at is not None and action.next_attempt_at > timezone.now() + RESET_SLACK:
            return action  # waiting for a budget's reset: an early redelivery sends nothing
        # A reply left "sending": the last attempt may have posted it before its worker died or
        # the platform timed out. Read the platform back first; send again only if it is not there.
        # A hide, unhide or delete retried after an earlier attempt is read back too, so an
        # officer's hide reaches the platform once even when the worker dies mid-send.
        read_back = (action.status == ActionStatus.SENDING and action.kind == "reply") or (
            action.attempts > 0 and action.kind in VISIBILITY_KINDS
        )
        action.attempts += 1
        if action.kind == "reply":
            action.status = ActionStatus.SENDING  # committed before the non-idempotent call
        action.save(update_fields=["status", "attempts", "updated_at"])
    channel = action.channel
    # One sender per reply at a time across workers, so two redeliveries cannot both read
    # "not there" and both post. Short, so a killed worker's lock is gone before the sweep retries.
    lock = f"reply-send:{action.pk}"
    if action.kind == "reply" and not cache.add(lock, 1, timeout=REPLY_LOCK_SECONDS):
        return action
    try:
        adapter = channel_adapter(channel)
        if read_back:
            found = _read_back(adapter, action)
            if found is not None:
                return _finish(action, ActionStatus.SENT, response={"id": found, "read_back": True})
            if action.kind == "reply" and not isinstance(adapter, ReadsBackReplies):
                return _finish(
                    action,
                    ActionStatus.NEEDS_CHECK,
                    error="A previous attempt was interrupted after sending and this platform cannot be "
                    "read back; check it before retrying.",
                )
        try:
            response = _call(adapter, action)
        finally:
            usage_record(channel_id=channel.pk, adapter=adapter)  # quota is spent even on a refusal
    except (ChannelRateLimited, ChannelUnavailable) as exc:
        # Throttled means refused before sending, so even a reply is safe to try again;
        # unavailable may have posted a reply, which stays "sending" so the retry checks.
        throttled = isinstance(exc, ChannelRateLimited)
        if isinstance(exc, ChannelRateLimited):
            channel_record_error(channel_id=channel.pk, error=exc)
            if exc.waits_for_reset:
                _wait_for_reset(action, exc)
                return Action.objects.get(pk=action.pk)
        if action.attempts >= ACTION_MAX_ATTEMPTS:
            return _give_up(action, exc, maybe_sent=action.kind == "reply" and not throttled)
        delay = ACTION_BACKOFF_SECONDS * 2 ** (action.attempts - 1)
        if isinstance(exc, ChannelRateLimited):
            delay = max(delay, exc.retry_after)
        _retry_later(action, str(exc), reset_sending=throttled, countdown=delay)
        return Action.objects.get(pk=action.pk)
    except ChannelNotFound as exc:
        return _gone(action, exc)
    except (ChannelAuthError, ChannelPermissionError) as exc:
        channel_record_error(channel_id=channel.pk, error=exc)
        return _finish(action, ActionStatus.FAILED, error=str(exc))
    except (ActionNotSupported, ChannelError) as exc:
        return _finish(action, ActionStatus.FAILED, error=str(exc))
    finally:
        if action.kind == "reply":
            cache.delete(lock)
    return _finish(action, ActionStatus.SENT, response=response)


def _gone(action: Action, exc: ChannelNotFound) -> Action:
    """The platform says what the action names no longer exists: a final state, never a retry.

    X and YouTube polls read only what is new, so a deletion there is often first seen here. The
    item is marked deleted, so no control offers to act on it again (`_refuse_if_gone`); a delete
    has then reached its goal and counts as sent, as Facebook's "already deleted" answer does."""
    platform = action.channel.get_platform_display()
    if action.item is None or not _acts_through_item(action.kind, action.channel):
        return _finish(
            action, ActionStatus.FAILED, error=f"The account no longer exists on {platform}: {exc}"
        )
    now = timezone.now()
    Item.objects.filter(pk=action.item.pk, deleted_on_platform_at__isnull=True).update(
        visibility=Visibility.DELETED, deleted_on_platform_at=now, updated_at=now
    )
    if action.kind == "delete":
        return _finish(action, ActionStatus.SENT, response={"already_deleted": True})
    return _finish(
        action,
        ActionStatus.FAILED,
        error=f"Already deleted on {platform} (by its author or the platform): nothing left to "
        f"{'ban the author through' if action.kind == 'block' else action.kind}. {platform} said: {exc}",
    )


def _wait_for_reset(action: Action, exc: ChannelRateLimited) -> None:
    """A spent budget (YouTube's daily quota) refused the action before sending it: schedule it
    at the reset without counting the attempt, so waiting for tomorrow never fails it."""
    due = timezone.now() + timedelta(seconds=exc.retry_after)
    with transaction.atomic():
        Action.objects.filter(pk=action.pk).update(
            status=ActionStatus.PENDING,
            attempts=max(0, action.attempts - 1),
            next_attempt_at=due,
            error=str(exc)[:2000],
            updated_at=timezone.now(),
        )
        enqueue_on_commit(action_execute_task, action.pk, countdown=exc.retry_after)


def _read_back(adapter: ChannelAdapter, action: Action) -> str | None:
    """Evidence that an earlier attempt already did this on the platform, or None.

    For a reply, its platform id (adapters that can find it); for hide, unhide and delete,
    the item read back in the state the action wanted.
    """
    if action.item is None:
        return None
    if action.kind in VISIBILITY_KINDS:
        try:
            remote = adapter.get_item(platform_id=action.item.platform_id)
        except ChannelNotFound:
            return action.item.platform_id if action.kind == "delete" else None
        done = {"hide": remote.hidden, "unhide": not remote.hidden, "delete": False}[action.kind]
        return action.item.platform_id if done else None
    if not isinstance(adapter, ReadsBackReplies):
        return None
    since = action.created_at - timedelta(minutes=1)  # not an older reply with the same words
    found: str | None = adapter.find_reply(
        platform_id=action.item.platform_id,
        text=str(action.payload["text"]),
        since=since,
        kind=action.item.kind,  # where the reply went (Instagram: /replies, or /comments on media)
    )
    return found


def _give_up(action: Action, exc: Exception, *, maybe_sent: bool) -> Action:
    reason = f"Gave up after {action.attempts} attempts; the platform said: {exc}"
    if maybe_sent:  # the last attempt may have posted the reply: a person checks before retrying
        return _finish(action, ActionStatus.NEEDS_CHECK, error=reason)
    return _finish(action, ActionStatus.FAILED, error=reason)


def action_fail(*, action_id: int, error: str) -> Action:
    """Close an action that can no longer be sent (e.g. its last attempt was lost with its worker)."""
    action = Action.objects.get(pk=action_id)
    if action.status in DONE_STATUSES:
        return action
    return _finish(action, ActionStatus.FAILED, error=error)


def action_retry(*, action_id: int, actor: User | None) -> Action:
    """A Lead sends a failed (or needs-check) action again, with a fresh attempt count."""
    if actor is not None and not actor.has_perm("moderation.manage_channels"):
        raise NotPermitted("Only a Lead can retry failed platform actions.", hint="Ask a Lead.")
    with transaction.atomic():
        action = Action.objects.select_for_update(of=("self",)).select_related("item").get(pk=action_id)
        if action.status not in (ActionStatus.FAILED, ActionStatus.NEEDS_CHECK):
            raise ActionNotAvailable(
                f"Action {action.pk} is {action.get_status_display().lower()}, not failed.",
                hint="Only failed actions can be retried.",
            )
        before = {"status": action.status, "attempts": action.attempts, "error": action.error[:300]}
        action.status, action.attempts, action.error, action.completed_at = ActionStatus.PENDING, 0, "", None
        action.next_attempt_at = None
        try:
            with transaction.atomic():
                action.save(
                    update_fields=[
                        "status",
                        "attempts",
                        "error",
                        "completed_at",
                        "next_attempt_at",
                        "updated_at",
                    ]
                )
        except IntegrityError as exc:
            raise ActionNotAvailable(
                f"Another {action.kind} of this item is already on its way.", hint="Wait for it to finish."
            ) from exc
        audit_record(
            actor=actor,
            verb="action.retried",
            target=action,
            item=action.item,
            before=before,
            after={"status": action.status},
        )
        enqueue_on_commit(action_execute_task, action.pk)
    return action


def _call(adapter: ChannelAdapter, action: Action) -> dict[str, Any]:
    item, kind = action.item, action.kind
    if kind in ("block", "unblock"):
        assert action.author is not None  # noqa: S101 - action_has_target and action_request guarantee it
        author_id = action.author.platform_user_id
        if kind == "unblock":
            adapter.unblock(author_id=author_id)
        elif item is not None and isinstance(adapter, BlocksThroughAnItem) and adapter.block_needs_item:
            adapter.block(author_id=author_id, platform_id=item.platform_id)
        else:
            adapter.block(author_id=author_id)
        return {"success": True}
    assert item is not None  # noqa: S101 - item actions always carry their item
    if kind == "reply":
        reply_id = adapter.reply(
            platform_id=item.platform_id, text=str(action.payload["text"]), kind=item.kind
        )
        return {"id": reply_id}
    {"hide": adapter.hide, "unhide": adapter.unhide, "delete": adapter.delete}[kind](
        platform_id=item.platform_id
    )
    return {"success": True}


def _retry_later(action: Action, error: str, *, reset_sending: bool, countdown: float) -> None:
    updates: dict[str, Any] = {"error": error[:2000], "updated_at": timezone.now()}
    if reset_sending:
        updates["status"] = ActionStatus.PENDING
    with transaction.atomic():
        Action.objects.filter(pk=action.pk).update(**updates)
        enqueue_on_commit(action_execute_task, action.pk, countdown=countdown)


def _finish(
    action: Action, status: str, *, response: dict[str, Any] | None = None, error: str = ""
) -> Action:
    now = timezone.now()
    with transaction.atomic():
        action = (
            Action.objects.select_for_update(of=("self",))
            .select_related("item", "author", "channel")
            .get(pk=action.pk)
        )
        action.status = status
        action.platform_response = response or {}
        action.error = error[:2000]
        action.completed_at = now
        action.next_attempt_at = None
        action.save(
            update_fields=[
                "status",
                "platform_response",
                "error",
                "completed_at",
                "next_attempt_at",
                "updated_at",
            ]
        )
        if status == ActionStatus.SENT:
            _apply_locally(action, now)
        _audit(action, "action.sent" if status == ActionStatus.SENT else "action.failed")
        # Imported here: the queue services request actions through this module.
        from moderation.services.queue import item_action_settled

        item_action_settled(action=action)  # confirmed resolves the item; failed re-queues it
    return action


def _apply_locally(action: Action, now: Any) -> None:
    item = action.item
    if item is not None and action.kind in ("hide", "unhide", "delete"):
        item.visibility = {
            "hide": Visibility.HIDDEN,
            "unhide": Visibility.VISIBLE,
            "delete": Visibility.DELETED,
        }[action.kind]
        fields = ["visibility", "updated_at"]
        if action.kind == "delete":
            item.deleted_on_platform_at = now
            fields.append("deleted_on_platform_at")
        item.save(update_fields=fields)
    if action.author is not None and action.kind == "block":
        # What a block is on this platform (a Facebook Page ban, ...) is the adapter's to say.
        adapter = registry.adapter_class(action.channel.platform, settings.MODERATION_CHANNELS)
        kind = RestrictionKind(adapter.block_restriction)
        AuthorRestriction.objects.get_or_create(
            author=action.author,
            channel=action.channel,
            kind=kind,
            lifted_at=None,
            defaults={"created_by": action.requested_by},
        )
    if action.author is not None and action.kind == "unblock":
        AuthorRestriction.objects.filter(author=action.author, channel=action.channel, lifted_at=None).update(
            lifted_at=now
        )


def _audit(action: Action, verb: str) -> None:
    audit_record(
        actor=action.requested_by,
        verb=verb,
        target=action,
        item=action.item,
        after={"kind": action.kind, "status": action.status},
        detail={"attempts": action.attempts, "error": action.error[:300]},
    )
