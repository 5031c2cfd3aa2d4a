"""Real Graph API shapes (tests/fixtures/meta/) served by the fake server over loopback HTTP.

Each fixture is a shape real responses take and the adapters once mishandled (issue 7):
comments without ids, attachments, time-based paging, username-only authors, tagged media,
error bodies the code alone misreads, and older or richer webhook payloads.
"""

import json
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from django.urls import reverse
from django.utils import timezone

from fakeplatforms import DEMO_IG_USER_ID, DEMO_PAGE_ID
from moderation.channels.base import (
    SweepFailure,
)
from moderation.models import ActionStatus, Item, Visibility
from moderation.services.actions import action_request
from moderation.services.ingest import channel_poll
from moderation.services.ingest.polling import (
    RECENT_FAILURES_KEPT,
    SWEEP_PARTS,
    failures_cleared,
    failures_recorded,
)
from moderation.tasks import action_execute, item_classify
from tests.factories import ChannelFactory, lead, officer
from tests.webhook_helpers import deliver, process_events

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "meta"


def fixture(name):
    return json.loads((FIXTURES / name).read_text())


def replay(fake, path, name, *, platform="facebook", method="GET", status=200):
    body = fixture(name)
    fake.admin(
        "POST",
        "replays",
        {"replays": [{"platform": platform, "method": method, "path": path, "status": status, "body": body}]},
    )


def replayed(fake):
    return fake.admin("POST", "replays", {"replays": []})["replayed"]


@pytest.fixture
def fb(fake_platforms, meta_settings, db):
    return ChannelFactory(
        platform="facebook",
        account_id=DEMO_PAGE_ID,
        credentials={"access_token": fake_platforms.page_token()},
    )


@pytest.fixture
def ig(fake_platforms, meta_settings, db):
    return ChannelFactory(
        platform="instagram",
        account_id=DEMO_IG_USER_ID,
        credentials={"access_token": fake_platforms.page_token()},
    )


# -- listings ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_comments_without_id_are_recovered_from_permalink_and_nothing_is_inferred_deleted(fake_platforms, fb):
    post = fake_platforms.add_post()
    number = post["id"].rsplit("_", 1)[-1]
    [kept] = fake_platforms.add_comments(post["id"], 1)
    channel_poll(channel_id=fb.pk)  # the comment is stored
    replay(fake_platforms, f"{post['id']}/comments", "fb_comments_missing_ids.json")  # it is not listed now
    result = channel_poll(channel_id=fb.pk)
    stored = dict(Item.objects.filter(channel=fb).values_list("platform_id", "text"))
    assert stored[f"{number}_9001"].startswith("Three weeks")  # from comment_id=
    assert stored[f"{number}_9002"] == "Same here on Mill Lane"  # from reply_comment_id=
    assert stored["5647382910_9004"] == "This one has its id"
    assert result.skipped_entries == 1  # neither id nor permalink
    # The listing skipped an entry, so the post is not taken as fully listed: nothing deleted.
    assert result.deleted == 0
    assert Item.objects.get(channel=fb, platform_id=kept).visibility == Visibility.VISIBLE


