"""The queue and item pages for each role: officers act, viewers read, anonymous signs in."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from moderation.models import Action, Item, ItemState, Outcome
from moderation.services.queue import item_dismiss, item_escalate
from tests.factories import ChannelFactory, FlagFactory, ItemFactory, lead, officer, viewer

pytestmark = pytest.mark.django_db


def rows(body):
    return re.findall(r'id="row-(\d+)"', body)


@pytest.mark.parametrize("url", ["/", "/items/1/", "/items/1/actions/", "/queue/arrivals/"])
def test_anonymous_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_queue_shows_human_labels_the_explanation_and_counts(client):
    urgent = ItemFactory(
        priority=3, text="my husband hits me", route="personal_issue", recommended_action="respond_offline"
    )
    FlagFactory(
        item=urgent,
        category="personal_issue",
        clause="2.4",
        evidence="hits me",
        score=0.83,
        explanation="Shares a personal safety issue that GP014 2.4 asks us to take to direct contact.",
    )
    ItemFactory(priority=0, text="Lovely fun day")
    ItemFactory(state="resolved", outcome="dismissed", text="already dealt with")
    ItemFactory(state="escalated")
    client.force_login(officer())
    body = client.get("/").content.decode()
    assert body.index("my husband hits me") < body.index("Lovely fun day")
    assert "<b>Personal issue</b> · GP014 2.4 · 83%" in body
    assert "Shares a personal safety issue that GP014 2.4" in body  # visible, not a tooltip
    assert "Signpost to direct contact" in body
    assert "personal_issue</b>" not in body
    assert "already dealt with" not in body
    assert "<b>2</b> new" in body
    assert "<b>1</b> escalated" in body
    assert 'data-action="claim"' in body


def test_queue_queries_stay_constant_as_the_page_fills(client):
    client.force_login(officer())
    ItemFactory.create_batch(3)
    cache.clear()  # the shared state counts are cached for a few seconds; measure the uncached page
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for item in ItemFactory.create_batch(40):
        FlagFactory(item=item)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        body = client.get("/").content.decode()
    assert len(rows(body)) == 43
    assert len(many) == len(few)


def test_keyset_pages_do_not_overlap_and_keep_filters(client):
    channel = ChannelFactory()
    ItemFactory.create_batch(55, channel=channel)
    ItemFactory.create_batch(3)  # another channel, filtered out
    client.force_login(officer())
    first = client.get(f"/?channel={channel.pk}").content.decode()
    assert len(rows(first)) == 50
    link = re.search(r'href="(\?[^"]*after=[^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    assert f"channel={channel.pk}" in link
    second = client.get("/" + link).content.decode()
    assert len(rows(second)) == 5
    assert not set(rows(first)) & set(rows(second))


def test_filters_in_the_url_and_bad_values_explained(client):
    harassing = ItemFactory(text="you will regret this")
    FlagFactory(item=harassing, category="harassment")
    ItemFactory(text="When is the fun day?")
    client.force_login(officer())
    body = client.get("/?category=harassment&q=regret").content.decode()
    assert rows(body) == [str(harassing.pk)]
    body = client.get("/?priority=banana&state=gone").content.decode()
    assert "Ignored priority=&#x27;banana&#x27;" in body
    assert "Ignored state=&#x27;gone&#x27;" in body
    assert len(rows(body)) == 2


def test_arrivals_lists_only_items_newer_than_the_page(client):
    old = ItemFactory()
    client.force_login(officer())
    assert rows(client.get(f"/queue/arrivals/?since={old.pk}").content.decode()) == []
    new = ItemFactory()
    body = client.get(f"/queue/arrivals/?since={old.pk}").content.decode()
    assert rows(body) == [str(new.pk)]
    assert "1 new since you opened this page" in body


def test_opening_an_item_claims_it_and_others_see_who_has_it(client):
    item = ItemFactory(text="Any news on my boiler?")
    FlagFactory(
        item=item, evidence="boiler", evidence_start=16, evidence_end=22, category="repair", clause="2.4"
    )
    hayley = officer(first_name="Hayley", last_name="Lambert")
    client.force_login(hayley)
    body = client.get(f"/items/{item.pk}/").content.decode()
    assert "You have this item." in body
    assert '<mark title="Repair request">boiler</mark>' in body
    item.refresh_from_db()
    assert item.claimed_by == hayley
    client.force_login(officer())
    body = client.get(f"/items/{item.pk}/").content.decode()
    assert "Hayley Lambert is working on this" in body


def test_item_page_offers_only_what_the_channel_can_do(client, meta_settings):
    fb = ItemFactory()
    ig = ItemFactory(channel=ChannelFactory(platform="instagram"))
    mention = ItemFactory(kind="mention")
    client.force_login(lead())
    fb_body = client.get(f"/items/{fb.pk}/").content.decode()
    for kind in ("reply", "hide", "delete", "block", "report", "dismiss", "escalate", "note"):
        assert f'data-action="{kind}"' in fb_body, kind
    ig_body = client.get(f"/items/{ig.pk}/").content.decode()
    assert 'data-action="block"' not in ig_body  # Instagram has no ban API
    mention_body = client.get(f"/items/{mention.pk}/").content.decode()
    assert 'data-action="hide"' not in mention_body  # someone else's post


def test_officer_acts_from_the_item_page(client, meta_settings, django_capture_on_commit_callbacks):
    item = ItemFactory()
    FlagFactory(item=item)
    client.force_login(officer())
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(f"/items/{item.pk}/hide/", {"clause": "2.3"}, follow=True)
    action = Action.objects.get(item=item)
    assert (action.kind, action.status, action.payload["clause"]) == ("hide", "pending", "2.3")
    assert "sent to Facebook" in response.content.decode()
    response = client.post(f"/items/{item.pk}/dismiss/", {"reason": "not a breach"}, follow=True)
    item.refresh_from_db()
    assert item.outcome == Outcome.DISMISSED
    assert 'class="message success"' in response.content.decode()


def test_refusals_show_as_errors_and_change_nothing(client):
    item = ItemFactory()
    client.force_login(viewer())
    body = client.get(f"/items/{item.pk}/").content.decode()
    assert 'data-action="hide"' not in body
    response = client.post(f"/items/{item.pk}/dismiss/", follow=True)
    assert 'class="message error"' in response.content.decode()
    item.refresh_from_db()
    assert item.state == ItemState.NEW


def test_bulk_dismiss_a_spam_wave(client):
    spam = ItemFactory.create_batch(3, text="cheap followers here")
    keep = ItemFactory()
    client.force_login(officer())
    response = client.post("/queue/bulk/", {"kind": "dismiss", "ids": [i.pk for i in spam]}, follow=True)
    assert "Dismissed 3 items." in response.content.decode()
    assert Item.objects.filter(outcome=Outcome.DISMISSED).count() == 3
    keep.refresh_from_db()
    assert keep.state == ItemState.NEW


def test_next_item_claims_and_opens(client):
    item = ItemFactory(priority=3)
    client.force_login(officer())
    response = client.post("/queue/next/")
    assert response["Location"] == f"/items/{item.pk}/"
    # Nothing unclaimed is left, but she has not finished hers: n takes her back to it.
    response = client.post("/queue/next/", follow=True)
    assert response.redirect_chain[-1][0] == f"/items/{item.pk}/"
    assert "this one is still yours to finish" in response.content.decode()
    client.post(f"/items/{item.pk}/dismiss/")
    response = client.post("/queue/next/", follow=True)
    assert "the queue is clear" in response.content.decode()


def test_an_officer_opening_an_escalated_item_reads_it_without_a_permission_warning(client):
    item = ItemFactory(state=ItemState.ESCALATED)
    client.force_login(officer())
    body = client.get(f"/items/{item.pk}/").content.decode()
    assert "<b>Escalated to a Lead</b>." in body
    assert 'class="message warning"' not in body
    item.refresh_from_db()
    assert item.state == ItemState.ESCALATED
    client.force_login(lead())
    assert "You have this item." in client.get(f"/items/{item.pk}/").content.decode()


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("semantic:harassment@2026.12.02", "the meaning model"),
        ("route.repair.health_hazard", "the signposting rules"),
        ("personal_data.phone", "the personal data patterns"),
        ("profanity.lexicon", "the word lists and rules"),
    ],
)
def test_item_page_says_which_check_found_a_flag_in_words(client, source, words):
    item = ItemFactory(text="The damp is back")
    FlagFactory(item=item, source=source, evidence="damp", evidence_start=4, evidence_end=8)
    client.force_login(officer())
    body = client.get(f"/items/{item.pk}/").content.decode()
    assert f"found by {words}</p>" in body
    assert source not in body


def test_the_lead_sees_who_escalated_an_item_and_why_while_she_works_it(client):
    item = ItemFactory(text="Heard the chief executive is being investigated, is it true?")
    kathryn = officer(first_name="Kathryn", last_name="Rowland")
    item_escalate(item_id=item.pk, actor=kathryn, note="Possible defamation; your call.")
    client.force_login(kathryn)
    body = client.get(f"/items/{item.pk}/").content.decode()
    assert 'class="claim-banner escalated"' in body
    assert "<b>Escalated to a Lead</b> by Kathryn Rowland at " in body
    assert "“Possible defamation; your call.”" in body
    client.force_login(lead())
    body = client.get(f"/items/{item.pk}/").content.decode()  # opening it takes it for her
    assert "You have this item." in body
    assert re.search(
        r'class="escalation-note">Escalated to a Lead by Kathryn Rowland at [^“<]+: “Possible defamation; your call\.”',
        body,
    )
    item_dismiss(item_id=item.pk, actor=Item.objects.get(pk=item.pk).claimed_by, reason="public knowledge")
    assert "escalation-note" not in client.get(f"/items/{item.pk}/").content.decode()
