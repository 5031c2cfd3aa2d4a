"""Faults injected into the pipeline: nothing lost, no platform action twice, recovery by itself.

Each test records its figures for docs/reliability.md (tests/reliability/conftest.py).
"""

import json
import random
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from fakeplatforms import DEMO_PAGE_ID
from moderation.channels.base import ChannelUnavailable
from moderation.health import channel_states
from moderation.models import Action, ActionStatus, Channel, Item, Visibility
from moderation.services.actions import ACTION_MAX_ATTEMPTS, action_request
from moderation.services.ingest import channel_poll
from moderation.services.sweep import items_sweep
from moderation.tasks import action_execute
from tests.factories import ChannelFactory, lead
from tests.reliability.conftest import record
from tests.webhook_helpers import deliver

pytestmark = pytest.mark.django_db
CELERY_RETRIES = 10  # a bound on the polls and action attempts a scenario may take


@pytest.fixture
def channel(fake_platforms, meta_settings):
    return ChannelFactory(
        platform="facebook",
        account_id=DEMO_PAGE_ID,
        credentials={"access_token": fake_platforms.page_token()},
    )


def health(channel):
    (state,) = [c for c in channel_states(with_errors=True) if c["id"] == channel.pk]
    return state["health"]


def platform_log(fake, action):
    return [e for e in fake.admin("GET", "actions")["log"] if e["action"] == action]


def live_comments(fake):
    return {
        o["id"]
        for o in fake.world.data["objects"].values()
        if o["kind"] == "fb_comment" and not o.get("deleted")
    }


def polled_comments(fake, channel, n):
    """n comments on a new post of the fake page, polled in; returns their items, oldest first."""
    post = fake.add_post()
    fake.add_comments(post["id"], n)
    channel_poll(channel_id=channel.pk)
    return post, list(Item.objects.filter(channel=channel, kind="comment").order_by("platform_id"))


def poll_until_ok(channel):
    """channel_poll run again, as the beat's fan-out does after the channel's back-off."""
    for attempt in range(1, CELERY_RETRIES + 1):
        try:
            if channel_poll(channel_id=channel.pk).status == "ok":
                return attempt
        except ChannelUnavailable:
            continue
    raise AssertionError("the poll did not recover")


def test_duplicate_replayed_and_out_of_order_webhooks(client, channel):
    t, post = 1764062400, f"{DEMO_PAGE_ID}_1"

    def body(verb, at, cid, message="hello"):
        value = {"item": "comment", "verb": verb, "comment_id": cid, "post_id": post, "parent_id": post}
        if verb != "remove":
            value.update(
                {"from": {"id": "7281930456123", "name": "T"}, "message": message, "created_time": t}
            )
        return json.dumps(
            {
                "object": "page",
                "entry": [{"id": DEMO_PAGE_ID, "time": at, "changes": [{"field": "feed", "value": value}]}],
            }
        ).encode()

    events = []
    for n in range(20):
        cid = f"1_{n}"
        events += [body("add", t + n, cid), body("add", t + n, cid)]  # every event delivered twice
        events.append(body("edited", t + 100 + n, cid, message=f"edited {n}"))
        events.append(body("edited", t + 50 + n, cid, message="an older edit, arriving late"))
        if n % 4 == 0:
            events.append(body("remove", t + 200 + n, cid))
            events.append(body("add", t + n, cid))  # a replay after the removal
    random.Random(12).shuffle(events)
    for event in events:
        deliver(client, event)

    stored = Item.objects.filter(channel=channel)
    visible = stored.exclude(visibility=Visibility.DELETED)
    assert stored.count() <= 20
    assert visible.count() == 15  # 5 removed, whatever the order they arrived in
    assert all(i.text.startswith("edited ") for i in visible)  # the newest edit, always
    assert (
        not Item.objects.filter(platform_id__in=[f"1_{n}" for n in range(0, 20, 4)])
        .exclude(visibility=Visibility.DELETED)
        .exists()
    )
    record(
        "webhooks",
        scenario="Duplicate, replayed and out-of-order webhooks",
        injected=f"{len(events)} signed deliveries for 20 comments in shuffled order: each add twice, a newer and "
        "an older edit, 5 removals each followed by a replay of the add",
        items=f"15 visible, 5 removed / {visible.count()} visible (each with its newest edit), 0 of the 5 removed "
        f"visible ({stored.count() - visible.count()} kept as deleted rows, {20 - stored.count()} never stored: "
        "their removal arrived first)",
        actions="none / none",
        recovered="yes (nothing to recover: order decided by the platform's event time)",
        health=f"{health(channel)} (webhooks only, never polled) → {health(channel)}",
    )


