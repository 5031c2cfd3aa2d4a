"""Ingestion against the fake server: the demo week, re-polls, edits, deletions, limits, expiry."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from fakeplatforms import DEMO_IG_USER_ID, DEMO_PAGE_ID, DEMO_USER_ID
from moderation.channels.base import ChannelUnavailable
from moderation.models import AuditEvent, Author, Channel, ChannelHealth, Item, ItemState, Outcome, Visibility
from moderation.services import transition
from moderation.services.ingest import channel_poll
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db


def connected(fake, platform="facebook"):
    token = fake.world.issue_token(kind="page", user_id=DEMO_USER_ID, page_id=DEMO_PAGE_ID, lifetime=None)
    account = DEMO_PAGE_ID if platform == "facebook" else DEMO_IG_USER_ID
    return ChannelFactory(platform=platform, account_id=account, credentials={"access_token": token})


def live_comments(fake, kind):
    return {
        o["id"] for o in fake.world.data["objects"].values() if o["kind"] == kind and not o.get("deleted")
    }


def test_demo_week_is_stored_exactly_once_and_a_repoll_stores_nothing(
    fake_platforms, meta_settings, django_capture_on_commit_callbacks
):
    fake_platforms.app.seed("demo")
    fb, ig = connected(fake_platforms), connected(fake_platforms, "instagram")
    with django_capture_on_commit_callbacks() as callbacks:
        first = channel_poll(channel_id=fb.pk)
        first_ig = channel_poll(channel_id=ig.pk)
    assert first.status == first_ig.status == "ok"
    fb_ids = set(
        Item.objects.filter(channel=fb, kind__in=["comment", "reply"]).values_list("platform_id", flat=True)
    )
    ig_ids = set(Item.objects.filter(channel=ig).exclude(kind="post").values_list("platform_id", flat=True))
    ig_tagged = set(Item.objects.filter(channel=ig, kind="mention").values_list("platform_id", flat=True))
    mentions = set(Item.objects.filter(channel=fb, kind="mention").values_list("platform_id", flat=True))
    assert fb_ids == live_comments(fake_platforms, "fb_comment")
    # Instagram @mentions come by webhook only; media others tagged it in are listed (/tags).
    assert ig_ids == live_comments(fake_platforms, "ig_comment") | ig_tagged
    assert ig_tagged == live_comments(fake_platforms, "ig_tagged_media")
    assert len(ig_tagged) == 3
    assert mentions == live_comments(fake_platforms, "fb_tagged_post")
    assert len(mentions) == 5
    # one classify per new comment or mention, none for posts
    assert len(callbacks) == len(fb_ids) + len(mentions) + len(ig_ids)
    assert first.total("new") == Item.objects.filter(channel=fb).count()
    replies = Item.objects.filter(channel=fb, kind="reply")
    assert replies.exists()
    assert all(r.parent_id and r.thread_root_id for r in replies)
    posts = Item.objects.filter(channel=fb, kind="post")
    assert set(posts.values_list("state", flat=True)) == {ItemState.RESOLVED}
    assert Item.objects.filter(channel=fb, kind="comment").first().raw["id"]
    fb.refresh_from_db()
    assert (fb.health, fb.cursor) == (ChannelHealth.OK, {})
    for author in Author.objects.filter(platform="facebook"):  # counters follow ingestion
        assert author.item_count == author.items.count()

    with django_capture_on_commit_callbacks() as again:
        second = channel_poll(channel_id=fb.pk)
    assert second.total("new") == second.total("updated") == 0
    assert second.total("unchanged") == first.total("new")
    assert again == []
    assert Item.objects.filter(channel=fb).count() == first.total("new")


def test_edit_reopens_and_reclassifies_deletion_is_marked(
    fake_platforms, meta_settings, django_capture_on_commit_callbacks
):
    post = fake_platforms.add_post()
    first, second, third = fake_platforms.add_comments(post["id"], 3)
    channel = connected(fake_platforms)
    channel_poll(channel_id=channel.pk)
    item = Item.objects.get(platform_id=first)
    transition(item, to=ItemState.RESOLVED, actor=None, outcome=Outcome.DISMISSED)
    fake_platforms.admin("POST", f"comments/{first}/edit", {"text": "Edited to add abuse"})
    fake_platforms.admin("POST", f"comments/{second}/delete")
    with django_capture_on_commit_callbacks() as callbacks:
        result = channel_poll(channel_id=channel.pk)
    item.refresh_from_db()
    assert item.text == "Edited to add abuse"
    assert item.edited_on_platform_at is not None
    assert item.state == ItemState.NEW
    assert [cb.args for cb in callbacks] == [(item.pk,)]
    assert result.counts["comment"] == {"new": 0, "updated": 1, "unchanged": 1}
    assert result.deleted == 1
    gone = Item.objects.get(platform_id=second)
    assert gone.deleted_on_platform_at is not None
    assert gone.visibility == Visibility.DELETED
    assert Item.objects.get(platform_id=third).deleted_on_platform_at is None


def test_rate_limit_keeps_the_committed_page_and_resumes_later(fake_platforms, meta_settings):
    for _ in range(3):
        post = fake_platforms.add_post()
        fake_platforms.add_comments(post["id"], 4)
    channel = connected(fake_platforms)
    # posts page, tagged page, first post's comments, then throttled
    fake_platforms.fail_next(
        {"kind": "none"}, {"kind": "none"}, {"kind": "none"}, {"kind": "rate_limit", "id": DEMO_PAGE_ID}
    )
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        result = channel_poll(channel_id=channel.pk)
        assert result.status == "rate_limited"
        channel.refresh_from_db()
        assert channel.health == ChannelHealth.RATE_LIMITED
        assert channel.rate_limited_until == timezone.now() + timedelta(minutes=5)
        assert channel.cursor["adapter"]["phase"] == "comments"
        assert len(channel.cursor["adapter"]["queue"]) == 2  # one post's comments are stored
        stored = Item.objects.filter(channel=channel).count()
        assert stored == 3 + 4
        assert channel_poll(channel_id=channel.pk).status == "rate_limited"  # no call while limited
        traveller.shift(timedelta(minutes=6))
        result = channel_poll(channel_id=channel.pk)
    assert result.status == "ok"
    assert Item.objects.filter(channel=channel).count() == 3 + 12
    channel.refresh_from_db()
    assert channel.health == ChannelHealth.OK


def test_usage_header_backoff_pauses_the_channel(fake_platforms, meta_settings):
    post = fake_platforms.add_post()
    fake_platforms.add_comments(post["id"], 2)
    channel = connected(fake_platforms)
    fake_platforms.admin("POST", "usage", {"id": DEMO_PAGE_ID, "percent": 95, "regain_minutes": 10})
    result = channel_poll(channel_id=channel.pk)
    assert result.status == "rate_limited"
    assert result.api_calls == 1
    channel.refresh_from_db()
    assert channel.rate_limit_state["percent"] == 95
    assert channel.rate_limited_until > timezone.now() + timedelta(minutes=9)


def test_expired_token_needs_reconnect_and_stops_polling(fake_platforms, meta_settings):
    channel = connected(fake_platforms)
    fake_platforms.admin("POST", "tokens/expire", {})
    result = channel_poll(channel_id=channel.pk)
    assert result.status == "needs_reconnect"
    channel.refresh_from_db()
    assert channel.health == ChannelHealth.NEEDS_RECONNECT
    assert "190" in channel.last_error
    assert AuditEvent.objects.filter(verb="channel.auth_failed", target_id=str(channel.pk)).count() == 1
    calls = fake_platforms.calls()
    assert channel_poll(channel_id=channel.pk).status == "needs_reconnect"
    assert fake_platforms.calls() == calls


def test_server_error_then_success(fake_platforms, meta_settings):
    post = fake_platforms.add_post()
    fake_platforms.add_comments(post["id"], 2)
    channel = connected(fake_platforms)
    fake_platforms.fail_next({"kind": "500"})
    with pytest.raises(ChannelUnavailable):
        channel_poll(channel_id=channel.pk)
    channel.refresh_from_db()
    assert channel.health == ChannelHealth.DEGRADED
    assert channel_poll(channel_id=channel.pk).status == "ok"
    assert Item.objects.filter(channel=channel).count() == 3


def test_unknown_field_kept_in_raw_and_missing_author_tolerated(fake_platforms, meta_settings):
    post = fake_platforms.add_post()
    fake_platforms.add_comments(post["id"], 1)
    channel = connected(fake_platforms)
    # posts, tagged, then the comments page gets the extra field
    fake_platforms.fail_next(
        {"kind": "none"}, {"kind": "none"}, {"kind": "extra_field", "field": "reactions_v9"}
    )
    channel_poll(channel_id=channel.pk)
    item = Item.objects.get(channel=channel, kind="comment")
    assert "reactions_v9" in item.raw
    fake_platforms.fail_next({"kind": "none"}, {"kind": "none"}, {"kind": "drop_field", "field": "from"})
    assert channel_poll(channel_id=channel.pk).status == "ok"
    item.refresh_from_db()
    assert item.author_id is None


def test_poll_command_prints_counts(fake_platforms, meta_settings, capsys):
    post = fake_platforms.add_post()
    fake_platforms.add_comments(post["id"], 5)
    channel = connected(fake_platforms)
    call_command("poll", "--channel", channel.handle, "--once")
    out = capsys.readouterr().out
    assert "(ok)" in out
    assert "comment  new     5  updated     0  unchanged     0" in out
    call_command("poll", "--channel", str(channel.pk), "--once")
    assert "comment  new     0  updated     0  unchanged     5" in capsys.readouterr().out
    assert Channel.objects.get(pk=channel.pk).last_success_at is not None


def test_poll_command_prefers_the_exact_handle_and_names_the_choices():
    ChannelFactory(platform="facebook", handle="HaveburyHousing")
    ChannelFactory(platform="instagram", handle="haveburyhousing")
    with pytest.raises(CommandError, match="2 channels match 'HAVEBURYHOUSING'"):
        call_command("poll", "--channel", "HAVEBURYHOUSING", "--once")
    with pytest.raises(CommandError, match="0 channels match 'nosuch'"):
        call_command("poll", "--channel", "nosuch", "--once")
    # the exact spelling picks one channel: it is not connected, so the poll is skipped, not refused
    call_command("poll", "--channel", "haveburyhousing", "--once")
