"""Ingestion, split by entry point: `items` (storing, whatever brought them), `polling`, `webhooks`."""

from moderation.services.ingest.items import Counts, store_items
from moderation.services.ingest.polling import PollResult, channel_poll, channels_poll_due
from moderation.services.ingest.webhooks import (
    WebhookResult,
    webhook_ingest,
    webhook_process,
    webhook_receive,
    webhook_retry,
)

__all__ = [
    "Counts",
    "PollResult",
    "WebhookResult",
    "channel_poll",
    "channels_poll_due",
    "store_items",
    "webhook_ingest",
    "webhook_process",
    "webhook_receive",
    "webhook_retry",
]
