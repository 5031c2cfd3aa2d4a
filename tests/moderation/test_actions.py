"""Outbound actions reach the fake platform once, however often the task runs."""

import pytest
from django.contrib.auth.models import Permission

from fakeplatforms import DEMO_IG_USER_ID, DEMO_PAGE_ID, DEMO_USER_ID
from moderation.errors import ActionNotAvailable, NotPermitted
from moderation.models import ActionStatus, AuthorRestriction, Item, Visibility
from moderation.services.actions import action_request
from moderation.services.ingest import channel_poll
from moderation.tasks import action_execute
from tests.factories import ChannelFactory, UserFactory, lead

pytestmark = pytest.mark.django_db


@pytest.fixture
def polled(fake_platforms, meta_settings):
    post = fake_platforms.add_post()
    fake_platforms.add_comments(post["id"], 3)
    token = fake_platforms.page_token()
    channel = ChannelFactory(
        platform="facebook", account_id=DEMO_PAGE_ID, credentials={"access_token": token}
    )
    channel_poll(channel_id=channel.pk)
    return channel, list(Item.objects.filter(channel=channel, kind="comment").order_by("platform_id"))


def log(fake, action):
    return [e for e in fake.admin("GET", "actions")["log"] if e["action"] == action]


@pytest.mark.parametrize("kind", ["hide", "delete"])
def test_hide_and_delete_reach_the_platform_once(
    fake_platforms, polled, django_capture_on_commit_callbacks, kind
):
    _, (item, *_) = polled
    officer = lead()
    with django_capture_on_commit_callbacks() as callbacks:
        action = action_request(item_id=item.pk, kind=kind, actor=officer)
    assert [cb.args for cb in callbacks] == [(action.pk,)]
    action_execute(action.pk)
    action_execute(action.pk)  # a redelivered task changes nothing
    action.refresh_from_db()
    item.refresh_from_db()
    assert action.status == ActionStatus.SENT
    assert len(log(fake_platforms, kind)) == 1
    assert item.visibility == (Visibility.HIDDEN if kind == "hide" else Visibility.DELETED)


def test_double_request_collapses_into_one_action(polled):
    _, (item, *_) = polled
    first = action_request(item_id=item.pk, kind="hide", actor=None)
    second = action_request(item_id=item.pk, kind="hide", actor=None)
    assert first.pk == second.pk
    keyed = action_request(item_id=item.pk, kind="delete", actor=None, idempotency_key="k1")
    assert action_request(item_id=item.pk, kind="delete", actor=None, idempotency_key="k1").pk == keyed.pk


def test_delete_of_a_comment_already_gone_counts_as_done(fake_platforms, polled):
    _, (item, *_) = polled
    fake_platforms.admin("POST", f"comments/{item.platform_id}/delete")  # the author deleted it
    action = action_request(item_id=item.pk, kind="delete", actor=None)
    action_execute(action.pk)
    action.refresh_from_db()
    assert action.status == ActionStatus.SENT


def test_reply_is_posted_once_and_an_interrupted_send_is_read_back_then_sent(fake_platforms, polled):
    _, (first, second, _) = polled
    action = action_request(item_id=first.pk, kind="reply", actor=None, payload={"text": "Please DM us"})
    action_execute(action.pk)
    action_execute(action.pk)
    action.refresh_from_db()
    assert action.status == ActionStatus.SENT
    assert [r["message"] for r in log(fake_platforms, "reply")] == ["Please DM us"]
    assert action.platform_response["id"] == log(fake_platforms, "reply")[0]["id"]

    retry = action_request(item_id=second.pk, kind="reply", actor=None, payload={"text": "Thanks"})
    fake_platforms.fail_next({"kind": "503"})
    action_execute(retry.pk)  # schedules its own retry
    retry.refresh_from_db()
    assert retry.status == ActionStatus.SENDING  # we cannot know whether it went out
    action_execute(retry.pk)  # the Celery retry reads the platform back: not there, so it sends
    retry.refresh_from_db()
    assert retry.status == ActionStatus.SENT
    assert [r["message"] for r in log(fake_platforms, "reply")] == ["Please DM us", "Thanks"]
    action_execute(retry.pk)
    assert (
        len(log(fake_platforms, "reply")) == 2
    )  # never posted twice (tests/moderation/test_reply_read_back.py)


def test_rate_limited_reply_goes_back_to_pending_and_is_sent_on_retry(fake_platforms, polled):
    _, (item, *_) = polled
    action = action_request(item_id=item.pk, kind="reply", actor=None, payload={"text": "Hello"})
    fake_platforms.fail_next({"kind": "rate_limit", "id": DEMO_PAGE_ID, "regain_minutes": 0})
    action_execute(action.pk)
    action.refresh_from_db()
    assert action.status == ActionStatus.PENDING
    assert "too many calls" in action.error
    action_execute(action.pk)
    action.refresh_from_db()
    assert action.status == ActionStatus.SENT
    assert len(log(fake_platforms, "reply")) == 1


def test_ban_on_facebook_reaches_blocked_list(fake_platforms, polled):
    channel, (item, *_) = polled
    action = action_request(item_id=item.pk, kind="block", actor=lead())
    action_execute(action.pk)
    action_execute(action.pk)
    assert fake_platforms.admin("GET", "actions")["blocked"][DEMO_PAGE_ID] == [item.author.platform_user_id]
    assert len(log(fake_platforms, "block")) == 1
    assert AuthorRestriction.objects.filter(author=item.author, channel=channel, lifted_at=None).count() == 1


def test_instagram_ban_is_not_offered(fake_platforms, meta_settings):
    token = fake_platforms.world.issue_token(
        kind="page", user_id=DEMO_USER_ID, page_id=DEMO_PAGE_ID, lifetime=None
    )
    channel = ChannelFactory(
        platform="instagram", account_id=DEMO_IG_USER_ID, credentials={"access_token": token}
    )
    media = fake_platforms.add_post("instagram")
    fake_platforms.add_comments(media["id"], 1, platform="instagram")
    channel_poll(channel_id=channel.pk)
    item = Item.objects.get(channel=channel, kind="comment")
    with pytest.raises(ActionNotAvailable):
        action_request(item_id=item.pk, kind="block", actor=None)
    hide = action_request(item_id=item.pk, kind="hide", actor=None)
    action_execute(hide.pk)
    assert fake_platforms.admin("GET", "actions")["hidden"] == [item.platform_id]


def test_permissions_are_checked_per_kind(polled):
    _, (item, *_) = polled
    nobody = UserFactory()
    with pytest.raises(NotPermitted):
        action_request(item_id=item.pk, kind="hide", actor=nobody)
    nobody.user_permissions.add(Permission.objects.get(codename="hide_item"))
    nobody = type(nobody).objects.get(pk=nobody.pk)  # drop the permission cache
    assert action_request(item_id=item.pk, kind="hide", actor=nobody).requested_by == nobody
    with pytest.raises(NotPermitted):
        action_request(item_id=item.pk, kind="delete", actor=nobody)
