"""X, YouTube and LinkedIn end to end: connect, poll into the queue, act (real loopback HTTP)."""

from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from moderation.errors import ActionNotAvailable
from moderation.models import AuditEvent, Channel, Item
from moderation.services.actions import action_execute, action_request
from moderation.services.ingest import channel_poll
from moderation.services.seed import havebury_seed
from tests.factories import ChannelFactory, lead

pytestmark = pytest.mark.django_db
NETWORKS = ("x", "youtube", "linkedin")


@pytest.fixture
def demo(fake_platforms, network_settings):
    """The demo as `make run` has it: seeded fake platforms, seeded channels, all five connected."""
    fake_platforms.app.seed("demo")
    havebury_seed()
    call_command("connect_demo_channels", fake_base=fake_platforms.base_url, wait=2)
    return {c.platform: c for c in Channel.objects.all()}


def log_of(fake, platform):
    return [e for e in fake.admin("GET", "actions")["log"] if e.get("platform") == platform]


@pytest.mark.parametrize("platform", NETWORKS)
def test_a_lead_connects_through_the_consent_screen(client, fake_platforms, network_settings, platform):
    channel = ChannelFactory(platform=platform)
    client.force_login(lead())
    start = client.post(reverse("moderation:channel-connect", args=[channel.pk]))
    assert start.status_code == 302
    fields = dict(parse_qsl(urlsplit(start["Location"]).query))
    answer = requests.post(
        start["Location"].split("?")[0],
        data={**fields, "decision": "allow"},
        allow_redirects=False,
        timeout=5,
    )
    callback = urlsplit(answer.headers["Location"])
    client.get(callback.path + "?" + callback.query)
    channel.refresh_from_db()
    assert channel.is_connected
    assert channel.account_id
    assert channel.token_expires_at is not None


def test_the_demo_connects_all_five_and_every_network_fills_the_queue(demo):
    assert sorted(demo) == ["facebook", "instagram", "linkedin", "x", "youtube"]
    assert all(c.is_connected for c in demo.values())
    for platform in NETWORKS:
        result = channel_poll(channel_id=demo[platform].pk)
        assert result.status == "ok", result.message
        assert Item.objects.filter(channel=demo[platform]).exclude(kind="post").count() > 5


def test_the_next_x_poll_reads_only_what_is_new(demo, fake_platforms):
    channel = demo["x"]
    channel_poll(channel_id=channel.pk)
    channel.refresh_from_db()
    assert channel.cursor["adapter"]["since"]  # the finished sweep handed on its since-markers
    again = channel_poll(channel_id=channel.pk)
    assert again.total("new") == 0
    assert channel.rate_limit_state.get("reads", 0) > 0
    assert Channel.objects.get(pk=channel.pk).rate_limit_state["reads"] == 0  # nothing re-read


def test_actions_reach_the_fake_server_or_are_refused_up_front(demo, fake_platforms):
    for platform in NETWORKS:
        channel_poll(channel_id=demo[platform].pk)
    officer = lead()
    youtube = Item.objects.filter(channel=demo["youtube"], kind="comment", visibility="visible").first()
    done = action_execute(action_id=action_request(kind="hide", actor=officer, item_id=youtube.pk).pk)
    assert done.status == "sent"
    assert [e["action"] for e in log_of(fake_platforms, "youtube")] == ["hide"]
    linkedin = Item.objects.filter(channel=demo["linkedin"], kind="comment").first()
    with pytest.raises(ActionNotAvailable):
        action_request(kind="hide", actor=officer, item_id=linkedin.pk)
    with pytest.raises(ActionNotAvailable):
        action_request(kind="block", actor=officer, item_id=linkedin.pk)
    action_execute(action_id=action_request(kind="delete", actor=officer, item_id=linkedin.pk).pk)
    assert [e["action"] for e in log_of(fake_platforms, "linkedin")] == ["delete"]
    mention = Item.objects.filter(channel=demo["x"], kind="mention").first()
    with pytest.raises(ActionNotAvailable):
        action_request(kind="delete", actor=officer, item_id=mention.pk)
    with pytest.raises(ActionNotAvailable):
        action_request(kind="hide", actor=officer, item_id=mention.pk)  # not in our conversation
    sent = action_execute(action_id=action_request(kind="block", actor=officer, item_id=mention.pk).pk)
    assert sent.status == "sent"
    assert fake_platforms.app.x.state["muted"] == [mention.author.platform_user_id]
    reply = action_request(kind="reply", actor=officer, item_id=mention.pk, payload={"text": "Please DM us"})
    assert action_execute(action_id=reply.pk).status == "sent"
    ban = action_request(kind="block", actor=officer, item_id=youtube.pk)
    assert action_execute(action_id=ban.pk).status == "sent"
    assert fake_platforms.app.youtube.state["banned"] == [youtube.author.platform_user_id]


def test_an_expiring_token_is_renewed_before_polling(demo, fake_platforms):
    channel = demo["youtube"]
    old = channel.credentials["access_token"]
    Channel.objects.filter(pk=channel.pk).update(token_expires_at=timezone.now() + timedelta(minutes=1))
    assert channel_poll(channel_id=channel.pk).status == "ok"
    channel.refresh_from_db()
    assert channel.credentials["access_token"] != old
    assert channel.token_expires_at > timezone.now() + timedelta(minutes=30)
    assert AuditEvent.objects.filter(verb="channel.token_refreshed").count() == 1


def test_an_expired_token_without_refresh_needs_a_reconnect(demo, fake_platforms):
    fake_platforms.admin("POST", "linkedin/tokens/expire")
    result = channel_poll(channel_id=demo["linkedin"].pk)
    assert result.status == "needs_reconnect"


