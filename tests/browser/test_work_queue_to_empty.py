"""Issue 8's done-when, in a browser: an officer works a small queue to empty with the keyboard only
(j/k, Enter, r with the reply templates, h, d, e), a Lead takes what was escalated, every decision
shows once on the fake platform and in the audit log, and the Lead edits a word list and a canned
reply in the app."""

import re

import pytest
from playwright.sync_api import expect

from moderation.models import Action, AuditEvent, AutoActionRule, CannedReply, Item, ItemState, PolicyTerm
from moderation.services.classify import item_classify
from moderation.services.ingest import channel_poll
from tests.browser.test_accessibility import serious_violations
from tests.browser.test_queue_keyboard import (
    back_to_queue,
    keys_ready,
    platform_log,
    run_worker,
    shot,
    sign_in,
    to_row,
)
from tests.factories import lead, officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMMENTS = {
    "repair": ("Dan Price", "The boiler in my flat is broken again, can someone come and fix it please"),
    "complaint": ("Jo Marsh", "Still waiting for someone to call me back about my rent account, this is shocking"),
    "threat": ("Sam Cole", "You are all useless idiots and I will make you pay for this"),
    "rumour": ("Pat Kerr", "Heard the chief executive is being investigated by the police, is it true?"),
    "friendly": ("Amy Shaw", "Lovely photos from the fun day, thanks to everyone who came"),
}  # fmt: skip
REPAIR_REPLY = "Hi {name}, sorry about this. Please report the repair on 0300 123 4567 and we'll book it in."
COMPLAINT_REPLY = "Hi {name}, we're sorry. Please email complaints@havebury.example with your details."


@pytest.fixture
def small_queue(fake_platforms, meta_settings):
    post = fake_platforms.add_post(text="Our summer fun day is on Saturday at the community hall")
    fake_platforms.add_people_comments(post["id"], list(COMMENTS.values()), id_base="72819310000")
    channel = fake_platforms.facebook_page_channel(display_name="Havebury Housing Partnership")
    AutoActionRule.objects.all().delete()  # every decision here is a person's
    channel_poll(channel_id=channel.pk)
    for item in Item.objects.filter(channel=channel).exclude(kind="post"):
        item_classify(item_id=item.pk)
    CannedReply.objects.all().delete()
    CannedReply.objects.create(title="Repairs: please contact us directly", route="repair", body=REPAIR_REPLY)
    CannedReply.objects.create(
        title="Complaints: the complaints team", route="complaint", body=COMPLAINT_REPLY
    )
    return {key: Item.objects.get(text=text) for key, (_, text) in COMMENTS.items()}


def open_with_keys(page, item):
    """From the queue, j/k to the item's row and Enter (which claims it)."""
    to_row(page, item)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"/items/{item.pk}/$"))
    keys_ready(page)


def confirm_platform_action(page):
    expect(page.locator("#actions-status")).to_contain_text("Pending")
    run_worker()
    expect(page.locator("#actions-status")).to_contain_text("platform confirmed")
    expect(page.locator("#actions-status .status-note")).to_contain_text("the item is closed")


