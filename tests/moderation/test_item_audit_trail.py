"""The item page's audit trail reads as words, for a decision that really went to the (fake) platform."""

import re

import pytest
from django.utils.html import strip_tags

from moderation import labels
from moderation.models import Action, Item
from moderation.tasks import action_execute
from tests.factories import officer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def facebook(fake_platforms, meta_settings):
    return fake_platforms.polled_facebook_comment(
        text="Get 10k followers now, cheap deals at followers-fast.example",
        sender={"id": "728193000001", "name": "Promo Bot"},
    )


def trail(body):
    """The audit trail's lines as a person reads them (tags stripped)."""
    section = body.split("<h2>Audit trail</h2>", 1)[1].split("</ol>", 1)[0]
    return [" ".join(strip_tags(li).split()) for li in re.findall(r"<li>(.*?)</li>", section, re.S)]


def test_the_trail_says_what_happened_in_words_not_verbs(client, facebook, fake_platforms):
    item = Item.objects.exclude(kind="post").get(channel=facebook)
    client.force_login(officer(first_name="Kathryn", last_name="Rowland", username="kathryn"))
    client.get(f"/items/{item.pk}/")  # opening claims it
    client.post(f"/items/{item.pk}/note/", {"text": "Looks like the usual bot"})
    client.post(f"/items/{item.pk}/hide/", {"clause": "2.3"})
    action_execute(Action.objects.get(item=item).pk)  # what the worker does
    assert [e["id"] for e in fake_platforms.admin("GET", "actions")["log"] if e["action"] == "hide"] == [
        item.platform_id
    ]

    lines = trail(client.get(f"/items/{item.pk}/").content.decode())
    said = [line.split(" · ", 2)[2] for line in lines]
    assert said == [
        "Claimed",
        "Note: “Looks like the usual bot”",
        "Hide requested",
        "Hide confirmed by the platform",
        "Resolved: Hidden · GP014 2.3",
    ], lines
    assert all(" · Kathryn Rowland · " in line for line in lines)
    for raw in ("item.transition", "action.requested", "action.sent", "in_review", "item.note"):
        assert not any(raw in line for line in lines), raw


@pytest.mark.parametrize(
    ("verb", "before", "after", "detail", "words"),
    [
        ("item.transition", {"state": "in_review"}, {"state": "new"}, {"reason": "released"}, "Released back to the queue"),
        ("item.transition", {"state": "in_review"}, {"state": "new"}, {"reason": "action_failed"}, "Back in the queue: the platform action failed"),
        ("item.transition", {"state": "escalated"}, {"state": "in_review"}, None, "Taken by a Lead"),
        ("item.transition", {"state": "in_review"}, {"state": "escalated"}, None, "Escalated to a Lead"),
        ("item.transition", {"state": "in_review"}, {"state": "resolved", "outcome": "blocked"}, None, "Resolved: Author blocked"),
        ("action.failed", None, {"kind": "delete", "status": "failed"}, {}, "Delete failed"),
        ("action.recorded", None, {"kind": "report", "status": "confirmed"}, {}, "Reported on the platform (recorded by the officer)"),
        ("action.requested", None, {"kind": "unblock", "status": "pending"}, {}, "Unblock requested"),
        ("item.auto_hidden", None, None, {}, "Hidden automatically (the Lead's automatic-action rule)"),
        ("item.something_new", None, None, {}, "Item: something new"),
    ],
)  # fmt: skip
def test_each_kind_of_event_has_words(verb, before, after, detail, words):
    assert labels.audit_label(verb, before, after, detail) == words
