"""The clock really moves: an action held for a platform budget's reset (YouTube's daily quota,
X's monthly cap) waits through the sweeps and redeliveries before it, visibly, and is sent after the
reset exactly once (docs/architecture.md §4). time-machine moves the app's clock and the fake
platform's together."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from moderation.capability_matrix import actions_waiting_for_reset
from moderation.channels.youtube.quota import quota_day
from moderation.models import ChannelUsage, Item
from moderation.services.actions import ACTION_MAX_ATTEMPTS, action_execute
from moderation.services.queue import item_act
from moderation.services.sweep import items_sweep
from tests.factories import officer

pytestmark = pytest.mark.django_db


def spend_the_budget(platform, channel, fake):
    if platform == "youtube":  # our ledger says today's quota cannot buy a 50-unit write
        today = quota_day(datetime.now(tz=UTC))
        ChannelUsage.objects.update_or_create(channel=channel, day=today, defaults={"units": 9_990})
        return Item.objects.filter(channel=channel, kind="comment", state="new").order_by("id").first()
    fake.admin("POST", "x/failures", {"failures": [{"kind": "usage_capped"}]})  # X says so
    return next(
        i
        for i in Item.objects.filter(channel=channel, kind="reply", state="new").order_by("id")
        if i.raw.get("in_reply_to_user_id") == channel.account_id
    )


def moderations(fake, platform):
    return [e for e in fake.admin("GET", "actions")["log"] if e.get("platform") == platform]


@pytest.mark.parametrize("platform", ["youtube", "x"])
def test_a_held_action_waits_for_the_reset_and_then_goes_exactly_once(demo_polled, fake_platforms, platform):
    channel = demo_polled(platform)
    item = spend_the_budget(platform, channel, fake_platforms)
    action = action_execute(
        action_id=item_act(item_id=item.pk, actor=officer(), kind="hide", clause="2.3").pk
    )
    assert (action.status, action.attempts) == ("pending", 0), action.error
    due = action.next_attempt_at
    assert due is not None
    assert timedelta(0) < due - action.updated_at <= timedelta(days=31 if platform == "x" else 1)
    assert [a.pk for a in actions_waiting_for_reset()] == [action.pk]  # the queue page's list

    # Up to a minute before the reset, however often the sweeper and redeliveries come, it waits.
    for moment in (due - (due - action.updated_at) / 2, due - timedelta(minutes=1)):
        with time_machine.travel(moment, tick=False):
            for _ in range(ACTION_MAX_ATTEMPTS + 1):
                swept = items_sweep(stuck_after=timedelta(0))
                assert action.pk not in swept.actions
                assert swept.gave_up == 0
                action = action_execute(action_id=action.pk)
                assert (action.status, action.attempts, action.next_attempt_at) == ("pending", 0, due)
    assert moderations(fake_platforms, platform) == []

    # After the reset the scheduled task sends it; a late sweep and a redelivery send nothing more.
    with time_machine.travel(due + timedelta(seconds=1), tick=False):
        action = action_execute(action_id=action.pk)
        assert (action.status, action.attempts, action.next_attempt_at) == ("sent", 1, None), action.error
    with time_machine.travel(due + timedelta(hours=1), tick=False):
        assert action.pk not in items_sweep(stuck_after=timedelta(0)).actions
        assert action_execute(action_id=action.pk).attempts == 1
        assert actions_waiting_for_reset() == []
    assert [(e["action"], e["id"]) for e in moderations(fake_platforms, platform)] == [
        ("hide", item.platform_id)
    ]
    item.refresh_from_db()
    assert (item.visibility, item.state, item.outcome) == ("hidden", "resolved", "hidden")
