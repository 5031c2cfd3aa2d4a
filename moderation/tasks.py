"""Thin Celery wrappers around services (docs/architecture.md).

Each task takes ids, has the same name as the service it calls and is idempotent.
Queues: poll (platform reads), classify (policy check), actions (platform writes).
Services are imported inside each task because services enqueue these tasks.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from celery import Task, shared_task
from django.db import transaction


def enqueue_on_commit(task: Task[Any, Any], *args: Any, countdown: float | None = None) -> None:
    """Send `task` with these arguments once the current transaction commits (at once outside one).

    The one way services enqueue work (docs/architecture.md): a task never runs
    against rows its caller has not committed, and a rolled-back write sends nothing.
    """
    if countdown is None:
        transaction.on_commit(partial(task.delay, *args))
    else:
        transaction.on_commit(partial(task.apply_async, args, countdown=countdown))


# A poll that fails is not retried by Celery: the beat's fan-out polls the channel again after its
# back-off (moderation/poll_intervals.py, counted on the row). Celery's own jittered retries, up to
# 15 minutes apart and each counted as another failed poll, made the time to catch up after an
# outage a lottery (issue 12: within 60 s of the platform answering again).
@shared_task(queue="poll", acks_late=True)
def channel_poll(channel_id: int) -> None:
    from moderation.services.ingest import channel_poll as run

    run(channel_id=channel_id)


@shared_task(queue="poll", acks_late=True)
def channels_poll_due() -> None:
    """Beat fan-out: enqueue a poll for every connected channel whose interval has passed."""
    from moderation.services.ingest import channels_poll_due as run

    run()


@shared_task(queue="actions", acks_late=True)
def action_execute(action_id: int) -> None:
    """The service counts attempts on the row and schedules its own retries, up to a cap."""
    from moderation.services.actions import action_execute as run

    run(action_id=action_id)


@shared_task(queue="classify", acks_late=True)
def item_classify(item_id: int) -> None:
    from moderation.services.classify import item_classify as run
    from moderation.services.failures import item_classify_failed

    try:
        run(item_id=item_id)
    except Exception as exc:
        # Counted on the row, so the sweep stops retrying at the cap and a person is asked.
        item_classify_failed(item_id=item_id, error=f"{exc.__class__.__name__}: {exc}")
        raise


@shared_task(
    queue="classify",
    acks_late=True,
    max_retries=8,
    autoretry_for=(OSError,),  # the mail server is down or refused (smtplib errors are OSErrors)
    retry_backoff=15,
    retry_backoff_max=600,
    retry_jitter=True,
)
def item_alert_on_call(item_id: int) -> None:
    """Email the on-call list about safeguarding or a threat, once (issue 12, GP014 2.4)."""
    from moderation.services.escalation import item_alert_on_call as run

    run(item_id=item_id)


@shared_task(queue="poll", acks_late=True)
def items_sweep() -> None:
    """Beat: re-enqueue rows a lost message left behind (the row is the truth)."""
    from moderation.services.sweep import items_sweep as run

    run()


@shared_task(queue="poll", acks_late=True)
def webhook_process(event_id: int) -> None:
    """Process one stored webhook event; it schedules its own retry when a platform read failed."""
    from moderation.services.ingest import webhook_process as run

    run(event_id=event_id)


@shared_task(queue="poll", acks_late=True)
def retention_apply() -> None:
    from moderation.services.data_protection import retention_apply as run

    run()


# Its own queue: a slow or unreachable intranet endpoint (10 s timeouts, retries) must not
# hold up polling the platforms.
@shared_task(bind=True, queue="webhooks", acks_late=True, max_retries=None)
def webhook_deliver(self, delivery_id: int) -> None:  # type: ignore[no-untyped-def]
    """One intranet webhook delivery; the service counts attempts and decides when to give up."""
    from moderation.services.intranet_webhooks import webhook_deliver as run

    retry_in = run(delivery_id=delivery_id)
    if retry_in is not None:
        raise self.retry(countdown=retry_in)


@shared_task(queue="poll", acks_late=True)
def webhooks_sla_sweep() -> None:
    """Beat: sla.breached for open items past their due-by time."""
    from moderation.services.intranet_webhooks import webhooks_sla_sweep as run

    run()


@shared_task(queue="poll", acks_late=True)
def webhooks_retry_due() -> None:
    """Beat: re-enqueue webhook deliveries whose retry message was lost (the row is the truth)."""
    from moderation.services.intranet_webhooks import webhooks_retry_due as run

    run()
