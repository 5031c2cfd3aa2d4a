"""The demo queue in a browser: all five networks in the inbox, and the budget panel (htmx, after the
queue) with YouTube's quota left and the decision that waits for the reset."""

from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from moderation.channels.youtube.quota import quota_day
from moderation.models import Channel, ChannelUsage, Item
from moderation.services.actions import action_execute
from moderation.services.classify import item_classify
from moderation.services.ingest import channel_poll
from moderation.services.queue import item_act
from moderation.services.seed import havebury_seed
from tests.browser.test_accessibility import serious_violations
from tests.browser.test_queue_keyboard import SHOTS, sign_in
from tests.factories import officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_network_is_in_the_queue_with_the_budgets_beside_it(
    page, live_server, fake_platforms, network_settings
):
    fake_platforms.app.seed("demo")
    havebury_seed()
    call_command("connect_demo_channels", fake_base=fake_platforms.base_url, wait=2)
    channels = {c.platform: c for c in Channel.objects.all()}
    for channel in channels.values():
        assert channel_poll(channel_id=channel.pk).status == "ok", channel
    for item in Item.objects.exclude(kind="post").filter(classified_at__isnull=True):
        item_classify(item_id=item.pk)
    youtube = channels["youtube"]
    ChannelUsage.objects.filter(channel=youtube, day=quota_day(datetime.now(tz=UTC))).update(units=9_990)
    kathryn = officer(username="kathryn.rowland", first_name="Kathryn", last_name="Rowland")
    held = Item.objects.filter(channel=youtube, kind="comment").order_by("id").first()
    waiting = action_execute(action_id=item_act(item_id=held.pk, actor=kathryn, kind="hide", clause="2.3").pk)
    assert waiting.next_attempt_at is not None

    sign_in(page, live_server, kathryn)
    panel = page.locator("#budgets")
    expect(panel.get_by_role("heading", name="Platform budgets today")).to_be_visible()
    expect(panel).to_contain_text("Quota: 10 of 10,000 units left today")
    expect(panel).to_contain_text("posts left this month")
    expect(panel).to_contain_text("Waiting for the reset (1)")
    expect(panel.locator(f'[data-waiting="{waiting.pk}"] a')).to_have_attribute("href", f"/items/{held.pk}/")
    assert serious_violations(page) == []  # the panel too (WCAG 2.2 AA, axe-core)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 1100})
    page.screenshot(path=str(SHOTS / "queue-demo.png"))  # the top of a long demo queue
    # Each network's items are in the inbox (filtered by channel, as an officer would).
    for platform, channel in channels.items():
        page.goto(f"{live_server.url}/?channel={channel.pk}")
        expect(page.locator("#rows [data-row]").first).to_be_visible()
        assert page.locator("#rows [data-row]").count() > 0, platform