def test_the_ledger_counts_youtube_units_and_x_reads_and_budgets_plan_from_it(demo, fake_platforms):
    from moderation.models import ChannelUsage

    channel_poll(channel_id=demo["youtube"].pk)
    youtube = ChannelUsage.objects.get(channel=demo["youtube"])
    assert youtube.units >= 2  # at least the published and held-for-review listings
    item = Item.objects.filter(channel=demo["youtube"], kind="comment").first()
    action_execute(action_id=action_request(kind="hide", actor=lead(), item_id=item.pk).pk)
    youtube.refresh_from_db()
    listed = youtube.units - 50
    assert listed >= 2  # the write cost 50 units
    channel_poll(channel_id=demo["x"].pk)
    reads = ChannelUsage.objects.get(channel=demo["x"]).units
    assert reads > 0
    # A month's budget already used up: the next poll is refused before any call and waits.
    ChannelUsage.objects.filter(channel=demo["x"]).update(units=10**6)
    waited = channel_poll(channel_id=demo["x"].pk)
    assert waited.status == "rate_limited"
    assert waited.api_calls == 0
    assert "read budget" in waited.message


def test_the_capability_matrix_shows_what_each_platform_allows_and_the_limits(client, demo, fake_platforms):
    from tests.factories import officer

    channel_poll(channel_id=demo["youtube"].pk)
    channel_poll(channel_id=demo["x"].pk)
    client.force_login(officer())
    page = client.get(reverse("moderation:channel-capabilities")).content.decode()
    assert "Mute (not on posts). Blocking through the X API needs an Enterprise plan" in page
    assert "Ban: rejected with banAuthor" in page
    assert "X lets an account delete only its own posts" in page
    assert "LinkedIn has no API to hide a comment" in page
    assert page.count("Report to the platform (GP014 2.5)") >= 5
    assert "not on mentions" in page  # X hides only replies in our own conversations
    assert "units left today" in page
    assert "posts left this month" in page
    from moderation.capability_matrix import capability_matrix

    rows = {r.platform: r for r in capability_matrix()}
    assert rows["linkedin"].cells["Hide / unhide"].allowed is False
    assert rows["youtube"].cells["Delete"].allowed is True
    assert rows["x"].cells["Delete"].allowed is False
    assert set(rows) == {"facebook", "instagram", "x", "youtube", "linkedin"}


def test_x_offers_no_reply_where_x_would_refuse_it_and_says_why(demo, fake_platforms):
    from moderation.selectors import item_offered_actions

    channel_poll(channel_id=demo["x"].pk)
    officer = lead()
    replies = Item.objects.filter(channel=demo["x"], kind="reply")
    summoned = [i for i in replies if i.raw.get("in_reply_to_user_id") == demo["x"].account_id]
    aside = [i for i in replies if i.raw.get("in_reply_to_user_id") != demo["x"].account_id]
    assert summoned
    assert aside  # replies to other tenants in our threads: X would refuse our reply
    assert "reply" in item_offered_actions(item=summoned[0], user=officer)
    assert "reply" not in item_offered_actions(item=aside[0], user=officer)
    assert "hide" in item_offered_actions(item=aside[0], user=officer)
    with pytest.raises(ActionNotAvailable, match="mentioned, replied to or quoted") as refused:
        action_request(kind="reply", actor=officer, item_id=aside[0].pk, payload={"text": "Hello"})
    # Tried as a new user would: "X (Twitter) cannot reply a reply", and a hint about reporting it.
    assert refused.value.message.startswith("X (Twitter) cannot reply to a reply.")
    assert refused.value.hint == "Reply in the platform's own app, then record it with a note."


def test_the_item_page_says_what_each_platform_really_does(client, demo):
    """Tried as a new user would: X's block dialog said "This blocks" (it mutes), LinkedIn's delete
    dialog offered "Hiding can." (LinkedIn cannot hide), and X and YouTube handles showed as "@@name"."""
    from tests.factories import officer

    for platform in NETWORKS:
        channel_poll(channel_id=demo[platform].pk)
    client.force_login(officer())

    def page(platform):
        item = Item.objects.filter(channel=demo[platform], kind__in=("comment", "reply")).exclude(
            author__platform_user_id__contains=demo[platform].account_id
        )[0]
        return item, client.get(reverse("moderation:item", args=[item.pk])).content.decode()

    x_item, x_page = page("x")
    assert f"This mutes {x_item.author.handle} on X (Twitter)." in x_page
    assert x_item.author.handle.startswith("@")
    assert f"@{x_item.author.handle}" not in x_page
    yt_item, yt_page = page("youtube")
    assert "This bans" in yt_page
    assert f"@{yt_item.author.handle}" not in yt_page
    li_item, li_page = page("linkedin")
    assert "Deleting cannot be undone on LinkedIn.</p>" in li_page
    assert li_item.author.display_name.startswith("Member ")
    assert not li_item.author.handle


def test_the_account_s_own_replies_are_context_not_queue_work(demo):
    """Tried as a new user would: the demo queue held the page's and the organisation's own replies
    ("Thanks for letting us know…") as new items for officers to work."""
    for channel in demo.values():
        channel_poll(channel_id=channel.pk)
    own_ids = [c.account_id for c in demo.values()] + ["urn:li:organization:2414183"]
    ours = Item.objects.filter(author__platform_user_id__in=own_ids)
    assert {i.channel.platform for i in ours.exclude(kind="post")} >= {"facebook", "instagram", "linkedin"}
    assert set(ours.values_list("state", "outcome")) == {("resolved", "auto_cleared")}
    tenants = Item.objects.exclude(kind="post").exclude(pk__in=ours)
    assert set(tenants.values_list("state", flat=True)) == {"new"}
