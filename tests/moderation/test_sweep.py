"""Beat jobs: the poll fan-out and the sweeper that repairs lost messages."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from moderation.services.ingest import channels_poll_due
from moderation.services.sweep import items_sweep
from moderation.tasks import action_execute, channel_poll, item_classify
from tests.factories import ActionFactory, ChannelFactory, ItemFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)


@time_machine.travel(NOW, tick=False)
def test_poll_fan_out_picks_connected_healthy_channels_whose_interval_passed(
    django_capture_on_commit_callbacks,
):
    due = ChannelFactory(credentials={"page_token": "t"}, last_polled_at=NOW - dt.timedelta(seconds=301))
    never = ChannelFactory(credentials={"page_token": "t"}, last_polled_at=None)
    ChannelFactory(credentials={"page_token": "t"}, last_polled_at=NOW - dt.timedelta(seconds=60))  # too soon
    ChannelFactory(credentials={})  # not connected
    ChannelFactory(credentials={"page_token": "t"}, enabled=False)
    ChannelFactory(credentials={"page_token": "t"}, health="needs_reconnect")
    ChannelFactory(credentials={"page_token": "t"}, rate_limited_until=NOW + dt.timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ids = channels_poll_due()
    assert sorted(ids) == sorted([due.pk, never.pk])
    assert sorted(cb.args[0] for cb in callbacks) == sorted(ids)
    assert {cb.func for cb in callbacks} == {channel_poll.delay}


def test_sweeper_re_enqueues_only_what_is_stuck(django_capture_on_commit_callbacks):
    long_ago = timezone.now() - dt.timedelta(minutes=30)
    stuck = ItemFactory(received_at=long_ago)
    ItemFactory()  # just arrived: its own message is still on the way
    ItemFactory(received_at=long_ago, classified_at=timezone.now())
    ItemFactory(received_at=long_ago, kind="post")  # our own posts are never classified
    pending = ActionFactory()
    ActionFactory(status="confirmed")
    type(pending).objects.filter(pk=pending.pk).update(updated_at=long_ago)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = items_sweep()
    assert result.items == [stuck.pk]
    assert result.actions == [pending.pk]
    assert [(cb.func, cb.args) for cb in callbacks] == [
        (item_classify.delay, (stuck.pk,)),
        (action_execute.delay, (pending.pk,)),
    ]