def test_an_officer_works_the_queue_to_empty_by_keyboard_and_a_lead_edits_the_rules(
    browser, page, live_server, small_queue, fake_platforms
):
    items = small_queue
    sign_in(page, live_server, officer(username="kathryn.rowland", first_name="Kathryn", last_name="Rowland"))
    expect(page.locator("#rows [data-row]")).to_have_count(5)

    # 1. Repair (GP014 2.4): r, the repair template is already chosen with the author's name; send it.
    open_with_keys(page, items["repair"])
    expect(page.get_by_text("You have this item.")).to_be_visible()
    page.keyboard.press("r")
    expect(page.locator("#reply-text")).to_be_focused()
    expect(page.locator("#reply-text")).to_have_value(REPAIR_REPLY.format(name="Dan Price"))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    confirm_platform_action(page)
    back_to_queue(page, 4)

    # 2. Complaint: r, then Shift+Tab to the templates and choose the complaints one by keyboard.
    open_with_keys(page, items["complaint"])
    page.keyboard.press("r")
    page.keyboard.press("Shift+Tab")
    expect(page.locator("#canned")).to_be_focused()
    for _ in range(3):
        if page.locator("#reply-text").input_value() == COMPLAINT_REPLY.format(name="Jo Marsh"):
            break
        page.keyboard.press("ArrowDown")
    expect(page.locator("#reply-text")).to_have_value(COMPLAINT_REPLY.format(name="Jo Marsh"))
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator("[data-action=reply]")).to_be_focused()
    page.keyboard.press("Enter")
    confirm_platform_action(page)
    back_to_queue(page, 3)

    # 3. The threat: h asks for the clause (2.3 already chosen); Tab, Enter hides it on Facebook.
    open_with_keys(page, items["threat"])
    page.keyboard.press("h")
    expect(page.locator("#dialog-hide")).to_be_visible()
    expect(page.locator("#clause-hide")).to_have_value("2.3")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    confirm_platform_action(page)
    back_to_queue(page, 2)

    # 4. The rumour about a named person: e hands it to a Lead with a note typed in the dialog.
    open_with_keys(page, items["rumour"])
    page.keyboard.press("e")
    expect(page.locator("#escalate-note")).to_be_focused()
    page.keyboard.type("Possible defamation of the chief executive; your call.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator(".message.success")).to_contain_text("Escalated to a Lead")
    expect(page.locator(".message.warning")).to_have_count(0)  # the officer reads it; taking it is a Lead's

    # 5. The friendly comment: d dismisses it as a false flag.
    back_to_queue(page, 2)  # the escalated item stays listed (for Leads) until one takes it
    open_with_keys(page, items["friendly"])
    page.keyboard.press("d")
    expect(page.locator("#dismiss-reason")).to_be_focused()
    page.keyboard.type("Just a thank-you")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator(".message.success")).to_contain_text("Dismissed")
    back_to_queue(page, 1)
    expect(page.locator("#rows [data-row] .pill.escalated")).to_have_text("Escalated")

    # The Lead takes the escalated item (Enter claims it for her) and dismisses it: the queue is empty.
    lauren = lead(username="lauren.eden", first_name="Lauren", last_name="Eden")
    context = browser.new_context()
    lead_page = context.new_page()
    sign_in(lead_page, live_server, lauren)
    expect(lead_page.locator("#rows [data-row]")).to_have_count(1)
    open_with_keys(lead_page, items["rumour"])
    expect(lead_page.get_by_text("You have this item.")).to_be_visible()
    expect(lead_page.locator(".escalation-note")).to_contain_text(
        "Escalated to a Lead by Kathryn Rowland"
    )  # and why, while she works it
    expect(lead_page.locator(".escalation-note")).to_contain_text(
        "Possible defamation of the chief executive"
    )
    lead_page.keyboard.press("d")
    lead_page.keyboard.type("Checked: public knowledge, no breach")
    lead_page.keyboard.press("Tab")
    lead_page.keyboard.press("Enter")
    expect(lead_page.locator(".message.success")).to_contain_text("Dismissed")
    back_to_queue(lead_page, 0)
    expect(lead_page.locator("#rows")).to_contain_text("Nothing here.")
    shot(lead_page, "queue-empty")

    # Every decision reached the platform once, and the audit log has each once.
    replies = [r["message"] for r in platform_log(fake_platforms, "reply")]
    assert replies == [REPAIR_REPLY.format(name="Dan Price"), COMPLAINT_REPLY.format(name="Jo Marsh")]
    assert [h["id"] for h in platform_log(fake_platforms, "hide")] == [items["threat"].platform_id]
    assert {e["action"] for e in fake_platforms.admin("GET", "actions")["log"]} == {"reply", "hide"}
    outcomes = {"repair": "replied", "complaint": "replied", "threat": "hidden", "rumour": "dismissed", "friendly": "dismissed"}  # fmt: skip
    for key, item in items.items():
        item.refresh_from_db()
        assert (item.state, item.outcome) == (ItemState.RESOLVED, outcomes[key]), key
        resolved = AuditEvent.objects.filter(item=item, verb="item.transition", after__state="resolved")
        assert resolved.count() == 1, key
    for action in Action.objects.all():
        verbs = AuditEvent.objects.filter(target_type="moderation.action", target_id=str(action.pk))
        assert sorted(verbs.values_list("verb", flat=True)) == ["action.requested", "action.sent"]
    escalated = AuditEvent.objects.get(item=items["rumour"], verb="item.transition", after__state="escalated")
    assert escalated.detail["note"] == "Possible defamation of the chief executive; your call."
    # ... and the item page's audit trail says so in words.
    lead_page.goto(f"{live_server.url}/items/{items['rumour'].pk}/")
    trail = lead_page.locator("ol.audit")
    expect(trail).to_contain_text("Escalated to a Lead")
    expect(trail).to_contain_text("Taken by a Lead")
    expect(trail).to_contain_text("Resolved: Dismissed (no breach)")
    # The reports count the morning's work: five comments, the decisions by officer, and no false
    # flags (the two dismissed comments, the rumour and the thank-you, carried none).
    lead_page.goto(f"{live_server.url}/reports/")
    expect(lead_page.locator("body")).to_contain_text("5 comments received")
    expect(lead_page.locator("body")).to_contain_text("false flags (0 of 3)")
    expect(lead_page.locator("table", has_text="Officer")).to_contain_text("Kathryn Rowland")
    assert serious_violations(lead_page) == []
    shot(lead_page, "reports")

    # The Lead adds a word to a word list and changes a canned reply, in the app.
    lead_page.goto(f"{live_server.url}/settings/")
    lead_page.get_by_role("link", name="Word lists").first.click()
    lead_page.get_by_label("List name").select_option("profanity")
    lead_page.get_by_label("Term").fill("numpty")
    lead_page.get_by_label("Note").fill("local insult, seen on the estate pages")
    lead_page.get_by_role("button", name="Add").click()
    expect(lead_page.locator(".message.success")).to_be_visible()
    expect(lead_page.locator("table")).to_contain_text("numpty")
    shot(lead_page, "settings-word-lists")
    lead_page.get_by_role("link", name="Canned replies").first.click()
    lead_page.get_by_role("link", name="Change Complaints: the complaints team").click()
    new_body = "Hi {name}, sorry to hear this. Please call 0300 123 4567 and ask for the complaints team."
    lead_page.get_by_label("Body").fill(new_body)
    lead_page.get_by_role("button", name="Save changes").click()
    expect(lead_page.locator("table")).to_contain_text("ask for the complaints team")
    assert PolicyTerm.objects.filter(list_name="profanity", term="numpty").exists()
    assert CannedReply.objects.get(title="Complaints: the complaints team").body == new_body
    changed = AuditEvent.objects.filter(actor=lauren, verb__startswith="settings.")
    assert changed.count() == 2

    # The word counts from the next comment on; the changed template is the one officers are offered.
    fake_platforms.app.add_comment(
        platform="facebook",
        root_id="",  # the newest post
        parent_id="",
        text="What a numpty decision about the car park",
        sender={"id": "728193100099", "name": "Lee Wood"},
    )
    channel_poll(channel_id=items["repair"].channel_id)
    newcomer = Item.objects.get(text__startswith="What a numpty")
    item_classify(item_id=newcomer.pk)
    assert "numpty" in [f.evidence.lower() for f in newcomer.flags.all()]
    page.goto(f"{live_server.url}/items/{newcomer.pk}/")
    expect(page.locator("#canned")).to_contain_text("Complaints: the complaints team")
    page.locator("#canned").select_option(label="Complaints: the complaints team (Complaint)")
    expect(page.locator("#reply-text")).to_have_value(new_body.format(name="Lee Wood"))
    context.close()
