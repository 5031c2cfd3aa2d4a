"""The queue services: claiming without collisions, acting, and items following their actions."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from fakeplatforms import DEMO_PAGE_ID
from moderation.errors import ActionNotAvailable, ClauseRequired, InvalidTransition, ItemClaimed, NotPermitted
from moderation.models import ActionStatus, AuditEvent, Flag, Item, ItemState, Outcome
from moderation.queue_filters import QueueFilters
from moderation.services import transition
from moderation.services.ingest import channel_poll
from moderation.services.queue import item_act as act
from moderation.services.queue import (
    item_claim,
    item_claim_next,
    item_dismiss,
    item_escalate,
    item_note,
    item_release,
    item_resolve,
)
from moderation.tasks import action_execute
from tests.factories import ChannelFactory, FlagFactory, ItemFactory, lead, officer, viewer

pytestmark = pytest.mark.django_db


def test_claim_next_takes_most_urgent_then_oldest_and_never_twice():
    old = ItemFactory(priority=1)
    urgent = ItemFactory(priority=3)
    ItemFactory(kind="post", priority=3)  # posts are context, never queued work
    a, b = officer(), officer()
    assert item_claim_next(officer=a) == urgent
    second = item_claim_next(officer=b)
    assert second == old
    assert second.state == ItemState.IN_REVIEW
    assert second.claimed_by == b
    assert item_claim_next(officer=a) is None


def test_claim_next_honours_filters():
    fb = ItemFactory(priority=3)
    ig = ItemFactory(channel=ChannelFactory(platform="instagram"), priority=0)
    FlagFactory(item=ig, category="harassment")
    got = item_claim_next(officer=officer(), filters=QueueFilters(category="harassment"))
    assert got == ig
    assert item_claim_next(officer=officer(), filters=QueueFilters(platform="instagram")) is None
    assert item_claim_next(officer=officer(), filters=QueueFilters(channel=fb.channel_id)) == fb


def test_claim_refuses_a_live_claim_names_the_holder_and_takes_over_a_lapsed_one(settings):
    settings.QUEUE_CLAIM_MINUTES = 15
    item = ItemFactory()
    hayley = officer(first_name="Hayley", last_name="Lambert")
    kathryn = officer()
    item_claim(item_id=item.pk, officer=hayley)
    with pytest.raises(ItemClaimed, match="Hayley Lambert"):
        item_claim(item_id=item.pk, officer=kathryn)
    with pytest.raises(ItemClaimed):
        item_dismiss(item_id=item.pk, actor=kathryn)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        taken = item_claim(item_id=item.pk, officer=kathryn)
        assert taken.claimed_by == kathryn
        verbs = [e.detail.get("reason") for e in AuditEvent.objects.filter(item=item)]
        assert "claim_expired" in verbs
        # a lapsed claim also comes back through "next"
    with time_machine.travel(timezone.now() + timedelta(minutes=40)):
        assert item_claim_next(officer=hayley) == item


def test_release_returns_the_item_and_only_a_lead_releases_someone_elses():
    item = ItemFactory()
    holder, other = officer(), officer()
    item_claim(item_id=item.pk, officer=holder)
    with pytest.raises(NotPermitted):
        item_release(item_id=item.pk, officer=other)
    released = item_release(item_id=item.pk, officer=lead())
    assert released.state == ItemState.NEW
    assert released.claimed_by is None
    assert item_release(item_id=item.pk, officer=holder).state == ItemState.NEW  # harmless twice


def test_viewer_cannot_work_the_queue():
    item = ItemFactory()
    with pytest.raises(NotPermitted):
        item_claim_next(officer=viewer())
    with pytest.raises(NotPermitted):
        item_dismiss(item_id=item.pk, actor=viewer())


def test_dismiss_keeps_a_false_flag_label_and_resolves():
    item = ItemFactory()
    FlagFactory(item=item)
    done = item_dismiss(item_id=item.pk, actor=officer(), reason="Banter between neighbours")
    assert done.state == ItemState.RESOLVED
    assert done.outcome == Outcome.DISMISSED
    assert list(Flag.objects.filter(item=item).values_list("upheld", flat=True)) == [False]
    with pytest.raises(InvalidTransition):
        item_dismiss(item_id=item.pk, actor=officer())


def test_escalate_note_and_resolve():
    item = ItemFactory()
    me = officer()
    item_claim(item_id=item.pk, officer=me)
    escalated = item_escalate(item_id=item.pk, actor=me, note="Mentions a court case")
    assert escalated.state == ItemState.ESCALATED
    assert escalated.claimed_by is None
    with pytest.raises(NotPermitted):
        item_claim(item_id=item.pk, officer=officer())  # escalated items wait for a Lead
    note = item_note(item_id=item.pk, actor=me, text="Called the tenant back")
    assert note.verb == "item.note"
    assert note.detail["text"] == "Called the tenant back"
    with pytest.raises(ActionNotAvailable):
        item_note(item_id=item.pk, actor=me, text="  ")
    lauren = lead()
    assert item_claim(item_id=item.pk, officer=lauren).state == ItemState.IN_REVIEW
    with pytest.raises(ActionNotAvailable):
        item_resolve(item_id=item.pk, actor=lauren, outcome="vanished")
    resolved = item_resolve(item_id=item.pk, actor=lauren, outcome=Outcome.SIGNPOSTED)
    assert resolved.outcome == Outcome.SIGNPOSTED


@pytest.fixture
def polled(fake_platforms, meta_settings):
    post = fake_platforms.add_post()
    fake_platforms.add_comments(post["id"], 3)
    channel = ChannelFactory(
        platform="facebook",
        account_id=DEMO_PAGE_ID,
        credentials={"access_token": fake_platforms.page_token()},
    )
    channel_poll(channel_id=channel.pk)
    items = list(Item.objects.filter(channel=channel, kind="comment").order_by("platform_id"))
    for item in items:
        FlagFactory(item=item, clause="2.3", category="profanity")
    return channel, items


@pytest.mark.parametrize(
    ("kind", "outcome"),
    [
        ("hide", Outcome.HIDDEN),
        ("delete", Outcome.DELETED),
        ("block", Outcome.BLOCKED),
        ("reply", Outcome.REPLIED),
    ],
)
def test_confirmed_platform_action_resolves_the_item(fake_platforms, polled, kind, outcome):
    _, (item, *_) = polled
    me = lead()
    action = act(item_id=item.pk, actor=me, kind=kind, text="Please call us on 0300 123 4567")
    item.refresh_from_db()
    assert item.state == ItemState.IN_REVIEW  # acting claims it
    assert item.claimed_by == me
    action_execute(action.pk)
    item.refresh_from_db()
    action.refresh_from_db()
    assert action.status == ActionStatus.SENT
    assert (item.state, item.outcome) == (ItemState.RESOLVED, outcome)
    assert action.payload.get("clause", "") == ("2.3" if kind != "reply" else "")
    assert list(Flag.objects.filter(item=item).values_list("upheld", flat=True)) == [True]
    resolved = AuditEvent.objects.filter(item=item, verb="item.transition").order_by("-id").first()
    assert resolved.after == {"state": "resolved", "outcome": outcome}


def test_failed_platform_action_returns_the_item_with_the_reason(fake_platforms, polled):
    _, (item, *_) = polled
    fake_platforms.admin("POST", f"comments/{item.platform_id}/delete")
    fake_platforms.fail_next({"kind": "permission"})
    action = act(item_id=item.pk, actor=lead(), kind="hide", clause="2.3")
    action_execute(action.pk)
    action.refresh_from_db()
    item.refresh_from_db()
    assert action.status == ActionStatus.FAILED
    assert action.error
    assert item.state == ItemState.NEW
    assert item.claimed_by is None
    event = AuditEvent.objects.filter(item=item, verb="item.transition").order_by("-id").first()
    assert event.detail["reason"] == "action_failed"
    assert event.detail["error"] == action.error[:300]


def test_unhide_after_hide_reopens_the_item(fake_platforms, polled):
    _, (item, *_) = polled
    me = lead()
    action_execute(act(item_id=item.pk, actor=me, kind="hide").pk)
    action_execute(act(item_id=item.pk, actor=me, kind="unhide").pk)
    item.refresh_from_db()
    assert item.state == ItemState.NEW
    assert item.visibility == "visible"


def test_destructive_action_needs_a_clause_when_nothing_was_flagged(fake_platforms, polled):
    _, (*_, item) = polled
    Flag.objects.filter(item=item).delete()
    with pytest.raises(ClauseRequired):
        act(item_id=item.pk, actor=lead(), kind="delete")
    item.refresh_from_db()
    assert item.state == ItemState.NEW  # the refusal changed nothing
    assert act(item_id=item.pk, actor=lead(), kind="delete", clause="2.5").payload["clause"] == "2.5"


def test_report_is_guided_and_recorded(polled):
    _, (item, *_) = polled
    action = act(item_id=item.pk, actor=officer(), kind="report", clause="2.5", idempotency_key="r1")
    assert action.status == ActionStatus.CONFIRMED
    assert action.payload["guided"] is True
    assert act(item_id=item.pk, actor=officer(), kind="report", idempotency_key="r1").pk == action.pk
    item.refresh_from_db()
    assert item.outcome == Outcome.REPORTED


def test_unknown_kind_and_missing_capability_are_refused_up_front(polled, settings):
    _, (item, *_) = polled
    with pytest.raises(ActionNotAvailable):
        act(item_id=item.pk, actor=lead(), kind="nuke")
    settings.MODERATION_CHANNELS = {}
    with pytest.raises(ActionNotAvailable):
        act(item_id=item.pk, actor=lead(), kind="hide")
    item.refresh_from_db()
    assert item.state == ItemState.NEW


@pytest.mark.django_db(transaction=True)
def test_two_officers_claiming_next_at_once_never_get_the_same_item():
    ItemFactory.create_batch(12)
    officers = [officer(), officer()]
    barrier = threading.Barrier(2)
    got: dict[int, list[int]] = {0: [], 1: []}
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            barrier.wait(timeout=10)
            for _ in range(6):
                item = item_claim_next(officer=officers[n])
                if item is not None:
                    got[n].append(item.pk)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the main thread below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert not set(got[0]) & set(got[1])
    assert len(got[0]) + len(got[1]) == 12
    assert Item.objects.filter(state=ItemState.IN_REVIEW).count() == 12


def test_confirming_an_item_already_hidden_closes_it_without_another_platform_call(fake_platforms, polled):
    _, (item, *_) = polled
    action_execute(act(item_id=item.pk, actor=lead(), kind="hide").pk)
    item.refresh_from_db()
    transition(item, to=ItemState.NEW, actor=None)  # reopened, as an automatic hide leaves it
    confirmed = act(item_id=item.pk, actor=officer(), kind="hide")
    assert confirmed.status == ActionStatus.CONFIRMED
    assert confirmed.payload["already_hidden"] is True
    item.refresh_from_db()
    assert item.outcome == Outcome.HIDDEN
    assert len([e for e in fake_platforms.admin("GET", "actions")["log"] if e["action"] == "hide"]) == 1
