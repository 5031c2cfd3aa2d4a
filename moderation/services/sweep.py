"""The sweeper (docs/architecture.md §2, §4): the row is the truth and a message only a nudge.

A message lost between commit and enqueue (a worker killed, a broker restart)
leaves a row unclassified, an action pending or a webhook event unprocessed; the
sweeper enqueues it again. The tasks are idempotent, so a row that was only slow
is harmless to re-send. Retries end: rows at their attempt cap are left alone
(and a pending one that reached the cap, its last attempt lost, is marked failed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from moderation.models import (
    Action,
    ActionStatus,
    Channel,
    ChannelHealth,
    WebhookEvent,
    WebhookEventStatus,
)
from moderation.selectors import items_awaiting_classification
from moderation.services.actions import ACTION_BACKOFF_SECONDS, ACTION_MAX_ATTEMPTS, action_fail
from moderation.services.ingest.webhooks import WEBHOOK_MAX_ATTEMPTS
from moderation.tasks import action_execute, channel_poll, enqueue_on_commit, item_classify, webhook_process

# Issue 12: after any single fault the queue catches up within 60 s of the platform being
# reachable again, so the sweep runs every 30 s (moderation/schedule.py) and takes a row
# as stuck 60 s after its last change, or once its own backoff has passed if that is later.
# Every query is bounded (BATCH) and the tasks are idempotent, so a slow row re-sent is harmless.
STUCK_AFTER = timedelta(seconds=60)
BATCH = 500
LOST = "The worker stopped during the last allowed attempt; retry it from the failures page."


@dataclass(frozen=True, slots=True)
class SweepResult:
    items: list[int]
    actions: list[int]
    webhooks: list[int] = field(default_factory=list)
    gave_up: int = 0
    polls: list[int] = field(default_factory=list)


def items_sweep(*, stuck_after: timedelta = STUCK_AFTER) -> SweepResult:
    now = timezone.now()
    cutoff = now - stuck_after
    items = items_awaiting_classification(received_before=cutoff, limit=BATCH)
    # An action waiting for a budget's reset (next_attempt_at) is left to its scheduled task until then.
    stuck_actions = Action.objects.filter(status=ActionStatus.PENDING, updated_at__lt=cutoff).exclude(
        next_attempt_at__gt=now
    )
    # A reply left "sending" (its worker died, or the platform timed out) is sent again by
    # action_execute only after it reads the platform back and finds the reply is not there.
    in_flight = Action.objects.filter(status=ActionStatus.SENDING, updated_at__lt=cutoff)
    actions = [
        pk
        for pk, attempts, updated in (stuck_actions | in_flight)
        .filter(attempts__lt=ACTION_MAX_ATTEMPTS)
        .order_by("updated_at")
        .values_list("id", "attempts", "updated_at")[:BATCH]
        if updated + _action_backoff(attempts) < now  # leave a scheduled retry to its countdown
    ]
    stuck_events = WebhookEvent.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lt=now - stuck_after),
        status=WebhookEventStatus.PENDING,
        updated_at__lt=cutoff,
    )
    webhooks = list(
        stuck_events.filter(attempts__lt=WEBHOOK_MAX_ATTEMPTS)
        .order_by("received_at")
        .values_list("id", flat=True)[:BATCH]
    )
    capped = list(
        stuck_actions.filter(attempts__gte=ACTION_MAX_ATTEMPTS).values_list("id", flat=True)[:BATCH]
    )
    for action_id in capped:
        action_fail(action_id=action_id, error=LOST)  # audited; the item goes back to the queue
    gave_up = len(capped)
    gave_up += stuck_events.filter(attempts__gte=WEBHOOK_MAX_ATTEMPTS).update(
        status=WebhookEventStatus.FAILED, error=LOST, processed_at=now, updated_at=now
    )
    for item_id in items:
        enqueue_on_commit(item_classify, item_id)
    for action_id in actions:
        enqueue_on_commit(action_execute, action_id)
    for event_id in webhooks:
        enqueue_on_commit(webhook_process, event_id)
    polls = channels_mid_sweep(cutoff=cutoff, now=now)
    for channel_id in polls:
        enqueue_on_commit(channel_poll, channel_id)
    return SweepResult(items=items, actions=actions, webhooks=webhooks, gave_up=gave_up, polls=polls)


def _action_backoff(attempts: int) -> timedelta:
    return timedelta(seconds=ACTION_BACKOFF_SECONDS * 2 ** max(0, attempts - 1)) if attempts else timedelta(0)


def channels_mid_sweep(*, cutoff: datetime, now: datetime) -> list[int]:
    """Channels whose sweep stopped part-way (a killed worker loses its poll message): resume them."""
    channels = Channel.objects.filter(enabled=True, last_polled_at__lt=cutoff).exclude(credentials="")
    return [
        c.pk
        for c in channels.exclude(health=ChannelHealth.NEEDS_RECONNECT).order_by("pk")
        if "sweep_started_at" in (c.cursor or {})
        and not (c.rate_limited_until and c.rate_limited_until > now)
    ]
