"""Late, replayed and out-of-order webhooks (issue 12 finding): the platform's event time decides.

Each test fails without services/ingest/ordering.py: arrival order used to win.
"""

import json

import pytest

from fakeplatforms import DEMO_PAGE_ID
from moderation.models import Item, ItemEventMark, Visibility
from tests.factories import ChannelFactory
from tests.webhook_helpers import deliver

pytestmark = pytest.mark.django_db
T = 1764062400  # seconds; each event below says when it happened on the platform
POST = f"{DEMO_PAGE_ID}_5647382910"


def body(*changes):
    """One delivery: each change is (verb, entry time, message or None, comment id)."""
    entries = []
    for verb, at, message, comment_id in changes:
        value = {
            "item": "comment",
            "verb": verb,
            "comment_id": comment_id,
            "post_id": POST,
            "parent_id": POST,
        }
        if verb != "remove":
            value.update({"from": {"id": "7281930456123", "name": "Jane Tenant"}, "message": message})
            value["created_time"] = T
        entries.append({"id": DEMO_PAGE_ID, "time": at, "changes": [{"field": "feed", "value": value}]})
    return json.dumps({"object": "page", "entry": entries}).encode()


@pytest.fixture
def channel(meta_settings):
    return ChannelFactory(platform="facebook", account_id=DEMO_PAGE_ID, connected=True)


def test_a_remove_that_arrives_before_its_add_still_wins(client, channel):
    result = deliver(client, body(("remove", T + 5, None, "c1")))
    assert result.result["deleted"] == 0  # nothing stored yet: a tombstone is kept instead
    assert ItemEventMark.objects.get(platform_id="c1").removed_at is not None

    late_add = deliver(client, body(("add", T, "Still no repair at Flat 4", "c1")))
    assert late_add.result["tombstoned"] == 1
    assert not Item.objects.filter(platform_id="c1").exists()  # never shown as visible


def test_a_replayed_add_never_brings_a_deleted_comment_back(client, channel):
    deliver(client, body(("add", T, "Still no repair at Flat 4", "c2")))
    deliver(client, body(("remove", T + 60, None, "c2")))
    # The same add again, batched with another comment by the platform: a different body, so
    # not the same stored event; its time gives it away.
    replay = deliver(
        client, body(("add", T, "Still no repair at Flat 4", "c2"), ("add", T + 61, "Hello", "c3"))
    )
    assert replay.result["tombstoned"] == 1
    item = Item.objects.get(platform_id="c2")
    assert item.visibility == Visibility.DELETED
    assert item.deleted_on_platform_at is not None
    assert Item.objects.get(platform_id="c3").visibility == Visibility.VISIBLE


def test_an_older_edit_arriving_late_does_not_overwrite_a_newer_one(client, channel):
    deliver(client, body(("add", T, "first words", "c4")))
    deliver(client, body(("edited", T + 20, "newest words", "c4")))
    late = deliver(client, body(("edited", T + 10, "middle words", "c4")))
    assert late.result["stale"] == 1
    assert Item.objects.get(platform_id="c4").text == "newest words"


def test_events_in_one_delivery_are_applied_oldest_first(client, channel):
    # Listed newest first: the remove (T+30) must not be undone by the add (T) listed after it.
    deliver(client, body(("remove", T + 30, None, "c5"), ("add", T, "gone soon", "c5")))
    assert Item.objects.get(platform_id="c5").visibility == Visibility.DELETED


def test_an_older_unhide_does_not_undo_a_newer_hide(client, channel):
    deliver(client, body(("add", T, "hello", "c6")))
    deliver(client, body(("hide", T + 20, "hello", "c6")))
    deliver(client, body(("unhide", T + 10, "hello", "c6")))
    assert Item.objects.get(platform_id="c6").visibility == Visibility.HIDDEN
