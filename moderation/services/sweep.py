"""The sweeper (docs/architecture.md §2, §4): the row is the truth and a message only a nudge.

A message lost between commit and enqueue (a worker killed, a broker restart)
leaves a row unclassified, an action pending or a webhook event unprocessed; the
sweeper enqueues it again. The tasks are idempotent, so a row that was only slow
is harmless to re-send. Retries end: rows at their attempt cap are left alone
(and a pending one that reached the cap, its last attempt lost, is marked failed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from moderation.models import Action, ActionStatus, Item, WebhookEvent, WebhookEventStatus
from moderation.services.actions import ACTION_MAX_ATTEMPTS, action_fail
from moderation.services.failures import CLASSIFY_MAX_ATTEMPTS
from moderation.services.ingest.webhooks import WEBHOOK_MAX_ATTEMPTS
from moderation.tasks import action_execute, enqueue_on_commit, item_classify, webhook_process

STUCK_AFTER = timedelta(minutes=5)
BATCH = 500
LOST = "The worker stopped during the last allowed attempt; retry it from the failures page."


@dataclass(frozen=True, slots=True)
class SweepResult:
    items: list[int]
    actions: list[int]
    webhooks: list[int] = field(default_factory=list)
    gave_up: int = 0


def items_sweep(*, stuck_after: timedelta = STUCK_AFTER) -> SweepResult:
    now = timezone.now()
    cutoff = now - stuck_after
    items = list(
        Item.objects.filter(
            classified_at__isnull=True, received_at__lt=cutoff, classify_attempts__lt=CLASSIFY_MAX_ATTEMPTS
        )
        .exclude(kind="post")
        .order_by("received_at")
        .values_list("id", flat=True)[:BATCH]
    )
    stuck_actions = Action.objects.filter(status=ActionStatus.PENDING, updated_at__lt=cutoff)
    actions = list(
        stuck_actions.filter(attempts__lt=ACTION_MAX_ATTEMPTS)
        .order_by("updated_at")
        .values_list("id", flat=True)[:BATCH]
    )
    stuck_events = WebhookEvent.objects.filter(status=WebhookEventStatus.PENDING, updated_at__lt=cutoff)
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
    return SweepResult(items=items, actions=actions, webhooks=webhooks, gave_up=gave_up)
