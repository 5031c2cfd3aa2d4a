"""Retries that end: capped attempts with exponential backoff, a failed state with the reason, and retry."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from fakeplatforms import DEMO_PAGE_ID
from moderation.models import Action, ActionStatus, AuditEvent, Channel, Item, Priority, WebhookEvent
from moderation.services.actions import ACTION_MAX_ATTEMPTS, action_request, action_retry
from moderation.services.failures import CLASSIFY_MAX_ATTEMPTS
from moderation.services.ingest import channel_poll
from moderation.services.sweep import items_sweep
from moderation.tasks import action_execute, item_classify
from tests.factories import ChannelFactory, ItemFactory, lead, officer

pytestmark = pytest.mark.django_db
LONG_AGO = dt.timedelta(minutes=30)


@pytest.fixture
def item(fake_platforms, meta_settings):
    post = fake_platforms.add_post()
    fake_platforms.add_comments(post["id"], 1)
    channel = fake_platforms.facebook_page_channel()
    channel_poll(channel_id=channel.pk)
    return Item.objects.get(channel=channel, kind="comment")


def age(model, pk):
    model.objects.filter(pk=pk).update(updated_at=timezone.now() - LONG_AGO)


def test_an_action_that_always_fails_ends_failed_after_the_cap_and_the_sweep_leaves_it(
    fake_platforms, item, django_capture_on_commit_callbacks
):
    fake_platforms.world.fail_rate = 1.0  # every Graph call answers 500 or 503
    action = action_request(item_id=item.pk, kind="hide", actor=lead())
    countdowns = []
    for _ in range(ACTION_MAX_ATTEMPTS):
        with django_capture_on_commit_callbacks() as callbacks:
            action_execute(action.pk)  # as the worker runs each scheduled retry
        countdowns += [
            cb.keywords.get("countdown") for cb in callbacks if cb.func == action_execute.apply_async
        ]
    action.refresh_from_db()
    assert countdowns == [30, 60, 120, 240]  # exponential backoff, then no more
    assert (action.status, action.attempts) == (ActionStatus.FAILED, ACTION_MAX_ATTEMPTS)
    assert action.error.startswith(
        f"Gave up after {ACTION_MAX_ATTEMPTS} attempts; the platform said: Facebook"
    )
    assert AuditEvent.objects.filter(verb="action.failed", target_id=str(action.pk)).exists()
    calls = fake_platforms.calls()
    age(Action, action.pk)
    assert items_sweep().actions == []  # failed at the cap: the sweep leaves it alone
    action_execute(action.pk)  # a stray redelivery changes nothing
    assert fake_platforms.calls() == calls


def test_a_lead_retries_a_failed_action_from_a_fresh_count(fake_platforms, item):
    fake_platforms.world.fail_rate = 1.0
    action = action_request(item_id=item.pk, kind="hide", actor=None)
    for _ in range(ACTION_MAX_ATTEMPTS):
        action_execute(action.pk)
    fake_platforms.world.fail_rate = 0.0
    with pytest.raises(Exception, match="Only a Lead"):
        action_retry(action_id=action.pk, actor=officer())
    retried = action_retry(action_id=action.pk, actor=lead())
    assert (retried.status, retried.attempts, retried.error) == (ActionStatus.PENDING, 0, "")
    action_execute(action.pk)
    action.refresh_from_db()
    assert action.status == ActionStatus.SENT
    assert AuditEvent.objects.filter(verb="action.retried", target_id=str(action.pk)).exists()


def test_a_throttled_action_marks_the_channel_rate_limited_and_waits_at_least_the_retry_after(
    fake_platforms, item, django_capture_on_commit_callbacks
):
    action = action_request(item_id=item.pk, kind="hide", actor=None)
    fake_platforms.fail_next({"kind": "rate_limit", "id": DEMO_PAGE_ID, "regain_minutes": 7})
    with django_capture_on_commit_callbacks() as callbacks:
        action_execute(action.pk)
    assert Channel.objects.get(pk=item.channel_id).health == "rate_limited"
    [retry] = [cb for cb in callbacks if cb.func == action_execute.apply_async]
    assert retry.keywords["countdown"] >= 300  # the platform's wait, not the 30 s backoff


def test_the_sweep_fails_a_pending_action_whose_last_attempt_was_lost(item):
    action = action_request(item_id=item.pk, kind="hide", actor=None)
    Action.objects.filter(pk=action.pk).update(attempts=ACTION_MAX_ATTEMPTS)
    age(Action, action.pk)
    result = items_sweep()
    action.refresh_from_db()
    assert (result.actions, result.gave_up, action.status) == ([], 1, ActionStatus.FAILED)
    assert "last allowed attempt" in action.error


def test_an_item_failing_classification_repeatedly_is_marked_for_human_review():
    broken = ItemFactory(links=5)  # not a list: the engine cannot read it
    for attempt in range(1, CLASSIFY_MAX_ATTEMPTS + 1):
        with pytest.raises(TypeError):
            item_classify(broken.pk)
        broken.refresh_from_db()
        assert broken.classify_attempts == attempt
    assert broken.classified_at is None
    assert (broken.recommended_action, broken.priority) == ("review", Priority.HIGH)
    assert "TypeError" in broken.classify_error
    assert AuditEvent.objects.filter(verb="item.classify_failed", target_id=str(broken.pk)).count() == 1
    Item.objects.filter(pk=broken.pk).update(received_at=timezone.now() - LONG_AGO)
    assert broken.pk not in items_sweep().items  # capped: no more automatic retries


def test_the_failures_page_lists_what_failed_and_retries_it(client, fake_platforms, item):
    fake_platforms.world.fail_rate = 1.0
    action = action_request(item_id=item.pk, kind="delete", actor=None)
    for _ in range(ACTION_MAX_ATTEMPTS):
        action_execute(action.pk)
    broken = ItemFactory(links=5, classify_attempts=CLASSIFY_MAX_ATTEMPTS, classify_error="TypeError: boom")
    event = WebhookEvent.objects.create(
        platform="facebook",
        body="{}",
        digest="d" * 64,
        received_at=timezone.now(),
        status="failed",
        error="bad",
    )
    client.force_login(officer())
    assert client.get(reverse("moderation:failures")).status_code == 403
    client.force_login(lead())
    page = client.get(reverse("moderation:failures"))
    assert page.status_code == 200
    for text in (
        f"Delete #{action.pk}",
        "Gave up after 5 attempts",
        "TypeError: boom",
        f"facebook #{event.pk}",
    ):
        assert text.encode() in page.content
    fake_platforms.world.fail_rate = 0.0
    for kind, pk in (("action", action.pk), ("item", broken.pk), ("webhook", event.pk)):
        response = client.post(reverse("moderation:failure-retry"), {"kind": kind, "id": pk}, follow=True)
        assert f"Retrying {kind} {pk}".encode() in response.content
    action.refresh_from_db()
    broken.refresh_from_db()
    event.refresh_from_db()
    assert (action.status, broken.classify_attempts, event.status) == ("pending", 0, "pending")
    bad = client.post(reverse("moderation:failure-retry"), {"kind": "action", "id": action.pk}, follow=True)
    assert b"not failed" in bad.content  # pending now: nothing to retry


def test_leads_find_the_failures_page_from_the_channels_page(client):
    client.force_login(lead())
    assert reverse("moderation:failures").encode() in client.get(reverse("moderation:channel-list")).content
    client.force_login(officer())
    assert (
        reverse("moderation:failures").encode() not in client.get(reverse("moderation:channel-list")).content
    )


@pytest.mark.django_db
def test_the_failures_page_points_to_channels_with_parts_of_polls_passed_over(client):
    quiet = ChannelFactory(handle="quiet")
    noisy = ChannelFactory(
        handle="noisy",
        recent_failures=[
            {
                "at": "2026-11-30T10:00:00+00:00",
                "part": "mentions",
                "platform_id": "108",
                "error": "ChannelUnavailable",
                "message": "x",
            },
            {
                "at": "2026-11-30T09:00:00+00:00",
                "part": "comments",
                "platform_id": "108_1",
                "error": "ChannelUnavailable",
                "message": "y",
            },
        ],
    )
    client.force_login(lead())
    page = client.get(reverse("moderation:failures")).content.decode()
    assert "Parts of polls passed over" in page
    assert reverse("moderation:channel-detail", args=[noisy.pk]) in page
    assert "mentions of 108 (ChannelUnavailable)" in page
    assert reverse("moderation:channel-detail", args=[quiet.pk]) not in page
