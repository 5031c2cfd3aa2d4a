"""Meta webhook receiver: verification, signatures on the raw body, idempotent storage."""

import json

import pytest
from django.urls import reverse

from fakeplatforms import DEFAULT_APP_SECRET, DEMO_PAGE_ID
from moderation.channels.meta import webhook_signature
from moderation.models import Item, Visibility
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db
URL = "/webhooks/meta/"


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


def post(client, body, signature=None):
    headers = (
        {}
        if signature is False
        else {"HTTP_X_HUB_SIGNATURE_256": signature or webhook_signature(body, DEFAULT_APP_SECRET)}
    )
    return client.post(URL, data=body, content_type="application/json", **headers)


def test_url_name():
    assert reverse("moderation:webhook-meta") == URL


@pytest.mark.parametrize(("token", "status"), [("verify-me", 200), ("wrong", 403)])
def test_hub_challenge_verification(client, meta_settings, token, status):
    response = client.get(
        URL, {"hub.mode": "subscribe", "hub.challenge": "1158201444", "hub.verify_token": token}
    )
    assert response.status_code == status
    if status == 200:
        assert response.content == b"1158201444"


def test_signed_event_is_stored_once_and_classified_once(
    client, meta_settings, django_capture_on_commit_callbacks
):
    channel = ChannelFactory(platform="facebook", account_id=DEMO_PAGE_ID)
    body = event()
    with django_capture_on_commit_callbacks() as first:
        assert post(client, body).status_code == 200
    with django_capture_on_commit_callbacks() as second:
        assert post(client, body).status_code == 200  # Meta redelivers
    item = Item.objects.get(channel=channel)
    assert (item.text, item.author.display_name, item.raw["verb"]) == (
        "Still no repair at Flat 4",
        "Jane Tenant",
        "add",
    )
    assert (len(first), len(second)) == (1, 0)
    post(client, event(verb="edited", message="Still no repair at Flat 4!!"))
    item.refresh_from_db()
    assert item.edited_on_platform_at is not None
    post(client, event(verb="remove"))
    item.refresh_from_db()
    assert item.visibility == Visibility.DELETED


@pytest.mark.parametrize(
    ("signature", "status"),
    [(False, 401), ("sha256=" + "0" * 64, 403), ("sha1=abc", 403)],
)
def test_bad_or_missing_signature_is_refused_and_nothing_stored(client, meta_settings, signature, status):
    ChannelFactory(platform="facebook", account_id=DEMO_PAGE_ID)
    assert post(client, event(), signature=signature).status_code == status
    assert not Item.objects.exists()


def test_signature_covers_the_raw_body(client, meta_settings):
    ChannelFactory(platform="facebook", account_id=DEMO_PAGE_ID)
    body = event()
    signature = webhook_signature(body, DEFAULT_APP_SECRET)
    reformatted = json.dumps(json.loads(body), indent=2).encode()  # same JSON, different bytes
    assert post(client, reformatted, signature=signature).status_code == 403


@pytest.mark.parametrize("body", [b'{"object":"page","entry":[{"id"', b"[1,2]", b'{"object":"page"}'])
def test_malformed_but_signed_body_is_a_400(client, meta_settings, body):
    response = post(client, body)
    assert response.status_code == 400
    assert "error" in response.json()


def test_event_for_an_unknown_page_is_acknowledged_and_ignored(client, meta_settings):
    response = post(client, event())
    assert response.status_code == 200
    assert response.json()["ignored"] == 1
