"""Adaptive polling in use: the beat's fan-out, failures backing off, what the pages and the API show,
and Leads changing the intervals in the app (issue 12)."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from moderation.channels.base import ChannelUnavailable
from moderation.health import channel_states
from moderation.models import AuditEvent, Channel, ChannelHealth
from moderation.poll_intervals import BACKOFF_FIRST
from moderation.services.ingest import channel_poll, channels_poll_due
from tests.factories import ChannelFactory, ItemFactory, lead, officer
from tests.moderation.test_ingest import connected

pytestmark = pytest.mark.django_db

WEDNESDAY_10AM = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)  # in office hours (Europe/London)
WEDNESDAY_10PM = dt.datetime(2026, 11, 25, 22, 0, tzinfo=dt.UTC)  # outside them


def polled(seconds_ago, now, **kw):
    return ChannelFactory(
        credentials={"page_token": "t"}, last_polled_at=now - dt.timedelta(seconds=seconds_ago), **kw
    )


def comments(channel, n, *, written_ago, now):
    for _ in range(n):
        ItemFactory(channel=channel, created_on_platform=now - written_ago, received_at=now)


def due_ids():
    return set(channels_poll_due())


@time_machine.travel(WEDNESDAY_10AM, tick=False)
def test_a_busy_thread_is_polled_at_the_busy_interval_and_a_quiet_one_is_not():
    now = timezone.now()
    busy, quiet, backfilled = polled(61, now), polled(61, now), polled(61, now)
    comments(busy, 5, written_ago=dt.timedelta(minutes=3), now=now)
    comments(quiet, 4, written_ago=dt.timedelta(minutes=3), now=now)  # one short of busy
    # Stored just now but written a week ago (a backfill): not a busy thread.
    comments(backfilled, 30, written_ago=dt.timedelta(days=7), now=now)
    assert due_ids() == {busy.pk}


@time_machine.travel(WEDNESDAY_10PM, tick=False)
def test_at_night_channels_wait_for_the_night_interval():
    now = timezone.now()
    waiting, due = polled(301, now), polled(901, now)
    busy_at_night = polled(61, now)
    comments(busy_at_night, 6, written_ago=dt.timedelta(minutes=1), now=now)
    assert due_ids() == {due.pk, busy_at_night.pk}
    assert waiting.pk not in due_ids()


@time_machine.travel(WEDNESDAY_10AM, tick=False)
def test_low_platform_headroom_stretches_the_interval():
    now = timezone.now()
    # Meta said 90% of the allowance is used: 10% left, so 300 s x 2.5.
    stretched = polled(301, now, rate_limit_state={"percent": 90.0})
    done = polled(751, now, rate_limit_state={"percent": 90.0})
    roomy = polled(301, now, rate_limit_state={"percent": 20.0})
    assert due_ids() == {done.pk, roomy.pk}
    assert stretched.pk not in due_ids()


@time_machine.travel(WEDNESDAY_10AM, tick=False)
def test_a_failing_channel_backs_off_exponentially():
    now = timezone.now()
    second = polled(2 * BACKOFF_FIRST + 1, now, poll_failures=2, health="degraded")
    early = polled(2 * BACKOFF_FIRST - 11, now, poll_failures=2, health="degraded")  # 11 s to go
    third = polled(3 * BACKOFF_FIRST, now, poll_failures=3, health="degraded")  # waits 4 x 15 s
    assert due_ids() == {second.pk}
    assert {early.pk, third.pk}.isdisjoint(due_ids())


@time_machine.travel(WEDNESDAY_10PM, tick=False)
def test_a_sweep_that_stopped_part_way_is_resumed_at_the_next_tick_not_after_its_interval(client):
    # Issue 12: a worker killed mid-poll leaves the cursor part-way; at night the interval is
    # 15 minutes, and the queue must catch up within 60 s.
    now = timezone.now()
    part_way = {"sweep_started_at": (now - dt.timedelta(seconds=20)).isoformat(), "adapter": {"p": 2}}
    stopped = polled(20, now, cursor=part_way)
    finished = polled(20, now, cursor={"adapter": {"since": "9"}})  # a finished sweep's carry-over
    failing = polled(20, now, cursor=part_way, poll_failures=3, health="degraded")  # backs off 60 s
    limited = polled(20, now, cursor=part_way, rate_limited_until=now + dt.timedelta(minutes=5))
    assert due_ids() == {stopped.pk}
    client.force_login(lead())
    page = client.get(f"/channels/{stopped.pk}/").content.decode()
    assert "resuming a poll that stopped part-way" in page
    assert {finished.pk, failing.pk, limited.pk}.isdisjoint(due_ids())


def test_poll_failures_are_counted_shown_with_the_next_try_and_reset_by_a_success(
    fake_platforms, meta_settings, client
):
    post = fake_platforms.add_post()
    fake_platforms.add_comments(post["id"], 2)
    channel = connected(fake_platforms)
    fake_platforms.fail_next({"kind": "500"}, {"kind": "500"})
    for _ in range(2):
        with pytest.raises(ChannelUnavailable):
            channel_poll(channel_id=channel.pk)
    channel.refresh_from_db()
    assert (channel.health, channel.poll_failures) == (ChannelHealth.DEGRADED, 2)
    next_try = channel.last_polled_at + dt.timedelta(seconds=2 * BACKOFF_FIRST)

    client.force_login(officer())
    listing = client.get("/channels/").content.decode()
    assert "An unknown error occurred" in channel.last_error
    assert channel.last_error in listing  # why
    assert f"Next try {timezone.localtime(next_try):%H:%M:%S}" in listing  # when
    detail = client.get(f"/channels/{channel.pk}/").content.decode()
    assert "Polls are failing (2 in a row)" in detail
    assert f"Next try at {timezone.localtime(next_try):%H:%M:%S}" in detail
    assert "last 2 polls in a row failed" in detail

    api = APIClient()
    api.force_login(lead())
    body = api.get(f"/api/v1/channels/{channel.pk}/").json()
    assert body["poll_failures"] == 2
    assert body["next_poll_at"] == next_try.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert "failed" in body["poll_reason"]
    (state,) = [c for c in channel_states(with_errors=True) if c["id"] == channel.pk]
    assert (state["poll_mode"], state["poll_failures"]) == ("backoff", 2)

    assert channel_poll(channel_id=channel.pk).status == "ok"
    channel.refresh_from_db()
    assert (channel.health, channel.poll_failures) == (ChannelHealth.OK, 0)
    assert "Backing off" not in client.get("/channels/").content.decode()
    (state,) = [c for c in channel_states(with_errors=True) if c["id"] == channel.pk]
    assert state["poll_mode"] in ("normal", "night")  # whichever the clock says


def test_a_rate_limit_is_not_a_failure(fake_platforms, meta_settings):
    channel = connected(fake_platforms)
    fake_platforms.fail_next({"kind": "rate_limit", "id": channel.account_id, "regain_minutes": 5})
    assert channel_poll(channel_id=channel.pk).status == "rate_limited"
    channel.refresh_from_db()
    assert channel.poll_failures == 0
    assert channel.rate_limited_until > timezone.now()


@time_machine.travel(WEDNESDAY_10AM, tick=False)
def test_a_lead_changes_the_intervals_in_the_app_and_the_next_fan_out_uses_them(client):
    channel = polled(120, timezone.now())
    assert channel.pk not in due_ids()
    client.force_login(officer())
    assert client.get("/settings/poll-intervals/").status_code == 403
    lauren = lead()
    client.force_login(lauren)
    page = client.get("/settings/poll-intervals/").content.decode()
    assert channel.handle in page
    assert "Normal interval (s)" in page
    assert "Delete" not in page  # channels are added and removed elsewhere
    response = client.post(
        f"/settings/poll-intervals/{channel.pk}/",
        {"poll_interval": "90", "busy_poll_interval": "30", "night_poll_interval": "600"},
        follow=True,
    )
    assert "Saved" in response.content.decode()
    channel.refresh_from_db()
    assert (channel.poll_interval, channel.busy_poll_interval, channel.night_poll_interval) == (90, 30, 600)
    assert channel.pk in due_ids()  # no restart: the very next fan-out reads the row
    event = AuditEvent.objects.get(verb="settings.changed", target_id=str(channel.pk))
    assert (event.actor, event.after["poll_interval"]) == (lauren, 90)


def test_intervals_below_the_floor_are_refused_and_rows_cannot_be_added_or_deleted(client):
    channel = ChannelFactory()
    client.force_login(lead())
    response = client.post(
        f"/settings/poll-intervals/{channel.pk}/",
        {"poll_interval": "300", "busy_poll_interval": "5", "night_poll_interval": "900"},
    )
    assert "Nothing saved" in response.content.decode()
    assert "greater than or equal to 30" in response.content.decode()
    assert Channel.objects.get(pk=channel.pk).busy_poll_interval == 60
    assert client.post("/settings/poll-intervals/", {"poll_interval": "300"}).status_code == 403
    assert client.post(f"/settings/poll-intervals/{channel.pk}/delete/").status_code == 403
    assert Channel.objects.filter(pk=channel.pk).exists()


@time_machine.travel(WEDNESDAY_10AM, tick=False)
def test_a_poll_due_just_after_this_fan_out_tick_is_taken_now_not_a_tick_later():
    """The last poll stamped its start a moment after its own tick, so with a 300 s interval the
    next one falls due a moment after the tick 300 s on; waiting for the next tick would poll
    every 330 s (bench/time_to_flag.py measured a 30 s interval polled every 60 s)."""
    now = timezone.now()
    a_moment_late = polled(300 - 0.7, now)  # due 0.7 s after this tick
    next_tick = polled(300 - 20, now)  # due nearer the next tick: left for it
    assert a_moment_late.pk in due_ids()
    assert next_tick.pk not in due_ids()


def test_a_channel_not_polled_says_why_and_what_turns_polling_back_on(client, meta_settings):
    disconnected = ChannelFactory(credentials={})
    needs_reconnect = ChannelFactory(credentials={"page_token": "t"}, health=ChannelHealth.NEEDS_RECONNECT)
    switched_off = ChannelFactory(credentials={"page_token": "t"}, enabled=False)

    def page(channel):
        return client.get(f"/channels/{channel.pk}/").content.decode()

    client.force_login(lead())
    assert "<dd>not polled</dd>" not in page(disconnected)  # all it said
    assert "Off: the channel is disconnected, so it is not polled." in page(disconnected)
    assert "Press <b>Connect</b> below to connect it" in page(disconnected)
    assert "Off until the channel is reconnected" in page(needs_reconnect)
    assert "Off: polling is switched off for this channel" in page(switched_off)
    listing = client.get("/channels/").content.decode()
    for why in ("Off: disconnected", "Off: needs reconnecting", "Off: switched off"):
        assert why in listing
    client.force_login(officer())  # cannot connect it: says who can
    assert "Ask a Lead to connect it." in page(disconnected)
