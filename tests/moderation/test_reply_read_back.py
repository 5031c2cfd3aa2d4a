"""A reply stuck in "sending" (issue 12 finding) is read back, then confirmed or sent: never twice.

The fake Facebook page over loopback HTTP. "The worker died after the platform took the reply"
is reproduced faithfully: the reply really is posted by the adapter, and the row is left as the
dead worker left it (committed "sending", the platform's answer never recorded).
"""

import datetime as dt

import pytest
from django.utils import timezone

from fakeplatforms import DEMO_IG_USER_ID, DEMO_PAGE_ID
from moderation.errors import ActionNotAvailable
from moderation.models import Action, ActionStatus, Item
from moderation.selectors import item_offered_actions
from moderation.services.actions import action_request
from moderation.services.ingest import channel_poll
from moderation.services.sweep import items_sweep
from moderation.tasks import action_execute
from tests.factories import ChannelFactory, lead

pytestmark = pytest.mark.django_db
TEXT = "Sorry to hear that. Please call us on 0300 123 4567 so we can book the repair."


@pytest.fixture
def comment(fake_platforms, meta_settings):
    channel = ChannelFactory(
        platform="facebook",
        account_id=DEMO_PAGE_ID,
        credentials={"access_token": fake_platforms.page_token()},
    )
    post = fake_platforms.add_post()
    fake_platforms.add_comments(post["id"], 1)
    channel_poll(channel_id=channel.pk)
    return Item.objects.get(channel=channel, kind="comment")


def replies(fake):
    return [e for e in fake.admin("GET", "actions")["log"] if e["action"] == "reply"]


def left_sending(action):
    """As a worker killed after the platform call leaves it: "sending", no response, a while ago."""
    Action.objects.filter(pk=action.pk).update(
        status=ActionStatus.SENDING,
        platform_response={},
        completed_at=None,
        updated_at=timezone.now() - dt.timedelta(minutes=5),
    )


def test_a_reply_the_platform_took_before_the_worker_died_is_confirmed_not_sent_again(
    comment, fake_platforms
):
    action = action_request(item_id=comment.pk, kind="reply", actor=lead(), payload={"text": TEXT})
    action_execute(action.pk)  # the reply reaches the platform ...
    posted = Action.objects.get(pk=action.pk).platform_response["id"]
    left_sending(action)  # ... and the worker dies before recording it

    swept = items_sweep()
    assert action.pk in swept.actions  # the sweep finds the stuck reply by its row state
    action_execute(action.pk)

    action.refresh_from_db()
    assert action.status == ActionStatus.SENT
    assert action.platform_response == {"id": posted, "read_back": True}
    assert len(replies(fake_platforms)) == 1  # exactly once on the platform


def test_a_reply_that_never_reached_the_platform_is_sent_once(comment, fake_platforms):
    action = action_request(item_id=comment.pk, kind="reply", actor=lead(), payload={"text": TEXT})
    left_sending(action)  # the worker died before the call
    action_execute(action.pk)
    action_execute(action.pk)  # a redelivery changes nothing
    action.refresh_from_db()
    assert action.status == ActionStatus.SENT
    assert "read_back" not in action.platform_response
    assert len(replies(fake_platforms)) == 1


def test_an_older_reply_with_the_same_words_is_not_taken_for_this_one(comment, fake_platforms):
    first = action_request(item_id=comment.pk, kind="reply", actor=lead(), payload={"text": TEXT})
    action_execute(first.pk)
    second = action_request(item_id=comment.pk, kind="reply", actor=lead(), payload={"text": TEXT})
    Action.objects.filter(pk=second.pk).update(created_at=timezone.now() + dt.timedelta(minutes=10))
    left_sending(second)
    action_execute(second.pk)
    assert "read_back" not in Action.objects.get(pk=second.pk).platform_response
    assert len(replies(fake_platforms)) == 2


@pytest.fixture
def instagram(fake_platforms, meta_settings):
    """An Instagram channel with one comment on one media, polled in."""
    channel = ChannelFactory(
        platform="instagram",
        account_id=DEMO_IG_USER_ID,
        credentials={"access_token": fake_platforms.page_token()},
    )
    media = fake_platforms.add_post("instagram")
    fake_platforms.add_comments(media["id"], 1, platform="instagram")
    channel_poll(channel_id=channel.pk)
    return channel


@pytest.mark.parametrize("kind", ["comment", "post"])
def test_an_instagram_reply_the_platform_took_is_read_back_not_sent_again(instagram, fake_platforms, kind):
    """Instagram replies under a comment (/replies) or on the media (/comments); both are read back."""
    target = Item.objects.get(channel=instagram, kind=kind)
    action = action_request(item_id=target.pk, kind="reply", actor=lead(), payload={"text": TEXT})
    action_execute(action.pk)  # the reply reaches Instagram ...
    posted = Action.objects.get(pk=action.pk).platform_response["id"]
    left_sending(action)  # ... and the worker dies before recording it
    action_execute(action.pk)

    action.refresh_from_db()
    assert action.status == ActionStatus.SENT
    assert action.platform_response == {"id": posted, "read_back": True}
    assert len(replies(fake_platforms)) == 1


def test_an_instagram_reply_that_never_went_out_is_sent_once(instagram, fake_platforms):
    target = Item.objects.get(channel=instagram, kind="comment")
    action = action_request(item_id=target.pk, kind="reply", actor=lead(), payload={"text": TEXT})
    left_sending(action)  # the worker died before the call
    action_execute(action.pk)
    action.refresh_from_db()
    assert action.status == ActionStatus.SENT
    assert "read_back" not in action.platform_response
    assert len(replies(fake_platforms)) == 1


def test_a_reply_to_an_instagram_reply_is_not_offered_and_is_refused_up_front(instagram, fake_platforms):
    """Instagram refuses replies to replies ("Replies can only be made to top-level comments"): the
    item page offers no Reply, and a reply asked for anyway says why and sends nothing."""
    comment = Item.objects.get(channel=instagram, kind="comment")
    media = Item.objects.get(channel=instagram, kind="post")
    fake_platforms.add_comments(media.platform_id, 1, platform="instagram", parent_id=comment.platform_id)
    channel_poll(channel_id=instagram.pk)
    target = Item.objects.get(channel=instagram, kind="reply")
    officer = lead()
    assert "reply" in item_offered_actions(item=comment, user=officer)
    assert "reply" not in item_offered_actions(item=target, user=officer)
    assert {"hide", "delete"} <= item_offered_actions(item=target, user=officer)
    with pytest.raises(ActionNotAvailable, match="Instagram cannot reply to a reply"):
        action_request(item_id=target.pk, kind="reply", actor=officer, payload={"text": TEXT})
    assert replies(fake_platforms) == []
