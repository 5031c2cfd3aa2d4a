"""A Lead sees why a channel is failing and when it tries again, and changes its poll intervals."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from moderation.models import Channel
from tests.browser.test_accessibility import serious_violations
from tests.browser.test_queue_keyboard import PASSWORD, shot
from tests.factories import ChannelFactory, lead

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_failing_channel_and_poll_intervals_pages(page, live_server):
    failing = ChannelFactory(
        platform="facebook",
        handle="HaveburyHousing",
        credentials={"access_token": "t"},
        health="degraded",
        poll_failures=3,
        last_error="Facebook answered HTTP 503; will retry.",
        last_polled_at=timezone.now() - dt.timedelta(seconds=10),
    )
    ChannelFactory(platform="instagram", handle="haveburyhousing", credentials={"access_token": "t"})
    user = lead(username="lauren.eden")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()

    page.goto(f"{live_server.url}/channels/")
    row = page.get_by_role("row", name="Facebook HaveburyHousing")
    expect(row).to_contain_text("HTTP 503")
    expect(row).to_contain_text("Next try")
    expect(row).to_contain_text("last 3 polls in a row failed")
    assert serious_violations(page) == []
    shot(page, "channels-backoff")

    page.get_by_role("link", name="Facebook HaveburyHousing").click()
    expect(page.get_by_role("alert")).to_contain_text("Polls are failing (3 in a row)")
    expect(page.get_by_role("alert")).to_contain_text("Next try at")
    assert serious_violations(page) == []

    page.get_by_role("link", name="change").click()
    expect(page.get_by_role("heading", name="Poll intervals")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name=f"Change {failing}").click()
    page.get_by_label("Busy interval (s)").fill("45")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status").first).to_contain_text("Saved")
    shot(page, "settings-poll-intervals")
    assert Channel.objects.get(pk=failing.pk).busy_poll_interval == 45
