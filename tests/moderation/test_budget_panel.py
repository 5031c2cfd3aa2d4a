"""The queue page shows what is left of each platform budget today and which decisions wait for the reset."""

from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from moderation.channels.youtube.quota import quota_day
from moderation.models import Channel, ChannelUsage, Item
from moderation.services.actions import action_execute
from moderation.services.ingest import channel_poll
from moderation.services.queue import item_act
from moderation.services.seed import havebury_seed
from tests.factories import officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(fake_platforms, network_settings):
    fake_platforms.app.seed("demo")
    havebury_seed()
    call_command("connect_demo_channels", fake_base=fake_platforms.base_url, wait=2)
    return {c.platform: c for c in Channel.objects.all()}


def test_the_queue_loads_the_budget_panel_and_lists_what_waits_for_tomorrow(client, demo, fake_platforms):
    youtube = demo["youtube"]
    assert channel_poll(channel_id=youtube.pk).status == "ok"
    today = quota_day(datetime.now(tz=UTC))
    ChannelUsage.objects.filter(channel=youtube, day=today).update(units=9_980)
    comment = Item.objects.filter(channel=youtube, kind="comment").order_by("id").first()
    kathryn = officer(first_name="Kathryn", last_name="Rowland")
    waiting = action_execute(
        action_id=item_act(item_id=comment.pk, actor=kathryn, kind="hide", clause="2.3").pk
    )
    assert waiting.next_attempt_at is not None

    client.force_login(officer())
    queue = client.get("/").content.decode()
    assert 'hx-get="/queue/budgets/"' in queue  # loaded after the page, so the queue itself stays fast
    panel = client.get("/queue/budgets/", headers={"HX-Request": "true"}).content.decode()
    assert "Platform budgets today" in panel
    assert "Quota: 20 of 10,000 units left today (0 moderation actions at 50 each)" in panel
    assert "posts left this month" in panel  # X's monthly read budget
    assert "Waiting for the reset (1)" in panel
    line = panel.split(f'data-waiting="{waiting.pk}"', 1)[1].split("</li>", 1)[0]
    assert "Hide" in line
    assert f'href="/items/{comment.pk}/"' in line
    assert "Kathryn Rowland" in line
    assert f"goes at {timezone.localtime(waiting.next_attempt_at).strftime('%a %-d %b %H:%M')}" in " ".join(
        line.split()
    )
    assert "LinkedIn" not in panel  # no budget there: nothing to show


def test_nothing_to_show_without_budgeted_channels(client):
    client.force_login(officer())
    assert client.get("/queue/budgets/").content.decode().strip() == ""


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get("/queue/budgets/")["Location"].startswith("/accounts/login/")


def test_the_item_page_says_when_a_waiting_action_goes_and_stops_polling_for_it(client, demo, fake_platforms):
    youtube = demo["youtube"]
    assert channel_poll(channel_id=youtube.pk).status == "ok"
    ChannelUsage.objects.filter(channel=youtube, day=quota_day(datetime.now(tz=UTC))).update(units=9_990)
    comment = Item.objects.filter(channel=youtube, kind="comment").order_by("id").first()
    me = officer()
    waiting = action_execute(action_id=item_act(item_id=comment.pk, actor=me, kind="hide", clause="2.3").pk)
    client.force_login(me)
    status = client.get(f"/items/{comment.pk}/actions/", headers={"HX-Request": "true"}).content.decode()
    when = timezone.localtime(waiting.next_attempt_at).strftime("%a %-d %b %H:%M")
    assert f"Waits for the platform's budget to reset: goes by itself at {when}." in status
    assert "hx-trigger" not in status  # no refresh every 2 s for hours
    page = client.get(f"/items/{comment.pk}/").content.decode()
    assert "Waits for the platform's budget to reset" in page
    assert 'hx-trigger="every 2s"' not in page
