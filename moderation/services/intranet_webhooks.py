"""Outgoing webhooks for the intranet: register, emit, deliver (signed, retried, capped).

Events come from the audit trail (every decision writes one in its own transaction),
so no service has to remember to call us: `audit_event_emit` listens for new audit
events and turns the ones the intranet cares about into deliveries. The SLA sweep
emits `sla.breached` for open items past their due-by time. Deliveries go only to
hosts listed in API_WEBHOOK_ALLOWED_HOSTS, never follow redirects, and are signed
with HMAC-SHA256 over "<timestamp>.<body>" (docs/api.md shows how to verify).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
from datetime import datetime, timedelta
from functools import partial
from typing import Any, cast
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from moderation.errors import ModerationError, NotPermitted
from moderation.models import (
    OPEN_STATES,
    AuditEvent,
    DeliveryStatus,
    IntranetEvent,
    Item,
    WebhookDelivery,
    WebhookEndpoint,
)
from moderation.services.audit import audit_record

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Havebury-Signature"
RESPONSE_KEEP = 2000  # characters of the intranet's answer kept for the deliveries list


class WebhookUrlRefused(ModerationError):
    code = "webhook_url_refused"
    status = 422


def _allowed(url: str) -> bool:
    parts = urlsplit(url)
    allowed = {h.lower() for h in settings.API_WEBHOOK_ALLOWED_HOSTS}
    return parts.scheme in ("http", "https") and (parts.hostname or "").lower() in allowed


def webhook_endpoint_create(
    *, url: str, events: list[str], actor: User | None, description: str = ""
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; returns it and its signing secret (shown once)."""
    if actor is not None and not actor.has_perm("moderation.manage_api"):
        raise NotPermitted("Only Leads and Admins may register webhooks.", hint="Ask a Lead.")
    if not _allowed(url):
        raise WebhookUrlRefused(
            f"Webhooks may only go to the intranet hosts configured in API_WEBHOOK_ALLOWED_HOSTS; "
            f"{urlsplit(url).hostname or url!r} is not one of them.",
            hint="Ask the administrator to add the host to API_WEBHOOK_ALLOWED_HOSTS (README).",
        )
    unknown = sorted(set(events) - set(IntranetEvent.values))
    if not events or unknown:
        raise WebhookUrlRefused(
            f"Unknown or missing events: {', '.join(unknown) or '(none)'}.",
            hint=f"Use some of {', '.join(IntranetEvent.values)}.",
        )
    secret = "whsec_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            url=url,
            events=sorted(set(events)),
            secret={"secret": secret},  # type: ignore[misc]  # EncryptedJSONField takes a dict
            description=description,
            created_by=actor,
        )
        audit_record(
            actor=actor, verb="webhook.registered", target=endpoint, after={"events": endpoint.events}
        )
    return endpoint, secret


def webhook_endpoint_delete(*, endpoint_id: int, actor: User | None) -> None:
    """Switch an endpoint off; its deliveries stay listed."""
    if actor is not None and not actor.has_perm("moderation.manage_api"):
        raise NotPermitted("Only Leads and Admins may remove webhooks.", hint="Ask a Lead.")
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint_id)
        if endpoint.active:
            endpoint.active = False
            endpoint.save(update_fields=["active"])
            audit_record(actor=actor, verb="webhook.removed", target=endpoint)


def webhooks_emit(*, event: str, dedupe_key: str, data: dict[str, Any]) -> list[WebhookDelivery]:
    """Queue one delivery per subscribed endpoint; call inside the transaction of the change."""
    from moderation.tasks import webhook_deliver  # tasks import services (HS: circular imports)

    endpoints = [e for e in WebhookEndpoint.objects.filter(active=True) if event in e.events]
    created = []
    for endpoint in endpoints:
        try:
            with transaction.atomic():
                delivery = WebhookDelivery.objects.create(
                    endpoint=endpoint, event=event, dedupe_key=dedupe_key[:120], payload=data
                )
        except IntegrityError:
            continue  # this occurrence was already queued for this endpoint
        transaction.on_commit(partial(webhook_deliver.delay, delivery.pk))
        created.append(delivery)
    return created


def audit_event_emit(sender: Any, instance: AuditEvent, created: bool, **kwargs: Any) -> None:
    """post_save listener on AuditEvent: decisions the intranet subscribes to become deliveries."""
    if not created:
        return
    if instance.verb == "item.classified" and instance.detail.get("flags"):
        webhooks_emit(
            event=IntranetEvent.ITEM_FLAGGED,
            dedupe_key=f"flagged:{instance.pk}",
            data={
                "item": instance.item_id,
                "categories": instance.detail.get("categories", []),
                "clauses": sorted({f.get("clause", "") for f in instance.detail["flags"]}),
                "route": instance.detail.get("route"),
                "priority": instance.detail.get("priority"),
            },
        )
    elif instance.verb in ("action.sent", "action.confirmed", "action.recorded"):
        webhooks_emit(
            event=IntranetEvent.ACTION_CONFIRMED,
            dedupe_key=f"action:{instance.target_id}",
            data={"action": int(instance.target_id), "item": instance.item_id, **instance.after},
        )