@pytest.mark.django_db
def test_a_sweep_with_one_failing_post_reads_the_others_and_deletes_nothing(fake_platforms, fb):
    first, second = fake_platforms.add_post(text="one"), fake_platforms.add_post(text="two")
    [under_first] = fake_platforms.add_comments(first["id"], 1)
    channel_poll(channel_id=fb.pk)
    [under_second] = fake_platforms.add_comments(second["id"], 1)
    replay(fake_platforms, f"{first['id']}/comments", "error_2_transient.json", status=500)
    result = channel_poll(channel_id=fb.pk)
    assert result.status == "ok"
    assert Item.objects.filter(channel=fb, platform_id=under_second).exists()  # the post after it was read
    assert Item.objects.get(channel=fb, platform_id=under_first).visibility == Visibility.VISIBLE
    assert result.deleted == 0
    fb.refresh_from_db()
    assert f"comments of {first['id']} failed" in fb.last_error  # recorded on the channel
    [failure] = fb.recent_failures  # and kept, structured, for the channel page
    assert (failure["part"], failure["platform_id"], failure["error"]) == (
        "comments",
        first["id"],
        "ChannelUnavailable",
    )
    assert failure["at"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("platform", "body", "status", "error"),
    [
        ("facebook", "error_2_transient.json", 500, "ChannelUnavailable"),
        ("facebook", "error_100_named_permission.json", 400, "ChannelPermissionError"),
        ("instagram", "error_2_transient.json", 500, "ChannelUnavailable"),
        ("instagram", "error_100_named_permission.json", 400, "ChannelPermissionError"),
    ],
)
def test_a_failing_mentions_listing_is_recorded_and_the_sweep_reads_the_comments(
    client, fake_platforms, meta_settings, platform, body, status, error
):
    """/{page}/tagged or /{ig-user}/tags failing once stopped the whole poll (issue 7)."""
    account = DEMO_PAGE_ID if platform == "facebook" else DEMO_IG_USER_ID
    channel = ChannelFactory(
        platform=platform, account_id=account, credentials={"access_token": fake_platforms.page_token()}
    )
    root = fake_platforms.add_post(platform)
    [comment] = fake_platforms.add_comments(root["id"], 1, platform=platform)
    edge = "tagged" if platform == "facebook" else "tags"
    replay(fake_platforms, f"{account}/{edge}", body, platform=platform, status=status)
    result = channel_poll(channel_id=channel.pk)
    assert result.status == "ok"
    assert [f"{account}/{edge}"] == [r["path"] for r in replayed(fake_platforms)]  # it did fail
    assert Item.objects.filter(channel=channel, platform_id=comment).exists()  # the comments were read
    assert Item.objects.filter(channel=channel, deleted_on_platform_at__isnull=False).count() == 0
    channel.refresh_from_db()
    assert channel.health == "ok"
    [failure] = channel.recent_failures
    assert (failure["part"], failure["platform_id"], failure["error"]) == ("mentions", account, error)
    assert failure["count"] == 1

    replay(fake_platforms, f"{account}/{edge}", body, platform=platform, status=status)
    channel_poll(channel_id=channel.pk)  # fails again: the same entry counts it, kept since the first
    channel.refresh_from_db()
    [again] = channel.recent_failures
    assert (again["count"], again["first_at"]) == (2, failure["at"])
    assert again["at"] > failure["at"]
    client.force_login(lead())
    page = client.get(reverse("moderation:channel-detail", args=[channel.pk])).content.decode()
    assert "Parts of recent polls that failed" in page
    assert f"Mentions listing of {account}</td><td>2</td>" in page
    assert error in page
    overview = client.get(reverse("moderation:failures")).content.decode()
    assert f"mentions of {account} ({error}, 2 times since" in overview

    channel_poll(channel_id=channel.pk)  # the listing answers again: the entry is cleared
    channel.refresh_from_db()
    assert channel.recent_failures == []
    page = client.get(reverse("moderation:channel-detail", args=[channel.pk])).content.decode()
    assert "Parts of recent polls that failed" not in page
    overview = client.get(reverse("moderation:failures")).content.decode()
    assert reverse("moderation:channel-detail", args=[channel.pk]) not in overview


@pytest.mark.django_db
def test_recent_failures_keep_the_newest_few():
    now = timezone.now()
    failures = [
        SweepFailure(part="comments", platform_id=str(i), error="ChannelUnavailable", message="x")
        for i in range(30)
    ]
    recorded = failures_recorded([], failures[:5], now=now)
    recorded = failures_recorded(recorded, failures[5:], now=now)
    assert len(recorded) == RECENT_FAILURES_KEPT
    assert [r["platform_id"] for r in recorded[:2]] == ["5", "6"]  # the newest batch first
    assert failures_recorded(recorded, [], now=now) == recorded


def test_a_part_that_fails_again_is_counted_on_its_entry_and_cleared_once_a_sweep_reads_it():
    first, later = timezone.now(), timezone.now() + timedelta(minutes=5)
    post = SweepFailure(part="comments", platform_id="p1", error="ChannelUnavailable", message="x")
    other = SweepFailure(part="comments", platform_id="p2", error="ChannelUnavailable", message="y")
    webhook = SweepFailure(part="webhook", platform_id="", error="OperationalError", message="z")
    recorded = failures_recorded([], [post, webhook], now=first)
    recorded = failures_recorded(recorded, [other, post], now=later)
    assert [(r["platform_id"], r["count"]) for r in recorded] == [("p2", 1), ("p1", 2), ("", 1)]
    assert recorded[1]["first_at"] == first.isoformat()
    assert recorded[1]["at"] == later.isoformat()
    # A sweep that began between the two failures and finished: p1 and p2 failed in it, so stay;
    # one that began after them: both were read since, so both go. Webhook entries are not a sweep's.
    between = first + timedelta(minutes=1)
    assert len(failures_cleared(recorded, since=between, parts=SWEEP_PARTS)) == 3
    after = later + timedelta(minutes=1)
    assert [r["part"] for r in failures_cleared(recorded, since=after, parts=SWEEP_PARTS)] == ["webhook"]


