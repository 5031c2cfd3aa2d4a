"""The item page shows the platform's answer to an officer's action without a reload: the action
goes out asynchronously, and the poll of its status brings the rest of the page with it."""

import pytest
from playwright.sync_api import expect

from moderation.models import AutoActionRule, Item
from moderation.services.classify import item_classify
from tests.browser.test_queue_keyboard import keys_ready, run_worker, sign_in
from tests.factories import officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_confirmed_hide_shows_on_the_item_page_without_reloading(
    page, live_server, fake_platforms, meta_settings
):
    AutoActionRule.objects.all().delete()  # the hide is the officer's
    channel = fake_platforms.polled_facebook_comment(
        text="You are all useless idiots and I will make you pay for this",
        sender={"id": "7281930000077", "name": "Sam Cole"},
    )
    item = Item.objects.get(channel=channel, kind="comment")
    item_classify(item_id=item.pk)
    sign_in(page, live_server, officer())
    page.goto(f"{live_server.url}/items/{item.pk}/")
    expect(page.locator("#claim-banner")).to_contain_text("You have this item.")
    keys_ready(page)
    page.locator("#act-buttons").get_by_role("button", name="Hide").click()
    page.locator("#dialog-hide").get_by_role("button", name="Hide it").click()
    expect(page.locator("#actions-status")).to_contain_text("Pending")
    expect(page.locator("#item-platform-state")).to_have_text("")
    page.evaluate("window.sameDocument = true")  # gone if the page reloads

    run_worker()  # the platform confirms the hide

    expect(page.locator("#actions-status")).to_contain_text("platform confirmed")
    expect(page.locator("#item-platform-state")).to_have_text("Hidden on Facebook")
    expect(page.locator("#claim-banner")).to_contain_text("Resolved: Hidden")
    buttons = page.locator("#act-buttons")
    expect(buttons.get_by_role("button", name="Unhide (undo)")).to_be_visible()
    expect(buttons.get_by_role("button", name="Dismiss")).to_have_count(0)  # no longer open
    expect(page.locator("#audit-trail")).to_contain_text("Hide confirmed by the platform")
    assert page.evaluate("window.sameDocument") is True
    assert page.locator("#claim-banner").count() == 1  # swapped in place, not added
