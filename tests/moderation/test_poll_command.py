"""`manage.py poll` without --once waits as the beat's fan-out would (issue 12): the same schedule,
from the same function (selectors.channel_schedules), not the channel's normal interval."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from moderation.channels.base import ChannelUnavailable
from moderation.channels.fake import FakeChannel
from moderation.management.commands import poll as command
from moderation.models import Channel
from moderation.poll_intervals import BACKOFF_FIRST
from moderation.selectors import channel_schedules
from moderation.services.ingest import polling
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db

WEDNESDAY_10AM = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)  # in office hours (Europe/London)
WEDNESDAY_10PM = dt.datetime(2026, 11, 25, 22, 0, tzinfo=dt.UTC)  # outside them


class Stop(Exception):
    pass


def waits_after_one_poll(monkeypatch, channel, adapter):
    """Run the loop until its first wait; return the seconds it chose to wait."""
    waited: list[float] = []

    def first_wait_ends(_self, seconds):
        waited.append(seconds)
        raise Stop

    monkeypatch.setattr(polling, "channel_adapter", lambda _channel: adapter)
    monkeypatch.setattr(command.Command, "pause", first_wait_ends)
    with pytest.raises(Stop):
        call_command("poll", "--channel", str(channel.pk))
    (seconds,) = waited
    return seconds


def fake_channel(account_id):
    channel = ChannelFactory(
        platform="facebook",
        account_id=account_id,
        credentials={"access_token": "t"},
        poll_interval=300,
        busy_poll_interval=60,
        night_poll_interval=900,
    )
    return channel, FakeChannel(account_id=account_id)


@time_machine.travel(WEDNESDAY_10AM, tick=False)
def test_the_loop_polls_a_busy_thread_at_the_busy_interval(monkeypatch, capsys):
    channel, adapter = fake_channel("loop-busy")
    for n in range(6):  # 5 or more new comments in 15 minutes: busy
        adapter.add_comment(f"comment {n}")
    seconds = waits_after_one_poll(monkeypatch, channel, adapter)
    polled = Channel.objects.get(pk=channel.pk)
    (schedule,) = channel_schedules([polled], now=polled.last_polled_at).values()
    assert seconds == schedule.plan.seconds == 60  # not the normal 300
    assert "Next poll in 60 s: Busy: 6 new comments in the last 15 minutes." in capsys.readouterr().out


@time_machine.travel(WEDNESDAY_10PM, tick=False)
def test_the_loop_waits_for_the_night_interval(monkeypatch):
    channel, adapter = fake_channel("loop-night")
    adapter.add_comment("one quiet comment")
    assert waits_after_one_poll(monkeypatch, channel, adapter) == 900


@time_machine.travel(WEDNESDAY_10AM, tick=False)
def test_the_loop_backs_off_after_a_failed_poll(monkeypatch, capsys):
    channel, adapter = fake_channel("loop-failing")
    adapter.raise_next(ChannelUnavailable("Facebook answered HTTP 503; will retry."))
    assert waits_after_one_poll(monkeypatch, channel, adapter) == BACKOFF_FIRST
    assert "Backing off after the last poll failed" in capsys.readouterr().out


@time_machine.travel(WEDNESDAY_10AM, tick=False)
def test_the_loop_waits_out_a_rate_limit(monkeypatch):
    channel, adapter = fake_channel("loop-limited")
    limited_until = WEDNESDAY_10AM + dt.timedelta(minutes=20)
    Channel.objects.filter(pk=channel.pk).update(rate_limited_until=limited_until)
    assert waits_after_one_poll(monkeypatch, channel, adapter) == 20 * 60