@pytest.mark.django_db
def test_an_item_missing_from_a_full_listing_is_deleted_only_when_a_direct_read_says_so(fake_platforms, fb):
    post = fake_platforms.add_post()
    gone, hidden_from_listing = fake_platforms.add_comments(post["id"], 2)
    channel_poll(channel_id=fb.pk)
    fake_platforms.admin("POST", f"comments/{gone}/delete")
    replay(fake_platforms, f"{post['id']}/comments", "fb_comments_time_paging_2.json")  # lists neither
    result = channel_poll(channel_id=fb.pk)
    assert result.deleted == 1
    assert Item.objects.get(platform_id=gone).visibility == Visibility.DELETED
    assert (
        Item.objects.get(platform_id=hidden_from_listing).visibility == Visibility.VISIBLE
    )  # it still exists


@pytest.mark.django_db
def test_attachments_fill_media_urls_and_a_photo_on_abuse_gets_the_image_review_flag(fake_platforms, fb):
    post = fake_platforms.add_post()
    replay(fake_platforms, f"{post['id']}/comments", "fb_comments_attachments.json")
    channel_poll(channel_id=fb.pk)
    media = dict(Item.objects.filter(channel=fb, kind="comment").values_list("platform_id", "media_urls"))
    assert media["5647382910_9101"] == ["https://scontent.example.invalid/v/stairwell.jpg"]
    assert media["5647382910_9102"] == ["https://scontent.example.invalid/v/sticker.png"]
    assert media["5647382910_9103"] == ["https://www.facebook.com/watch/?v=9103"]
    photo = Item.objects.get(platform_id="5647382910_9101")
    item_classify(photo.pk)
    assert "inappropriate_image" in set(photo.flags.values_list("category", flat=True))


@pytest.mark.django_db
def test_listings_paged_by_time_are_followed_without_leaking_the_token(fake_platforms, fb):
    post = fake_platforms.add_post()
    path = f"{post['id']}/comments"
    replay(fake_platforms, path, "fb_comments_time_paging_1.json")
    replay(fake_platforms, path, "fb_comments_time_paging_2.json")
    channel_poll(channel_id=fb.pk)
    texts = set(Item.objects.filter(channel=fb, kind="comment").values_list("text", flat=True))
    assert texts == {"First page", "Second page"}
    second = [r for r in replayed(fake_platforms) if r["path"] == path][1]
    assert (second["query"]["until"], second["query"]["__paging_token"]) == ("1763798399", "enc_AdC")
    assert "access_token" not in second["query"]  # the one echoed in paging.next is dropped


@pytest.mark.django_db
def test_instagram_comments_with_only_a_username_keep_their_author(fake_platforms, ig):
    media = fake_platforms.add_post("instagram")
    replay(fake_platforms, f"{media['id']}/comments", "ig_comments_username_only.json", platform="instagram")
    channel_poll(channel_id=ig.pk)
    item = Item.objects.select_related("author").get(platform_id="17858893269000001")
    assert (item.author.platform_user_id, item.author.handle) == ("@tenant.ruth", "tenant.ruth")


@pytest.mark.django_db
def test_instagram_media_the_account_is_tagged_in_are_read_as_mentions(fake_platforms, ig):
    replay(fake_platforms, f"{DEMO_IG_USER_ID}/tags", "ig_tags.json", platform="instagram")
    channel_poll(channel_id=ig.pk)
    item = Item.objects.select_related("author").get(platform_id="17900000099000001")
    assert (item.kind, item.author.handle) == ("mention", "mill.lane.residents")
    assert item.media_urls == ["https://scontent.cdninstagram.example.invalid/v/flood.jpg"]


