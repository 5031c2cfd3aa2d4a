"""The sweeper (docs/architecture.md): the row is the truth and a message only a nudge.

A message lost between commit and enqueue (a worker killed, a broker restart)
leaves a row unclassified or an action pending; the sweeper enqueues it again.
Both tasks are idempotent, so a row that was only slow is harmless to re-send.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from moderation.models import Action, ActionStatus, Item
from moderation.tasks import action_execute, item_classify

STUCK_AFTER = timedelta(minutes=5)
BATCH = 500


@dataclass(frozen=True, slots=True)
class SweepResult:
    items: list[int]
    actions: list[int]


def items_sweep(*, stuck_after: timedelta = STUCK_AFTER) -> SweepResult:
    cutoff = timezone.now() - stuck_after
    items = list(
        Item.objects.filter(classified_at__isnull=True, received_at__lt=cutoff)
        .exclude(kind="post")
        .order_by("received_at")
        .values_list("id", flat=True)[:BATCH]
    )
    actions = list(
        Action.objects.filter(status=ActionStatus.PENDING, updated_at__lt=cutoff)
        .order_by("updated_at")
        .values_list("id", flat=True)[:BATCH]
    )
    for item_id in items:
        transaction.on_commit(partial(item_classify.delay, item_id))
    for action_id in actions:
        transaction.on_commit(partial(action_execute.delay, action_id))
    return SweepResult(items=items, actions=actions)