def test_a_5xx_storm_during_polls_and_a_hide(fake_platforms, channel):
    post, (item, *_) = polled_comments(fake_platforms, channel, 30)
    more = fake_platforms.add_comments(post["id"], 1)
    fake_platforms.fail_next(*[{"kind": k} for k in ("500", "503") * 3])  # six failed calls in a row

    hide = action_request(item_id=item.pk, kind="hide", actor=lead())
    action_execute(hide.pk)  # the first call of the storm
    with pytest.raises(ChannelUnavailable):
        channel_poll(channel_id=channel.pk)
    during = health(channel)
    attempts = poll_until_ok(channel)
    for _ in range(ACTION_MAX_ATTEMPTS):  # the action's own scheduled retries
        action_execute(hide.pk)

    hide.refresh_from_db()
    assert hide.status == ActionStatus.SENT
    assert len(platform_log(fake_platforms, "hide")) == 1
    assert Item.objects.filter(platform_id__in=live_comments(fake_platforms)).count() == 31
    assert Item.objects.filter(platform_id=more[0]).exists()
    assert during == "degraded"
    after = health(channel)
    assert after == "ok"
    record(
        "storm_5xx",
        scenario="5xx storm",
        injected="the fake Graph API answers the next 6 calls with 500/503 while a poll and an officer's hide run",
        items=f"31 / {Item.objects.filter(channel=channel, kind='comment').count()}",
        actions=f"1 hide / {len(platform_log(fake_platforms, 'hide'))} hide",
        recovered=f"yes: the beat polls again after the channel's back-off (ok on attempt {attempts}), "
        "the hide's own retry",
        health=f"{during} → {after}",
    )


def test_a_429_storm_pauses_the_channel_until_the_platform_allows_calls(fake_platforms, channel):
    post = fake_platforms.add_post()
    fake_platforms.add_comments(post["id"], 12)
    fake_platforms.fail_next(*[{"kind": "rate_limit", "id": DEMO_PAGE_ID, "regain_minutes": 5}] * 4)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        first = channel_poll(channel_id=channel.pk)
        during = health(channel)
        calls = fake_platforms.calls()
        assert channel_poll(channel_id=channel.pk).status == "rate_limited"  # no call while limited
        assert fake_platforms.calls() == calls
        for _ in range(6):  # each beat tick after the window, until the storm has passed
            clock.shift(timedelta(minutes=6))
            if channel_poll(channel_id=channel.pk).status == "ok":
                break
        channel.refresh_from_db()
    stored = Item.objects.filter(channel=channel, kind="comment").count()
    assert first.status == "rate_limited"
    assert during == "rate_limited"
    assert stored == 12
    assert health(channel) == "ok"
    record(
        "storm_429",
        scenario="429 storm (rate limit)",
        injected="4 rate-limit answers in a row (Meta #80001, 5 minutes to regain access), time moved on by 6 minutes a tick",
        items=f"12 / {stored}",
        actions="none / none",
        recovered="yes: no calls while limited; the next poll after the window",
        health=f"{during} → {health(channel)}",
    )


def test_a_worker_killed_after_the_platform_took_the_reply(fake_platforms, channel):
    _, items = polled_comments(fake_platforms, channel, 3)
    actions = [
        action_request(
            item_id=i.pk,
            kind=kind,
            actor=lead(),
            payload={"text": "Please call us"} if kind == "reply" else {},
        )
        for i, kind in zip(items, ("reply", "hide", "reply"), strict=True)
    ]
    for action in actions:
        action_execute(action.pk)  # the platform takes each one ...
    # ... and the worker dies before recording them: rows left as it left them, a while ago.
    Action.objects.filter(pk__in=[a.pk for a in actions]).update(
        status=ActionStatus.PENDING, platform_response={}, updated_at=timezone.now() - timedelta(seconds=90)
    )
    Action.objects.filter(pk__in=[a.pk for a in actions], kind="reply").update(status=ActionStatus.SENDING)
    swept = items_sweep()
    for action_id in swept.actions:
        action_execute(action_id)

    assert sorted(swept.actions) == sorted(a.pk for a in actions)
    assert set(Action.objects.filter(pk__in=[a.pk for a in actions]).values_list("status", flat=True)) == {
        "sent"
    }
    replies, hides = platform_log(fake_platforms, "reply"), platform_log(fake_platforms, "hide")
    assert (len(replies), len(hides)) == (2, 1)
    record(
        "killed_mid_send",
        scenario="Worker killed mid-send",
        injected="2 replies and 1 hide reach the platform, then their rows are left as a killed worker leaves them "
        "(reply `sending`, hide `pending`, no response recorded); the 30 s sweep runs",
        items="3 / 3",
        actions=f"2 replies + 1 hide / {len(replies)} replies + {len(hides)} hide (each read back and confirmed, "
        "none sent again)",
        recovered="yes: the sweep re-enqueues by row state; an action that may have gone out is read back first",
        health=f"{health(channel)} → {health(channel)}",
    )


