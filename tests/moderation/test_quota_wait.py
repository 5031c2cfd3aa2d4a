"""A YouTube action that only waits for the daily quota reset is scheduled at the reset and never
failed by the retry cap (docs/architecture.md §4): waiting costs no attempt, and neither the sweeper
nor an early redelivery sends it before the reset."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from moderation.channels.youtube.quota import quota_day, seconds_until_reset
from moderation.models import Action, Channel, ChannelUsage, Item
from moderation.services.actions import ACTION_MAX_ATTEMPTS, action_execute
from moderation.services.ingest import channel_poll
from moderation.services.queue import item_act
from moderation.services.seed import havebury_seed
from moderation.services.sweep import items_sweep
from tests.factories import officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def youtube(fake_platforms, network_settings):
    fake_platforms.app.seed("demo")
    havebury_seed()
    call_command("connect_demo_channels", fake_base=fake_platforms.base_url, wait=2)
    channel = Channel.objects.get(platform="youtube")
    assert channel_poll(channel_id=channel.pk).status == "ok"
    return channel


def platform_moderations(fake):
    return [e for e in fake.admin("GET", "actions")["log"] if e.get("platform") == "youtube"]


def spend_today(channel, units):
    today = quota_day(datetime.now(tz=UTC))
    ChannelUsage.objects.update_or_create(channel=channel, day=today, defaults={"units": units})


@pytest.mark.parametrize("spent_by", ["our ledger", "the platform"])
def test_waiting_for_the_quota_reset_never_uses_up_the_attempts(youtube, fake_platforms, spent_by):
    if spent_by == "our ledger":
        spend_today(youtube, 9_990)  # 10 units left: a write costs 50, refused before any call
    else:
        fake_platforms.admin("POST", "youtube/quota", {"limit": 10_000, "used": 10_000})  # YouTube says so
    item = Item.objects.filter(channel=youtube, kind="comment").first()
    action = item_act(item_id=item.pk, actor=officer(), kind="hide", clause="2.3")

    action = action_execute(action_id=action.pk)
    assert (action.status, action.attempts) == ("pending", 0)
    assert "reset" in action.error
    wait = (action.next_attempt_at - timezone.now()).total_seconds()
    assert abs(wait - seconds_until_reset(datetime.now(tz=UTC))) < 60  # scheduled at midnight Pacific

    # The sweeper takes it as stuck no matter how long it has waited, nor does it fail it.
    swept = items_sweep(stuck_after=timedelta(0))
    assert action.pk not in swept.actions
    assert swept.gave_up == 0
    # Redeliveries before the reset (a broker that forgot the countdown) change nothing either, and
    # even one that slips past the guard is refused again without counting.
    for _ in range(ACTION_MAX_ATTEMPTS + 2):
        action_execute(action_id=action.pk)
        Action.objects.filter(pk=action.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        action = action_execute(action_id=action.pk)
        assert (action.status, action.attempts) == ("pending", 0), action.error
    assert platform_moderations(fake_platforms) == []

    # Midnight Pacific: a fresh day's quota, and the scheduled task finds it due.
    ChannelUsage.objects.filter(channel=youtube).delete()
    fake_platforms.admin("POST", "youtube/quota", {"limit": 10_000, "used": 0})
    Action.objects.filter(pk=action.pk).update(next_attempt_at=timezone.now())
    action = action_execute(action_id=action.pk)
    assert (action.status, action.attempts, action.next_attempt_at) == ("sent", 1, None)
    assert [(e["action"], e["id"]) for e in platform_moderations(fake_platforms)] == [
        ("hide", item.platform_id)
    ]
    item.refresh_from_db()
    assert (item.state, item.outcome) == ("resolved", "hidden")


def test_a_plain_rate_limit_still_counts_towards_the_cap(youtube, fake_platforms):
    """Only a budget reset is free: short throttles keep the cap, so a platform that never recovers ends."""
    item = Item.objects.filter(channel=youtube, kind="comment").first()
    action = item_act(item_id=item.pk, actor=officer(), kind="hide", clause="2.3")
    for n in range(1, ACTION_MAX_ATTEMPTS + 1):
        fake_platforms.admin("POST", "youtube/failures", {"failures": [{"kind": "rate_limit"}]})
        action = action_execute(action_id=action.pk)
        assert action.attempts == n
        assert action.next_attempt_at is None
    assert action.status == "failed"
    assert action.error.startswith(f"Gave up after {ACTION_MAX_ATTEMPTS} attempts")
