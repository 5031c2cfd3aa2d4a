"""Thin Celery wrappers around services (conventions §1, §4).

Each task takes ids, has the same name as the service it calls and is idempotent.
Queues: poll (platform reads), classify (policy check), actions (platform writes).
"""

from __future__ import annotations

# --- Channels (issue 4) ---------------------------------------------------------------
from datetime import timedelta
from functools import partial

from celery import shared_task
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from moderation.channels.base import ChannelRateLimited, ChannelUnavailable


@shared_task(
    queue="poll",
    acks_late=True,
    max_retries=6,
    autoretry_for=(ChannelUnavailable, ChannelRateLimited),
    retry_backoff=30,
    retry_backoff_max=900,
    retry_jitter=True,
)
def channel_poll(channel_id: int) -> None:
    # Imported here because services enqueue tasks from this module (HS: circular imports).
    from moderation.services.ingest import channel_poll as run

    run(channel_id=channel_id)


@shared_task(queue="poll", acks_late=True)
def channels_poll_due() -> None:
    """Beat fan-out: enqueue a poll for every connected channel whose interval has passed."""
    from moderation.models import Channel, ChannelHealth

    now = timezone.now()
    due = (
        Channel.objects.filter(enabled=True)
        .exclude(credentials="")
        .exclude(health=ChannelHealth.NEEDS_RECONNECT)
        .filter(Q(rate_limited_until__isnull=True) | Q(rate_limited_until__lte=now))
        .filter(
            Q(last_polled_at__isnull=True)
            | Q(last_polled_at__lte=now - F("poll_interval") * timedelta(seconds=1))
        )
    )
    for channel_id in due.values_list("id", flat=True):
        transaction.on_commit(partial(channel_poll.delay, channel_id))


@shared_task(
    queue="actions",
    acks_late=True,
    max_retries=8,
    autoretry_for=(ChannelUnavailable, ChannelRateLimited),
    retry_backoff=30,
    retry_backoff_max=900,
    retry_jitter=True,
)
def action_execute(action_id: int) -> None:
    # Imported here because services enqueue this task (HS: circular imports).
    from moderation.services.actions import action_execute as run

    run(action_id=action_id)


@shared_task(queue="classify", acks_late=True)
def item_classify(item_id: int) -> None:
    # Imported here because services enqueue this task (HS: circular imports).
    from moderation.services.classify import item_classify as run

    run(item_id=item_id)
