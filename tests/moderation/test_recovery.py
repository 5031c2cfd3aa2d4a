"""Lost messages (issue 12 finding): the 30 s sweep re-enqueues by row state within a minute, and a
per-channel lock keeps two polls of one channel from overlapping."""

import datetime as dt
import threading
import time

import pytest
from django.core.cache import cache
from django.utils import timezone

from moderation.channels.fake import FakeChannel
from moderation.models import ActionStatus, Channel
from moderation.schedule import SCHEDULE
from moderation.services.ingest import polling
from moderation.services.ingest.polling import (
    POLL_LOCK_RENEW_SECONDS,
    POLL_LOCK_SECONDS,
    PollLock,
    channel_poll,
)
from moderation.services.sweep import items_sweep
from tests.factories import ActionFactory, ChannelFactory, ItemFactory

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


def lapses(lock: PollLock, *, within: float) -> bool:
    """Whether the lock's key disappears within `within` seconds (a deadline, not a sleep)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if cache.get(lock.key) is None:
            return True
        threading.Event().wait(0.05)
    return False


def test_a_live_polls_heartbeat_keeps_its_lock_past_its_life():
    lock = PollLock(1, seconds=1, renew_every=0.2)
    assert lock.acquire()
    try:
        assert not lapses(lock, within=2.5)  # 2.5 lives: the heartbeat renewed it
        assert lock.held
    finally:
        lock.release()
    assert cache.get(lock.key) is None


def test_a_killed_polls_lock_lapses_within_its_life_and_the_next_poll_takes_it():
    lock = PollLock(1, seconds=1, renew_every=0.2)
    assert lock.acquire()
    lock._stop.set()  # what SIGKILL does to the heartbeat: it stops, and nothing releases the lock
    lock._heartbeat.join()
    assert cache.get(lock.key) == lock.token
    assert lapses(lock, within=3)
    assert PollLock(1).acquire()


def test_the_deployed_lock_lapses_well_inside_the_fan_outs_tick():
    # A killed poll's channel is polled again at the fan-out's first tick after its lock lapses:
    # lock life plus one tick must leave room for the poll itself within issue 12's 60 s.
    (fan_out,) = [p for p in SCHEDULE if p.task == "moderation.tasks.channels_poll_due"]
    assert POLL_LOCK_RENEW_SECONDS * 3 <= POLL_LOCK_SECONDS
    assert POLL_LOCK_SECONDS + fan_out.every_seconds <= 45


def test_a_poll_that_lost_its_lock_to_another_stops_at_its_next_page(monkeypatch):
    channel = ChannelFactory(credentials={"access_token": "t"})
    adapter = FakeChannel(account_id="lock-lost", page_size=2)
    for n in range(6):
        adapter.add_comment(f"comment {n}")
    made: list[PollLock] = []

    class Recorded(PollLock):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    def first_page_then_another_poll_takes_the_lock(*, cursor):
        page = FakeChannel.fetch_page(adapter, cursor=cursor)
        cache.set(made[0].key, "another poll's token", timeout=60)  # ours lapsed (a stall); it took it
        assert made[0].renew() is False  # what the heartbeat finds on its next beat
        return page

    monkeypatch.setattr(polling, "PollLock", Recorded)
    monkeypatch.setattr(polling, "channel_adapter", lambda _channel: adapter)
    monkeypatch.setattr(adapter, "fetch_page", first_page_then_another_poll_takes_the_lock)
    result = channel_poll(channel_id=channel.pk)
    assert result.pages == 1  # the page it had fetched is stored; no further page is read
    assert result.message == "Another poll of this channel took its lock; stopping this one."
    assert cache.get(made[0].key) == "another poll's token"  # the loser does not drop the winner's lock


def test_resuming_a_stopped_sweep_resends_the_classify_messages_its_pages_may_have_lost(
    monkeypatch, django_capture_on_commit_callbacks
):
    # Killed between a page's commit and its classify messages going out: the resumed poll sends
    # them, instead of the sweeper finding the items after its 60 s threshold.
    started = ago(40)
    channel = ChannelFactory(
        credentials={"access_token": "t"},
        cursor={"sweep_started_at": started.isoformat(), "adapter": {"offset": 2}},
    )
    lost = ItemFactory(channel=channel, received_at=ago(30))
    ItemFactory(channel=channel, received_at=ago(30), classified_at=ago(29))
    ItemFactory(channel=channel, received_at=ago(30), classify_attempts=3)  # at the cap: a person's now
    ItemFactory(channel=channel, received_at=ago(90))  # before this sweep: the sweeper's
    ItemFactory(channel=channel, received_at=ago(30), kind="post")
    monkeypatch.setattr(polling, "channel_adapter", lambda _channel: FakeChannel(account_id="resumed"))
    with django_capture_on_commit_callbacks() as callbacks:
        assert channel_poll(channel_id=channel.pk).status == "ok"
    assert [c.args for c in callbacks] == [(lost.pk,)]
    # A sweep that starts afresh sends nothing again.
    with django_capture_on_commit_callbacks() as callbacks:
        channel_poll(channel_id=channel.pk)
    assert callbacks == []
