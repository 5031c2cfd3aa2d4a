"""Intranet webhooks: only configured hosts, signed deliveries, retries with a cap, emitted from the audit trail."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.utils import timezone
from werkzeug import Response

from moderation.models import DeliveryStatus, WebhookDelivery
from moderation.services.audit import audit_record
from moderation.services.intranet_webhooks import (
    WebhookUrlRefused,
    backoff_seconds,
    webhook_deliver,
    webhook_endpoint_create,
    webhooks_emit,
    webhooks_sla_sweep,
)
from moderation.tasks import webhook_deliver as webhook_deliver_task
from tests.factories import ItemFactory


@pytest.fixture
def allowed(settings):
    settings.API_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.API_WEBHOOK_MAX_ATTEMPTS = 3
    return settings


def _register(httpserver, events=("item.flagged",)):
    return webhook_endpoint_create(url=httpserver.url_for("/hooks"), events=list(events), actor=None)


def test_only_configured_hosts(allowed, db):
    with pytest.raises(WebhookUrlRefused, match="not one of them"):
        webhook_endpoint_create(url="http://10.1.2.3/hook", events=["item.flagged"], actor=None)
    with pytest.raises(WebhookUrlRefused, match="Unknown or missing events"):
        webhook_endpoint_create(url="http://127.0.0.1:9/hook", events=["item.deleted"], actor=None)


def test_delivery_is_signed_and_recorded(allowed, httpserver, django_capture_on_commit_callbacks, db):
    _, secret = _register(httpserver)
    item = ItemFactory()
    httpserver.expect_oneshot_request("/hooks", method="POST").respond_with_data("thanks", status=202)
    with django_capture_on_commit_callbacks() as callbacks:
        audit_record(
            actor=None,
            verb="item.classified",
            target=item,
            detail={"categories": ["harassment"], "flags": [{"clause": "2.3", "category": "harassment"}]},
        )
    delivery = WebhookDelivery.objects.get()
    assert len(callbacks) == 1
    assert webhook_deliver(delivery_id=delivery.pk) is None
    request, _ = httpserver.log[0]
    timestamp, mac = (part.split("=", 1)[1] for part in request.headers["X-Havebury-Signature"].split(","))
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + request.get_data(), hashlib.sha256)
    assert hmac.compare_digest(mac, expected.hexdigest())
    body = json.loads(request.get_data())
    assert body["event"] == "item.flagged"
    assert body["data"]["item"] == item.pk
    assert body["data"]["clauses"] == ["2.3"]
    assert "text" not in body["data"]  # ids and categories only; the comment is fetched with a token
    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_status, delivery.response_body) == ("succeeded", 202, "thanks")
    assert webhook_deliver(delivery_id=delivery.pk) is None  # a second run sends nothing
    assert len(httpserver.log) == 1


def test_retries_with_backoff_then_fails(allowed, httpserver, db):
    _register(httpserver, events=["sla.breached"])
    httpserver.expect_request("/hooks", method="POST").respond_with_response(Response("down", status=503))
    (delivery,) = webhooks_emit(event="sla.breached", dedupe_key="sla:1", data={"item": 1})
    assert webhook_deliver(delivery_id=delivery.pk) == backoff_seconds(1) == 30
    with pytest.raises(Retry):
        webhook_deliver_task(delivery.pk)  # the task asks Celery to retry after the service's backoff
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.status, delivery.response_status) == (2, "pending", 503)
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=50)
    assert webhook_deliver(delivery_id=delivery.pk) is None  # third attempt is the last
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.error == "The endpoint answered 503."
    assert len(httpserver.log) == 3


def test_unreachable_endpoint_is_recorded_not_raised(allowed, db):
    webhook_endpoint_create(url="http://127.0.0.1:9/closed", events=["sla.breached"], actor=None)
    (delivery,) = webhooks_emit(event="sla.breached", dedupe_key="sla:2", data={})
    assert webhook_deliver(delivery_id=delivery.pk) == 30
    delivery.refresh_from_db()
    assert "ConnectionError" in delivery.error


def test_sla_sweep_emits_once_per_due_time(allowed, httpserver, db):
    _register(httpserver, events=["sla.breached"])
    overdue = ItemFactory(due_by=timezone.now() - timedelta(minutes=5))
    ItemFactory(due_by=timezone.now() + timedelta(hours=1))
    assert webhooks_sla_sweep() == 1
    assert webhooks_sla_sweep() == 0
    assert WebhookDelivery.objects.get().payload["item"] == overdue.pk


def test_deliveries_listed_with_responses(allowed, api_client_for, httpserver, db):
    endpoint, _ = _register(httpserver, events=["action.confirmed"])
    httpserver.expect_request("/hooks").respond_with_data("ok")
    item = ItemFactory()
    from tests.factories import ActionFactory

    action = ActionFactory(item=item)
    audit_record(
        actor=None, verb="action.sent", target=action, item=item, after={"kind": "hide", "status": "sent"}
    )
    webhook_deliver(delivery_id=WebhookDelivery.objects.get().pk)
    rows = api_client_for("lead").get(f"/api/v1/webhooks/{endpoint.pk}/deliveries/").json()["results"]
    assert [(r["event"], r["status"], r["response_status"]) for r in rows] == [
        ("action.confirmed", "succeeded", 200)
    ]
    assert rows[0]["payload"] == {"action": action.pk, "item": item.pk, "kind": "hide", "status": "sent"}
