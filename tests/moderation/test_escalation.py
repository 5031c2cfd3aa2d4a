"""Automatic hides (Lead rules, out-of-hours setting) and on-call emails, after classification.

Items come from the fake Facebook page over loopback HTTP; hides go through the real action
service and reach the fake platform.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from fakeplatforms import DEMO_PAGE_ID
from moderation.models import (
    Action,
    ActionStatus,
    AuditEvent,
    AutoActionRule,
    EscalationSettings,
    Item,
    ItemState,
    Visibility,
)
from moderation.services.classify import item_classify
from moderation.services.escalation import item_alert_on_call
from moderation.services.ingest import channel_poll
from moderation.tasks import action_execute
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db

SATURDAY_NIGHT = datetime(2026, 11, 7, 23, 0, tzinfo=ZoneInfo("Europe/London"))
TUESDAY_NOON = datetime(2026, 11, 3, 12, 0, tzinfo=ZoneInfo("Europe/London"))
THREAT = "I know where you live and I will hurt you"


@pytest.fixture
def comment(fake_platforms, meta_settings):
    """Post a comment on the fake page, poll it in, return a function that gives its Item."""
    channel = ChannelFactory(
        platform="facebook",
        account_id=DEMO_PAGE_ID,
        credentials={"access_token": fake_platforms.page_token()},
    )
    post = fake_platforms.add_post()

    def make(text, *, received_at=TUESDAY_NOON):
        made = fake_platforms.app.add_comment(
            platform="facebook",
            root_id=post["id"],
            parent_id="",
            text=text,
            sender={"id": "7281930000001", "name": "T"},
        )
        channel_poll(channel_id=channel.pk)
        Item.objects.filter(platform_id=made["id"]).update(received_at=received_at)
        return Item.objects.get(platform_id=made["id"])

    return make


def hides(fake):
    return [e for e in fake.admin("GET", "actions")["log"] if e["action"] == "hide"]


def test_a_threat_is_hidden_once_audited_with_its_clause_and_left_in_the_queue(
    comment, fake_platforms, django_capture_on_commit_callbacks
):
    item = comment(THREAT)
    with django_capture_on_commit_callbacks() as callbacks:
        item_classify(item_id=item.pk)
    action = Action.objects.get(item=item)
    assert (action.kind, action.status, action.requested_by) == ("hide", ActionStatus.PENDING, None)
    assert action.idempotency_key == f"auto-hide:{item.pk}"
    assert action.payload["rule"] == "threat"
    assert any(cb.args == (action.pk,) for cb in callbacks)
    event = AuditEvent.objects.get(item=item, verb="item.auto_hidden")
    assert event.actor is None
    assert event.clause == "2.3"
    assert event.detail["undo"] == "unhide"
    assert event.detail["source"] == "harassment.threat"

    action_execute(action.pk)
    item_classify(item_id=item.pk)  # re-classified (an edit, a redelivery): no second hide
    assert Action.objects.filter(item=item).count() == 1
    item.refresh_from_db()
    assert item.visibility == Visibility.HIDDEN
    assert item.state == ItemState.NEW  # still in the queue for an officer to confirm
    assert len(hides(fake_platforms)) == 1


def test_complaints_and_repairs_are_never_hidden_automatically(comment):
    item = comment("I want to make a complaint about the repair, call me on 07700 900123")
    item_classify(item_id=item.pk)
    item.refresh_from_db()
    assert item.route == "complaint"
    assert not Action.objects.filter(item=item).exists()
    assert not AuditEvent.objects.filter(item=item, verb="item.auto_hidden").exists()


def test_leads_switch_categories_on_and_off_without_a_deploy(comment):
    insult = comment("You are a useless idiot")
    item_classify(item_id=insult.pk)
    assert not Action.objects.filter(item=insult).exists()  # harassment insults are off by default

    AutoActionRule.objects.filter(category="harassment").update(enabled=True, min_score=0.8)
    AutoActionRule.objects.filter(category="personal_data").update(enabled=False)
    again = comment("You are a useless idiot, really")
    phone = comment("Call me on 07700 900123 about the flat")
    item_classify(item_id=again.pk)
    item_classify(item_id=phone.pk)
    assert Action.objects.get(item=again).payload["rule"] == "harassment"
    assert not Action.objects.filter(item=phone).exists()


def test_out_of_hours_setting_hides_high_risk_items_pending_review(comment):
    EscalationSettings.objects.update_or_create(pk=1, defaults={"hide_high_risk_out_of_hours": True})
    night = comment("You are a useless idiot", received_at=SATURDAY_NIGHT)
    day = comment("You are a useless idiot too", received_at=TUESDAY_NOON)
    item_classify(item_id=night.pk)
    item_classify(item_id=day.pk)
    assert Action.objects.get(item=night).payload["reason"] == "out_of_hours"
    assert not Action.objects.filter(item=day).exists()


def test_out_of_hours_hides_nothing_on_a_model_alone_though_it_advises_hate_down(comment):
    EscalationSettings.objects.update_or_create(pk=1, defaults={"hide_high_risk_out_of_hours": True})
    night = comment("Put local lads first, our own people first, then the rest.", received_at=SATURDAY_NIGHT)
    item_classify(item_id=night.pk)
    night.refresh_from_db()
    assert night.recommended_action == "hide"  # issue 10: hate gets action hide
    assert not Action.objects.filter(item=night).exists()  # but a model alone is for a person to judge


def test_safeguarding_at_night_emails_the_on_call_list_once_without_the_text(
    comment, settings, django_capture_on_commit_callbacks
):
    settings.ONCALL_EMAILS = ["duty.manager@havebury.com"]
    EscalationSettings.objects.update_or_create(
        pk=1, defaults={"on_call_emails": "lauren.eden@havebury.com, hayley.lambert@havebury.com"}
    )
    text = "My partner hits me and I'm scared to go home"
    item = comment(text, received_at=SATURDAY_NIGHT)
    with django_capture_on_commit_callbacks() as callbacks:
        item_classify(item_id=item.pk)
    assert [cb.func.__self__.name for cb in callbacks if hasattr(cb, "func")] == [
        "moderation.tasks.item_alert_on_call"
    ]

    assert item_alert_on_call(item_id=item.pk) == 3
    assert item_alert_on_call(item_id=item.pk) == 0  # a redelivered task sends nothing more
    (email,) = mail.outbox
    assert sorted(email.to) == [
        "duty.manager@havebury.com",
        "hayley.lambert@havebury.com",
        "lauren.eden@havebury.com",
    ]
    assert "Safeguarding" in email.subject
    assert f"/moderation/item/{item.pk}/" in email.body or f"/items/{item.pk}/" in email.body
    assert text not in email.body
    assert "hits me" not in email.subject
    assert AuditEvent.objects.get(item=item, verb="item.oncall_alerted").detail["recipients"] == 3
    assert not Action.objects.filter(item=item).exists()  # safeguarding is a route: never hidden


def test_a_threat_alerts_on_call_and_no_list_means_no_email(comment, settings):
    settings.ONCALL_EMAILS = []
    item = comment(THREAT)
    item_classify(item_id=item.pk)
    assert item_alert_on_call(item_id=item.pk) == 0
    assert mail.outbox == []
    settings.ONCALL_EMAILS = ["duty.manager@havebury.com"]
    assert item_alert_on_call(item_id=item.pk) == 1
    assert "Threat" in mail.outbox[0].subject