def webhooks_sla_sweep(*, now: datetime | None = None) -> int:
    """Emit sla.breached once per open item and due-by time that has passed (last day only)."""
    moment = now or timezone.now()
    overdue = Item.objects.filter(
        state__in=OPEN_STATES, due_by__lt=moment, due_by__gte=moment - timedelta(days=1)
    ).values("id", "due_by", "state", "priority")
    count = 0
    with transaction.atomic():
        for row in overdue.order_by("due_by")[:500]:
            due_by = cast(datetime, row["due_by"])  # not null: filtered on due_by above
            count += len(
                webhooks_emit(
                    event=IntranetEvent.SLA_BREACHED,
                    dedupe_key=f"sla:{row['id']}:{due_by.isoformat()}",
                    data={
                        "item": row["id"],
                        "due_by": due_by.isoformat(),
                        "state": row["state"],
                        "priority": row["priority"],
                    },
                )
            )
    return count


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def backoff_seconds(attempt: int) -> int:
    """30 s, 1 min, 2 min, 4 min, ... capped at an hour."""
    return int(min(30 * 2 ** (attempt - 1), 3600))


def webhook_deliver(*, delivery_id: int) -> int | None:
    """Send one delivery. Returns seconds to wait before retrying, or None when finished."""
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().select_related("endpoint").get(pk=delivery_id)
        if delivery.status != DeliveryStatus.PENDING:
            return None  # delivered or given up: a second run changes nothing
        delivery.attempts += 1
        delivery.save(update_fields=["attempts"])
    endpoint = delivery.endpoint
    body = json.dumps(
        {
            "id": str(delivery.event_id),
            "event": delivery.event,
            "created_at": delivery.created_at,
            "data": delivery.payload,
        },
        cls=DjangoJSONEncoder,
    ).encode()
    status_code: int | None = None
    text, error = "", ""
    if not endpoint.active or not _allowed(endpoint.url):
        error = "The endpoint is switched off or its host is no longer in API_WEBHOOK_ALLOWED_HOSTS."
    else:
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "HaveburySocial-Webhooks/1",
            "X-Havebury-Event": delivery.event,
            "X-Havebury-Delivery": str(delivery.event_id),
            SIGNATURE_HEADER: sign(str(endpoint.secret.get("secret", "")), timestamp, body),
        }
        try:
            response = requests.post(
                endpoint.url,
                data=body,
                headers=headers,
                timeout=settings.API_WEBHOOK_TIMEOUT,
                allow_redirects=False,
            )
            status_code, text = response.status_code, response.text[:RESPONSE_KEEP]
            if not 200 <= response.status_code < 300:
                error = f"The endpoint answered {response.status_code}."
        except requests.RequestException as exc:
            error = f"{type(exc).__name__}: {exc}"[:RESPONSE_KEEP]
    return _record(delivery, status_code=status_code, text=text, error=error, final=not endpoint.active)


def _record(
    delivery: WebhookDelivery, *, status_code: int | None, text: str, error: str, final: bool
) -> int | None:
    now = timezone.now()
    delivery.response_status, delivery.response_body, delivery.error = status_code, text, error
    retry_in: int | None = None
    if not error:
        delivery.status, delivery.delivered_at = DeliveryStatus.SUCCEEDED, now
    elif final or delivery.attempts >= settings.API_WEBHOOK_MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
        log.warning("webhook delivery %s failed after %s attempts", delivery.pk, delivery.attempts)
    else:
        retry_in = backoff_seconds(delivery.attempts)
        delivery.next_attempt_at = now + timedelta(seconds=retry_in)
    delivery.save(
        update_fields=[
            "response_status",
            "response_body",
            "error",
            "status",
            "delivered_at",
            "next_attempt_at",
        ]
    )
    return retry_in


def webhooks_retry_due(*, now: datetime | None = None) -> int:
    """Sweeper: re-enqueue pending deliveries whose retry time passed long ago (a lost message)."""
    from moderation.tasks import webhook_deliver

    moment = now or timezone.now()
    ids = list(
        WebhookDelivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lt=moment - timedelta(minutes=5)
        ).values_list("id", flat=True)[:500]
    )
    for delivery_id in ids:
        webhook_deliver.delay(delivery_id)
    return len(ids)


class DeliveryNotRetryable(ModerationError):
    code = "delivery_not_retryable"
    status = 409


def webhook_delivery_retry(*, delivery_id: int, actor: User | None) -> WebhookDelivery:
    """Send a failed delivery again, with a fresh attempt count (the Lead's Retry button)."""
    from moderation.tasks import webhook_deliver

    if actor is not None and not actor.has_perm("moderation.manage_api"):
        raise NotPermitted("Only Leads and Admins may retry webhook deliveries.", hint="Ask a Lead.")
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().select_related("endpoint").get(pk=delivery_id)
        if delivery.status != DeliveryStatus.FAILED:
            raise DeliveryNotRetryable(
                f"Delivery {delivery_id} is {delivery.get_status_display().lower()}, not failed.",
                hint="Pending deliveries are retried on their own; delivered ones are done.",
            )
        if not delivery.endpoint.active:
            raise DeliveryNotRetryable(
                f"The endpoint {delivery.endpoint.url} was removed.", hint="Register it again first."
            )
        delivery.status, delivery.attempts, delivery.error = DeliveryStatus.PENDING, 0, ""
        delivery.next_attempt_at = timezone.now()
        delivery.save(update_fields=["status", "attempts", "error", "next_attempt_at"])
        audit_record(
            actor=actor,
            verb="webhook.delivery_retried",
            target=delivery.endpoint,
            detail={"delivery": delivery.pk, "event": delivery.event},
        )
        transaction.on_commit(partial(webhook_deliver.delay, delivery.pk))
    return delivery
