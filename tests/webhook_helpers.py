"""The shared webhook test base: sign and post a body to /webhooks/<platform>/, then run the task.

The view only stores the raw event and enqueues `webhook_process` on commit; in a
test the transaction never commits, so `process_events` runs the stored events
the way the worker would.
"""

from __future__ import annotations

from fakeplatforms import DEFAULT_APP_SECRET
from moderation.channels.meta.webhooks import webhook_signature
from moderation.models import WebhookEvent, WebhookEventStatus
from moderation.services.ingest import webhook_process


def platform_of(body: bytes) -> str:
    return "instagram" if b'"object":"instagram"' in body.replace(b" ", b"") else "facebook"


def post_webhook(
    client, body: bytes, *, platform: str | None = None, signature=None, secret=DEFAULT_APP_SECRET
):
    """POST a body signed as Meta signs it (signature=False: no header; a string: that header)."""
    headers = {}
    if signature is not False:
        headers["HTTP_X_HUB_SIGNATURE_256"] = signature or webhook_signature(body, secret)
    url = f"/webhooks/{platform or platform_of(body)}/"
    return client.post(url, data=body, content_type="application/json", **headers)


def process_events() -> list[WebhookEvent]:
    """Run webhook_process for every pending event, as the worker would; returns them refreshed."""
    done = []
    for event in WebhookEvent.objects.filter(status=WebhookEventStatus.PENDING).order_by("id"):
        done.append(webhook_process(event_id=event.pk))
    return done


def deliver(client, body: bytes, **kwargs) -> WebhookEvent | None:
    """Post, check the 200, and process: the whole round trip of one delivery."""
    response = post_webhook(client, body, **kwargs)
    assert response.status_code == 200, response.content
    processed = process_events()
    return processed[-1] if processed else None
