"""The beat schedule lives in code (docs/architecture.md); `setup_periodic_tasks` upserts it by name."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Periodic:
    name: str
    task: str
    every_seconds: int
    queue: str


SCHEDULE = (
    # Fan-out: enqueue a poll for each enabled channel whose poll interval has passed.
    Periodic("poll due channels", "moderation.tasks.channels_poll_due", 30, "poll"),
    # Repairs lost messages: rows stuck unclassified or with pending actions get re-enqueued.
    # Every 30 s so a lost message costs under a minute (issue 12); each run is a few bounded queries.
    Periodic("sweep stuck items and actions", "moderation.tasks.items_sweep", 30, "poll"),
    # UK GDPR retention: anonymise what is older than the Lead-set period (docs/data-protection.md).
    Periodic("apply data retention", "moderation.tasks.retention_apply", 86_400, "poll"),
    # Intranet webhooks (issue 9): SLA breaches, and deliveries whose retry message was lost.
    Periodic("webhooks: SLA breaches", "moderation.tasks.webhooks_sla_sweep", 60, "poll"),
    Periodic("webhooks: retry lost deliveries", "moderation.tasks.webhooks_retry_due", 300, "poll"),
)
