"""Settings > Webhooks: a Lead registers and removes the intranet's webhooks, sees each delivery's
response code and retries failed ones; officers and anonymous visitors cannot."""

from __future__ import annotations

import pytest

from moderation.models import AuditEvent, DeliveryStatus, WebhookDelivery, WebhookEndpoint
from moderation.services.intranet_webhooks import webhook_deliver, webhook_endpoint_create, webhooks_emit
from moderation.tasks import webhook_deliver as webhook_deliver_task
from tests.factories import lead, officer

pytestmark = pytest.mark.django_db

PAGE = "/settings/webhooks/"


@pytest.fixture(scope="session")
def httpserver_listen_address():
    return ("127.0.0.1", 0)  # loopback only, any free port (docs/architecture.md §7)


@pytest.fixture
def allowed(settings):
    settings.API_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.API_WEBHOOK_MAX_ATTEMPTS = 1  # the first failure is final, so the page offers Retry
    return settings


@pytest.fixture
def lead_client(client):
    client.force_login(lead(username="lauren.eden"))
    return client


def _failed_delivery(httpserver, status=500):
    endpoint, _ = webhook_endpoint_create(
        url=httpserver.url_for("/hooks"), events=["sla.breached"], actor=None
    )
    [delivery] = webhooks_emit(event="sla.breached", dedupe_key="sla:1", data={"item": 1})
    httpserver.expect_oneshot_request("/hooks", method="POST").respond_with_data("down", status=status)
    assert webhook_deliver(delivery_id=delivery.pk) is None  # one attempt allowed: now failed
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    return endpoint, delivery


def test_page_and_its_forms_by_role(client, allowed, httpserver):
    endpoint, delivery = _failed_delivery(httpserver)
    posts = [
        f"/settings/webhooks/{endpoint.pk}/remove/",
        f"/settings/webhooks/deliveries/{delivery.pk}/retry/",
    ]
    assert client.get(PAGE)["Location"].startswith("/accounts/login/")
    for url in posts:
        assert client.post(url)["Location"].startswith("/accounts/login/")
    client.force_login(officer())
    assert client.get(PAGE).status_code == 403
    for url in posts:
        assert client.post(url).status_code == 403
    assert client.post(PAGE, {"url": "http://127.0.0.1:9/x", "events": ["item.flagged"]}).status_code == 403
    client.force_login(lead())
    assert client.get(PAGE).status_code == 200
    endpoint.refresh_from_db()
    delivery.refresh_from_db()
    assert endpoint.active
    assert delivery.status == DeliveryStatus.FAILED


def test_lead_registers_sees_the_secret_once_and_removes(lead_client, allowed):
    response = lead_client.post(
        PAGE,
        {
            "url": "http://127.0.0.1:9/hooks",
            "events": ["item.flagged", "sla.breached"],
            "description": "intranet",
        },
    )
    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["item.flagged", "sla.breached"]
    secret = endpoint.secret["secret"]
    assert secret.startswith("whsec_")
    assert secret in response.content.decode()
    listed = lead_client.get(PAGE).content.decode()
    assert secret not in listed
    assert "http://127.0.0.1:9/hooks" in listed
    assert "Item flagged" in listed
    assert "Item past its due-by time" in listed
    removed = lead_client.post(f"/settings/webhooks/{endpoint.pk}/remove/", follow=True)
    assert "Webhook removed" in removed.content.decode()
    endpoint.refresh_from_db()
    assert not endpoint.active
    assert AuditEvent.objects.filter(verb="webhook.removed", target_id=str(endpoint.pk)).count() == 1
    assert 'aria-label="Remove the webhook' not in removed.content.decode()


def test_a_host_outside_the_allowed_list_is_refused_with_the_reason(lead_client, allowed):
    response = lead_client.post(PAGE, {"url": "http://10.1.2.3/hooks", "events": ["item.flagged"]})
    assert response.status_code == 400
    assert "not one of them" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()
    assert lead_client.post(PAGE, {"url": "http://127.0.0.1:9/hooks"}).status_code == 400  # no events
    assert not WebhookEndpoint.objects.exists()


def test_deliveries_show_response_codes_and_retry_delivers(
    lead_client, allowed, httpserver, django_capture_on_commit_callbacks
):
    endpoint, delivery = _failed_delivery(httpserver, status=503)
    page = lead_client.get(PAGE).content.decode()
    assert 'data-testid="response-status">503<' in page
    assert "The endpoint answered 503." in page
    assert f'aria-label="Retry delivery {delivery.pk}"' in page
    with django_capture_on_commit_callbacks() as callbacks:
        retried = lead_client.post(
            f"/settings/webhooks/deliveries/{delivery.pk}/retry/", {"status": "failed", "endpoint": "x"}
        )
    assert (
        retried["Location"] == "/settings/webhooks/?status=failed"
    )  # back to the same list; bad values dropped
    assert len(callbacks) == 1  # the delivery task, sent once the retry commits
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.error) == (DeliveryStatus.PENDING, 0, "")
    assert AuditEvent.objects.filter(verb="webhook.delivery_retried", target_id=str(endpoint.pk)).count() == 1
    httpserver.expect_oneshot_request("/hooks", method="POST").respond_with_data("", status=204)
    assert webhook_deliver(delivery_id=delivery.pk) is None
    page = lead_client.get(f"{PAGE}?endpoint={endpoint.pk}&status=succeeded").content.decode()
    assert 'data-testid="response-status">204<' in page
    assert "Delivered" in page
    assert f'aria-label="Retry delivery {delivery.pk}"' not in page


def test_retrying_a_delivered_delivery_is_refused(lead_client, allowed, httpserver):
    _endpoint, _ = webhook_endpoint_create(
        url=httpserver.url_for("/hooks"), events=["sla.breached"], actor=None
    )
    [delivery] = webhooks_emit(event="sla.breached", dedupe_key="sla:2", data={"item": 2})
    httpserver.expect_oneshot_request("/hooks", method="POST").respond_with_data("ok", status=200)
    webhook_deliver(delivery_id=delivery.pk)
    page = lead_client.post(
        f"/settings/webhooks/deliveries/{delivery.pk}/retry/", follow=True
    ).content.decode()
    assert "is delivered, not failed" in page
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.attempts == 1
    missing = lead_client.post("/settings/webhooks/deliveries/999999/retry/", follow=True)
    assert "There is no delivery 999999." in missing.content.decode()


def test_queries_do_not_grow_with_webhooks_and_deliveries(
    lead_client, allowed, django_assert_max_num_queries
):
    def add(n, start):
        for i in range(n):
            endpoint, _ = webhook_endpoint_create(
                url=f"http://127.0.0.1:9/h{start + i}", events=["sla.breached"], actor=None
            )
            for j in range(3):
                WebhookDelivery.objects.create(endpoint=endpoint, event="sla.breached", dedupe_key=f"k{j}")

    add(1, 0)
    lead_client.get(PAGE)
    with django_assert_max_num_queries(20) as few:
        assert lead_client.get(PAGE).status_code == 200
    add(6, 1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = lead_client.get(PAGE).content.decode()
    assert page.count("data-delivery=") == 21
    assert page.count("data-endpoint=") == 7


def test_deliveries_run_on_their_own_queue():
    """Not the poll queue: a slow intranet endpoint must not hold up polling the platforms."""
    assert webhook_deliver_task.queue == "webhooks"