def test_a_poison_action_ends_failed_and_the_rest_go_through(fake_platforms, channel):
    _, (poison_item, good_item) = polled_comments(fake_platforms, channel, 2)
    poison = action_request(item_id=poison_item.pk, kind="hide", actor=lead())
    good = action_request(item_id=good_item.pk, kind="hide", actor=lead())
    fake_platforms.fail_next(*[{"kind": "500"}] * ACTION_MAX_ATTEMPTS)  # every attempt of the poison fails
    runs = 0
    while Action.objects.get(pk=poison.pk).status not in ("failed", "needs_check") and runs < CELERY_RETRIES:
        action_execute(poison.pk)
        runs += 1
    action_execute(good.pk)

    poison.refresh_from_db()
    assert poison.status == ActionStatus.FAILED
    assert runs == ACTION_MAX_ATTEMPTS
    assert Action.objects.get(pk=good.pk).status == ActionStatus.SENT
    assert len(platform_log(fake_platforms, "hide")) == 1
    assert not items_sweep().actions  # a failed action is left for a person, not retried for ever
    record(
        "poison",
        scenario="Poison message",
        injected=f"a hide whose every attempt gets a 500 ({ACTION_MAX_ATTEMPTS} attempts), beside a healthy hide",
        items="2 / 2",
        actions=f"1 healthy hide / {len(platform_log(fake_platforms, 'hide'))} sent; poison: failed after {runs} "
        "attempts, shown on the failures page, never retried by the sweep",
        recovered="yes: the cap ends it; the other work is not held up",
        health=f"{health(channel)} → {Channel.objects.get(pk=channel.pk).health}",
    )


def test_responses_slower_than_the_timeout(fake_platforms, channel, settings):
    """The platform does the work but answers after the client gave up: read back, never resend."""
    read_timeout, slow = 1.0, 2.5
    facebook = settings.MODERATION_CHANNELS["facebook"]
    settings.MODERATION_CHANNELS = {
        **settings.MODERATION_CHANNELS,
        "facebook": {**facebook, "OPTIONS": {**facebook["OPTIONS"], "timeout": (2.0, read_timeout)}},
    }
    post, (hidden, replied, _) = polled_comments(fake_platforms, channel, 3)
    fake_platforms.add_comments(post["id"], 7)  # arrive while the platform is slow
    hide = action_request(item_id=hidden.pk, kind="hide", actor=lead())
    reply = action_request(item_id=replied.pk, kind="reply", actor=lead(), payload={"text": "Please DM us"})
    fake_platforms.fail_next(
        {"kind": "slow", "seconds": slow, "method": "POST", "path": hidden.platform_id},
        {"kind": "slow", "seconds": slow, "method": "POST", "path": f"{replied.platform_id}/comments"},
        {"kind": "slow", "seconds": slow, "method": "GET", "path": f"{DEMO_PAGE_ID}/posts"},
    )

    action_execute(hide.pk)  # times out after the platform hid it
    action_execute(reply.pk)  # times out after the platform posted it
    with pytest.raises(ChannelUnavailable):
        channel_poll(channel_id=channel.pk)
    slow_states = {a.kind: a.status for a in Action.objects.filter(pk__in=[hide.pk, reply.pk])}
    during = health(channel)
    said = Channel.objects.get(pk=channel.pk).last_error
    attempts = poll_until_ok(channel)
    for action in (hide, reply):  # each action's own scheduled retry
        action_execute(action.pk)

    hide.refresh_from_db()
    reply.refresh_from_db()
    assert slow_states == {"hide": ActionStatus.PENDING, "reply": ActionStatus.SENDING}
    assert (hide.status, reply.status) == (ActionStatus.SENT, ActionStatus.SENT)
    assert hide.platform_response.get("read_back")
    assert reply.platform_response.get("read_back")
    hides, replies = platform_log(fake_platforms, "hide"), platform_log(fake_platforms, "reply")
    assert (len(hides), len(replies)) == (1, 1)
    comments = Item.objects.filter(channel=channel, kind="comment").exclude(
        author__platform_user_id=DEMO_PAGE_ID
    )
    assert comments.count() == 10
    assert Item.objects.filter(platform_id__in=live_comments(fake_platforms)).count() == 11  # with our reply
    assert during == "degraded"
    assert "timed out" in said
    after = health(channel)
    assert after == "ok"
    record(
        "slow",
        scenario="Responses slower than the timeout",
        injected=f"the fake Graph API does a hide, a reply and the listing of the page's posts, then answers each "
        f"{slow} s later, past the client's {read_timeout} s read timeout",
        items=f"10 / {comments.count()}",
        actions=f"1 hide + 1 reply / {len(hides)} hide + {len(replies)} reply (both timed out, then read back "
        "and confirmed, neither sent again)",
        recovered=f"yes: the next poll after the back-off (ok on retry {attempts}); each action's retry reads the "
        "platform back first",
        health=f"{during} (channel page: “{said}”) → {after}",
    )
