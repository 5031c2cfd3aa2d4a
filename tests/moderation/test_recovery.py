"""Lost messages (issue 12 finding): the 30 s sweep re-enqueues by row state within a minute, and a
per-channel lock keeps two polls of one channel from overlapping."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from moderation.models import ActionStatus, Channel
from moderation.schedule import SCHEDULE
from moderation.services.ingest.polling import PollLock, channel_poll
from moderation.services.sweep import items_sweep
from tests.factories import ActionFactory, ChannelFactory

pytestmark = pytest.mark.django_db


def ago(seconds):
    return timezone.now() - dt.timedelta(seconds=seconds)


def test_the_sweep_runs_every_30_seconds():
    (sweep,) = [p for p in SCHEDULE if p.task == "moderation.tasks.items_sweep"]
    assert sweep.every_seconds == 30


def test_a_poll_killed_mid_sweep_is_resumed_by_the_sweep_not_at_the_next_interval():
    mid = ChannelFactory(
        credentials={"access_token": "t"},
        cursor={"sweep_started_at": ago(90).isoformat(), "adapter": {"p": 1}},
    )
    Channel.objects.filter(pk=mid.pk).update(last_polled_at=ago(90), poll_interval=300)
    ChannelFactory(
        credentials={"access_token": "t"}, cursor={"adapter": {"since": "9"}}, last_polled_at=ago(90)
    )
    busy = ChannelFactory(credentials={"access_token": "t"}, cursor={"sweep_started_at": "x"})
    Channel.objects.filter(pk=busy.pk).update(last_polled_at=ago(10))  # still polling
    assert items_sweep().polls == [mid.pk]


def test_lost_action_messages_are_resent_after_a_minute_but_scheduled_retries_keep_their_backoff():
    lost = ActionFactory()
    retrying = ActionFactory(attempts=3)  # its next try is 2 minutes after the last (a countdown)
    stuck_reply = ActionFactory(kind="reply", status=ActionStatus.SENDING, attempts=1, payload={"text": "Hi"})
    fresh = ActionFactory()
    for action, seconds in ((lost, 61), (retrying, 90), (stuck_reply, 95), (fresh, 5)):
        type(action).objects.filter(pk=action.pk).update(updated_at=ago(seconds))
    assert sorted(items_sweep().actions) == sorted([lost.pk, stuck_reply.pk])


def test_two_polls_of_one_channel_never_overlap():
    channel = ChannelFactory(credentials={"access_token": "t"})
    held = PollLock(channel.pk)
    assert held.acquire()
    result = channel_poll(channel_id=channel.pk)
    assert (result.status, result.message) == ("skipped", "Another poll of this channel is running.")
    assert Channel.objects.get(pk=channel.pk).last_polled_at is None  # it did nothing
    held.release()
    assert cache.get(held.key) is None
    other = PollLock(channel.pk)
    assert other.acquire()
    held.release()  # an old holder's release never drops a lock someone else holds now
    assert cache.get(other.key) == other.token
