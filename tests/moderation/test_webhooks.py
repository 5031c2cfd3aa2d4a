"""Webhook receiver: one route per platform, signatures on the raw body, store first, process in a task."""

import json

import pytest
from django.urls import reverse

from fakeplatforms import DEMO_PAGE_ID
from moderation.channels.meta.webhooks import webhook_signature
from moderation.models import Item, Visibility, WebhookEvent, WebhookEventStatus
from tests.factories import ChannelFactory
from tests.webhook_helpers import deliver, post_webhook, process_events

pytestmark = pytest.mark.django_db
URL = "/webhooks/facebook/"


def event(verb="add", message="Still no repair at Flat 4", comment_id="5647382910_1"):
    value = {
        "item": "comment",
        "verb": verb,
        "comment_id": comment_id,
        "post_id": f"{DEMO_PAGE_ID}_5647382910",
        "parent_id": f"{DEMO_PAGE_ID}_5647382910",
        "from": {"id": "7281930456123", "name": "Jane Tenant"},
        "message": message,
        "created_time": 1764062399,
    }
    body = {
        "object": "page",
        "entry": [{"id": DEMO_PAGE_ID, "time": 1764062400, "changes": [{"field": "feed", "value": value}]}],
    }
    return json.dumps(body).encode()


def test_url_name():
    assert reverse("moderation:webhook", kwargs={"platform": "facebook"}) == URL


@pytest.mark.parametrize(("token", "status"), [("verify-me", 200), ("wrong", 403)])
@pytest.mark.parametrize("platform", ["facebook", "instagram"])
def test_hub_challenge_verification(client, meta_settings, token, status, platform):
    response = client.get(
        f"/webhooks/{platform}/",
        {"hub.mode": "subscribe", "hub.challenge": "1158201444", "hub.verify_token": token},
    )
    assert response.status_code == status
    if status == 200:
        assert response.content == b"1158201444"


def test_a_platform_without_webhooks_is_a_404(client, meta_settings):
    assert client.post("/webhooks/myspace/", data=b"{}", content_type="application/json").status_code == 404


def test_the_view_stores_the_raw_event_and_the_task_ingests_it(
    client, meta_settings, django_capture_on_commit_callbacks
):
    channel = ChannelFactory(platform="facebook", account_id=DEMO_PAGE_ID, connected=True)
    body = event()
    with django_capture_on_commit_callbacks() as received:
        response = post_webhook(client, body)
    assert response.status_code == 200
    stored = WebhookEvent.objects.get()
    assert (stored.platform, stored.body.encode(), stored.status) == ("facebook", body, "pending")
    assert len(received) == 1  # webhook_process, after commit
    assert not Item.objects.exists()  # nothing ingested inside the request
    with django_capture_on_commit_callbacks() as classify:
        [processed] = process_events()
    assert processed.status == WebhookEventStatus.DONE
    assert processed.result["stored"] == 1
    item = Item.objects.get(channel=channel)
    assert (item.text, item.author.display_name, item.raw["verb"]) == (
        "Still no repair at Flat 4",
        "Jane Tenant",
        "add",
    )
    assert len(classify) == 1


def test_a_redelivery_is_one_event_processed_once(client, meta_settings, django_capture_on_commit_callbacks):
    ChannelFactory(platform="facebook", account_id=DEMO_PAGE_ID, connected=True)
    body = event()
    with django_capture_on_commit_callbacks() as first:
        post_webhook(client, body)
    with django_capture_on_commit_callbacks() as second:
        assert post_webhook(client, body).status_code == 200  # Meta redelivers
    assert (len(first), len(second)) == (1, 0)
    assert WebhookEvent.objects.get().deliveries == 2
    process_events()
    assert Item.objects.count() == 1


def test_edits_and_removals_arrive_in_order(client, meta_settings):
    channel = ChannelFactory(platform="facebook", account_id=DEMO_PAGE_ID, connected=True)
    deliver(client, event())
    deliver(client, event(verb="edited", message="Still no repair at Flat 4!!"))
    item = Item.objects.get(channel=channel)
    assert item.edited_on_platform_at is not None
    deliver(client, event(verb="remove"))
    item.refresh_from_db()
    assert item.visibility == Visibility.DELETED


@pytest.mark.parametrize(
    ("signature", "status"),
    [(False, 403), ("sha256=" + "0" * 64, 403), ("sha1=abc", 403)],
)
def test_bad_or_missing_signature_is_refused_and_nothing_stored(client, meta_settings, signature, status):
    ChannelFactory(platform="facebook", account_id=DEMO_PAGE_ID, connected=True)
    assert post_webhook(client, event(), signature=signature).status_code == status
    assert not WebhookEvent.objects.exists()
    assert not Item.objects.exists()


def test_signature_covers_the_raw_body(client, meta_settings):
    ChannelFactory(platform="facebook", account_id=DEMO_PAGE_ID, connected=True)
    body = event()
    signature = webhook_signature(body, "fake-app-secret")
    reformatted = json.dumps(json.loads(body), indent=2).encode()  # same JSON, different bytes
    assert post_webhook(client, reformatted, signature=signature).status_code == 403


@pytest.mark.parametrize("body", [b'{"object":"page","entry":[{"id"', b"[1,2]", b'{"object":"page"}'])
def test_malformed_but_signed_body_is_a_400_and_not_stored(client, meta_settings, body):
    response = post_webhook(client, body, platform="facebook")
    assert response.status_code == 400
    assert "error" in response.json()
    assert not WebhookEvent.objects.exists()


def test_event_for_an_unknown_page_is_acknowledged_and_ignored(client, meta_settings):
    processed = deliver(client, event())
    assert processed.status == WebhookEventStatus.DONE
    assert processed.result["ignored"] == 1


def test_event_for_a_disconnected_channel_is_acknowledged_and_not_stored(client, meta_settings):
    """Tried as a new user would: after disconnecting Instagram, whose login Facebook shares (so it
    is not revoked), the platform kept sending its comments and they still filled the queue."""
    ChannelFactory(platform="facebook", account_id=DEMO_PAGE_ID)  # account kept, tokens wiped
    processed = deliver(client, event())
    assert processed.status == WebhookEventStatus.DONE
    assert (processed.result["ignored"], processed.result["stored"]) == (1, 0)
    assert not Item.objects.exists()
