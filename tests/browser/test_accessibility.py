"""axe-core (vendored) finds no serious or critical WCAG problems on the main screens."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_queue_keyboard import PASSWORD, shot
from tests.factories import FlagFactory, ItemFactory, lead

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


def test_main_screens_have_no_serious_accessibility_violations(page, live_server):
    item = ItemFactory(
        text="The damp in my bathroom is back, can someone come round?", route="repair", priority=2
    )
    FlagFactory(item=item, category="repair", clause="2.4", evidence="damp", evidence_start=4, evidence_end=8)
    user = lead(username="lauren.eden", first_name="Lauren", last_name="Eden")
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
        if name in ("settings", "reports"):
            shot(page, name)
    assert found == {name: [] for name in found}


@pytest.mark.parametrize("width", [640, 390])  # a 1280px screen at 200% zoom; a phone
def test_queue_and_item_fit_the_screen_at_200_percent_and_on_a_phone(browser, live_server, width):
    item = ItemFactory(text="Is the community hall open on Saturday? " * 4)
    FlagFactory(item=item)
    user = lead(username="hayley.lambert")
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
        shot(page, "item-phone")
    context.close()
