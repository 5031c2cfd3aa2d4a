"""Signed but hostile webhook bodies get a clear 4xx or a harmless 200, never a 500 (issue 13).

Meta retries any 5xx, so a body that crashes the receiver would keep coming back.
Each body here is signed with the app secret, so it passes the signature check
and reaches the parser; the task that processes what was stored must not crash either.
"""

import json

import pytest

from fakeplatforms import DEMO_IG_USER_ID, DEMO_PAGE_ID
from moderation.models import Item, WebhookEvent
from tests.factories import ChannelFactory
from tests.webhook_helpers import post_webhook, process_events

pytestmark = pytest.mark.django_db


def feed(created_time, entry_time=1764062400):
    value = {
        "item": "comment",
        "verb": "add",
        "comment_id": "5647382910_7",
        "post_id": f"{DEMO_PAGE_ID}_5647382910",
        "from": {"id": "7281930456123", "name": "Jane Tenant"},
        "message": "hello",
        "created_time": created_time,
    }
    entry = {"id": DEMO_PAGE_ID, "time": entry_time, "changes": [{"field": "feed", "value": value}]}
    return {"object": "page", "entry": [entry]}


def raw(text):
    return text.encode()


NESTED = b'{"object":"page","entry":[' + b"[" * 100_000 + b"]" * 100_000 + b"]}"
HOSTILE_4XX = {
    "nested 100k deep": NESTED,
    "nested object 50k deep": b'{"object":"page","entry":[{"id":"1","changes":[{"value":'
    + b'{"a":' * 50_000
    + b"1"
    + b"}" * 50_000
    + b"}]}]}",
    "changes is 5": raw(json.dumps({"object": "page", "entry": [{"id": DEMO_PAGE_ID, "changes": 5}]})),
    "changes is a string": raw(json.dumps({"object": "page", "entry": [{"id": "1", "changes": "x"}]})),
    "entry is an object": raw(json.dumps({"object": "page", "entry": {"id": "1"}})),
    "created_time NaN": raw(json.dumps(feed(0)).replace('"created_time": 0', '"created_time": NaN')),
    "created_time Infinity": raw(
        json.dumps(feed(0)).replace('"created_time": 0', '"created_time": Infinity')
    ),
    "created_time -Infinity": raw(
        json.dumps(feed(0)).replace('"created_time": 0', '"created_time": -Infinity')
    ),
    "not UTF-8": b'{"object":"page","entry":["\xff\xfe"]}',
    "a bare number": b"5",
    "empty body": b"",
}


@pytest.mark.parametrize("body", HOSTILE_4XX.values(), ids=HOSTILE_4XX.keys())
def test_hostile_bodies_are_a_clear_400_and_nothing_is_stored(client, meta_settings, body):
    response = post_webhook(client, body, platform="facebook")
    assert response.status_code == 400
    assert response.json()["error"]
    assert not WebhookEvent.objects.exists()


@pytest.mark.parametrize("created_time", [1e20, -1e12, 1e308, -1e308, 2**80, "1e20", True, None, [], {}])
def test_absurd_times_are_stored_with_the_entry_time(client, meta_settings, created_time):
    channel = ChannelFactory(platform="facebook", account_id=DEMO_PAGE_ID, connected=True)
    body = raw(json.dumps(feed(created_time)))
    assert post_webhook(client, body).status_code == 200
    [event] = process_events()
    assert event.status == "done"
    item = Item.objects.get(channel=channel)
    assert item.created_on_platform.timestamp() == 1764062400  # the entry's time, not the absurd one


@pytest.mark.parametrize("entry_time", [1e308, -1e12, "soon", None])
def test_absurd_entry_times_leave_no_time_rather_than_crash(client, meta_settings, entry_time):
    channel = ChannelFactory(platform="facebook", account_id=DEMO_PAGE_ID, connected=True)
    assert post_webhook(client, raw(json.dumps(feed(1e20, entry_time=entry_time)))).status_code == 200
    [event] = process_events()
    assert event.status == "done"
    assert Item.objects.get(channel=channel).created_on_platform is None


ODD_BUT_HARMLESS = {
    "entry id is an object": {"object": "page", "entry": [{"id": {"x": 1}, "changes": []}]},
    "changes hold non-objects": {"object": "page", "entry": [{"id": "1", "changes": [5, "x", None]}]},
    "value is a list": {
        "object": "page",
        "entry": [{"id": "1", "changes": [{"field": "feed", "value": []}]}],
    },
    "another object": {"object": "user", "entry": []},
    "comment_id is an object": feed(1)
    | {
        "entry": [
            {
                "id": DEMO_PAGE_ID,
                "changes": [{"field": "feed", "value": {"item": "comment", "comment_id": {}}}],
            }
        ]
    },
    "from is a string": {
        "object": "page",
        "entry": [
            {
                "id": DEMO_PAGE_ID,
                "changes": [
                    {
                        "field": "feed",
                        "value": {
                            "item": "comment",
                            "verb": "add",
                            "comment_id": "1_2",
                            "from": "x",
                            "message": 5,
                        },
                    }
                ],
            }
        ],
    },
}


@pytest.mark.parametrize("payload", ODD_BUT_HARMLESS.values(), ids=ODD_BUT_HARMLESS.keys())
def test_odd_shapes_are_acknowledged_and_processed_harmlessly(client, meta_settings, payload):
    ChannelFactory(platform="facebook", account_id=DEMO_PAGE_ID, connected=True)
    assert post_webhook(client, raw(json.dumps(payload)), platform="facebook").status_code == 200
    [event] = process_events()
    assert event.status == "done"


@pytest.mark.parametrize("value", [{"id": {"a": 1}, "text": 5}, {"id": "1", "media": "x", "from": []}])
def test_odd_instagram_comments_do_not_crash(client, meta_settings, value):
    ChannelFactory(platform="instagram", account_id=DEMO_IG_USER_ID, connected=True)
    payload = {
        "object": "instagram",
        "entry": [{"id": DEMO_IG_USER_ID, "changes": [{"field": "comments", "value": value}]}],
    }
    assert post_webhook(client, raw(json.dumps(payload))).status_code == 200
    [event] = process_events()
    assert event.status == "done"
