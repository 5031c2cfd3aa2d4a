"""axe-core (vendored) finds no serious or critical WCAG problems on the main screens."""

import importlib

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import expect

from moderation.models import PolicyTerm
from moderation.services.classify import item_classify
from moderation.services.seed import havebury_seed
from tests.browser.test_queue_keyboard import PASSWORD, shot
from tests.factories import AuthorFactory, FlagFactory, ItemFactory, lead

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def serious_violations(page):
    # Loaded from the app's own static files: the Content-Security-Policy refuses inline script,
    # which is what add_script_tag(path=...) injects (docs/security.md).
    origin = "/".join(page.url.split("/")[:3])
    page.add_script_tag(url=f"{origin}/static/vendor/axe-core/axe.min.js")
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def settings_as_installed():
    """What a fresh install's Settings hold: the seed (office hours, channels, canned replies) and
    the rows the migrations add, which an earlier transactional test's flush took away; plus a
    Lead's first words, so the screenshot shows the settings in use."""
    havebury_seed()
    for migration, step in (
        ("0003_policy_config", "seed_officers"),
        ("0005_pipeline_settings", "add_defaults"),
    ):
        getattr(importlib.import_module(f"moderation.migrations.{migration}"), step)(django_apps, None)
    PolicyTerm.objects.create(
        list_name="profanity", term="numpty", note="local insult, seen on the estate pages"
    )
    PolicyTerm.objects.create(list_name="profanity", term="scrounger*", note="and scroungers")


def test_main_screens_have_no_serious_accessibility_violations(page, live_server):
    item = ItemFactory(
        text="The damp in my bathroom is back, can someone come round?", route="repair", priority=2
    )
    FlagFactory(item=item, category="repair", clause="2.4", evidence="damp", evidence_start=4, evidence_end=8)
    user = lead(username="lauren.eden", first_name="Lauren", last_name="Eden")
    settings_as_installed()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()
    found = {}
    for name, path in (
        ("queue", "/"),
        ("item", f"/items/{item.pk}/"),
        ("settings", "/settings/"),
        ("settings-canned-replies", "/settings/canned-replies/"),
        ("team", "/settings/team/"),
        ("reports", "/reports/"),
        ("monthly", "/reports/monthly/"),
    ):
        page.goto(live_server.url + path)
        found[name] = serious_violations(page)
        if name == "settings":
            shot(page, name)  # reports.png is taken with a morning's work in it (test_work_queue_to_empty)
    assert found == {name: [] for name in found}


@pytest.mark.parametrize("width", [640, 390])  # a 1280px screen at 200% zoom; a phone
def test_queue_and_item_fit_the_screen_at_200_percent_and_on_a_phone(browser, live_server, width):
    item = ItemFactory(
        text=(
            "The damp in my bathroom is back for the third time this year and the mould is spreading "
            "onto the ceiling. My son has asthma and it is getting worse. Can someone come round this week?"
        ),
        author=AuthorFactory(handle="", display_name="Grace Okafor"),
        permalink="https://www.facebook.com/1029384756/posts/1001?comment_id=5647301",
    )
    item_classify(item_id=item.pk)  # the policy engine's own flags, evidence and route
    user = lead(username="hayley.lambert", first_name="Hayley", last_name="Lambert")
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()
    for path in ("/", f"/items/{item.pk}/"):
        page.goto(live_server.url + path)
        expect(page.get_by_role("button", name="Next item")).to_be_visible()
        # No sideways scrolling of the page itself (WCAG 1.4.10 Reflow); wide tables scroll in their card.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path
    if width == 390:
        # One column: the actions come straight after "Why it is here", the audit trail last.
        act = page.get_by_role("heading", name="Act").bounding_box()
        why = page.get_by_role("heading", name="Why it is here").bounding_box()
        trail = page.get_by_role("heading", name="Audit trail").bounding_box()
        assert why["y"] < act["y"] < trail["y"]
        shot(page, "item-phone")
    context.close()