# -- error bodies (how each maps, for both adapters: tests/channels/test_contract.py) -------------
@pytest.mark.django_db
def test_is_transient_false_fails_an_action_at_once_instead_of_retrying(fake_platforms, fb):
    post = fake_platforms.add_post()
    [comment] = fake_platforms.add_comments(post["id"], 1)
    channel_poll(channel_id=fb.pk)
    item = Item.objects.get(platform_id=comment)
    action = action_request(item_id=item.pk, kind="hide", actor=None)
    replay(fake_platforms, comment, "error_1_not_transient.json", method="POST", status=400)
    action_execute(action.pk)
    action.refresh_from_db()
    assert (action.status, action.attempts) == (ActionStatus.FAILED, 1)
    assert "An unknown error has occurred" in action.error


# -- webhooks ------------------------------------------------------------------------------
def send(client, fake, name):
    """Have the fake server send a fixture payload, signed, and post it to /webhooks/<platform>/."""
    fake.capture_webhooks()
    fake.admin("POST", "webhooks", {"payload": fixture(name)})
    [(platform, body)] = fake.webhook_deliveries()
    headers = fake.app.webhooks.headers(body)
    return deliver(client, body, platform=platform, signature=headers["X-Hub-Signature-256"])


@pytest.mark.django_db
def test_older_feed_webhooks_name_the_author_with_sender_fields(client, fake_platforms, fb):
    send(client, fake_platforms, "webhook_feed_sender_fields.json")
    item = Item.objects.select_related("author").get(platform_id="5647382910_9301")
    assert (item.author.platform_user_id, item.author.display_name) == ("7281930000031", "Old Format")


@pytest.mark.django_db
def test_a_photo_webhook_keeps_its_photo_and_takes_the_entry_time(client, fake_platforms, fb):
    send(client, fake_platforms, "webhook_feed_photo.json")
    item = Item.objects.get(platform_id="5647382910_9401")
    assert item.media_urls == ["https://scontent.example.invalid/v/damp.jpg"]
    assert item.created_on_platform.timestamp() == 1763989200  # no created_time: the entry's time


@pytest.mark.django_db
def test_a_mention_that_cannot_be_read_is_stored_from_what_its_event_carried(client, fake_platforms, fb):
    fake_platforms.world.fail_rate = 1.0  # the follow-up read keeps failing
    event = send(client, fake_platforms, "webhook_mention_with_message.json")
    assert (event.status, event.result["failed"]) == ("pending", 1)
    assert not Item.objects.filter(channel=fb).exists()  # a retry may still read it in full
    for _ in range(4):
        [event] = process_events()  # the scheduled retries
    assert (event.status, event.attempts) == ("failed", 5)
    item = Item.objects.select_related("author").get(platform_id="7281930000051_880009501")
    assert (item.kind, item.text) == (
        "mention",
        "Havebury Housing Partnership still has not answered my complaint",
    )
    assert item.author.display_name == "Tagging Tenant"
    assert item.created_on_platform.timestamp() == 1763992799


@pytest.mark.django_db
def test_the_demo_week_has_a_photo_comment_that_gets_the_image_review(client, fake_platforms, meta_settings):
    """Tried as a new user would: the demo's photo comment shows its photo and is sent for image review."""
    fake_platforms.app.seed("demo")  # a fresh world: tokens are issued after it
    fb = ChannelFactory(
        platform="facebook",
        account_id=DEMO_PAGE_ID,
        credentials={"access_token": fake_platforms.page_token()},
    )
    channel_poll(channel_id=fb.pk)
    [photo] = Item.objects.filter(channel=fb).exclude(media_urls=[])
    assert photo.media_urls == [f"{fake_platforms.base_url}/_media/stairwell.png"]
    served = requests.get(photo.media_urls[0], timeout=5)
    assert (served.status_code, served.headers["Content-Type"]) == (200, "image/png")
    assert served.content.startswith(b"\x89PNG")
    # Behind a click, through the allowlisted fetch (the demo allowlists its fake server, as rundemo does).
    meta_settings.MEDIA_FETCH_ALLOWED_HOSTS, meta_settings.MEDIA_FETCH_ALLOW_PRIVATE = ["127.0.0.1"], True
    client.force_login(officer())
    shown = client.get(reverse("moderation:item-media", args=[photo.pk, 0]))
    assert (shown.status_code, shown["Content-Type"]) == (200, "image/png")
    assert shown.content == served.content
    item_classify(photo.pk)
    assert {"harassment", "inappropriate_image"} <= set(photo.flags.values_list("category", flat=True))
