"""A Lead connects Facebook and Instagram through the (fake) consent screens."""

import pytest
from playwright.sync_api import expect

from moderation.models import Channel
from tests.factories import ChannelFactory, lead, officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()


def test_lead_connects_both_meta_channels_through_consent_screens(page, live_server, meta_settings):
    facebook = ChannelFactory(
        platform="facebook", handle="HaveburyHousing", display_name="Havebury Housing Partnership"
    )
    instagram = ChannelFactory(platform="instagram", handle="haveburyhousing", display_name="haveburyhousing")
    _sign_in(page, live_server, lead())

    # Instagram business accounts connect through Facebook Login too (docs/channels.md, "Connecting the real platforms").
    for channel, scope in ((facebook, "pages_manage_engagement"), (instagram, "instagram_manage_comments")):
        page.get_by_role("navigation").get_by_role("link", name="Channels").click()
        page.get_by_role("link", name=f"{channel.get_platform_display()} {channel.handle}").click()
        page.get_by_role("button", name="Connect").click()
        expect(page.get_by_role("heading", name="Facebook (fake platform)")).to_be_visible()
        expect(page.get_by_text(scope)).to_be_visible()
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("status").first).to_contain_text(f"Connected {channel}")
        expect(page.get_by_text("Reconnect")).to_be_visible()

    facebook.refresh_from_db()
    instagram.refresh_from_db()
    assert facebook.is_connected
    assert facebook.account_id
    assert instagram.is_connected
    assert instagram.account_id


def test_cancel_on_consent_screen_leaves_channel_unconnected(page, live_server, meta_settings):
    channel = ChannelFactory(
        platform="facebook", handle="HaveburyHousing", display_name="Havebury Housing Partnership"
    )
    _sign_in(page, live_server, lead())
    page.goto(f"{live_server.url}/channels/{channel.pk}/")
    page.get_by_role("button", name="Connect").click()
    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_text("did not connect")).to_be_visible()
    assert not Channel.objects.get(pk=channel.pk).is_connected


def test_officer_cannot_connect(page, live_server, meta_settings):
    channel = ChannelFactory(platform="facebook")
    _sign_in(page, live_server, officer())
    page.goto(f"{live_server.url}/channels/{channel.pk}/")
    expect(page.get_by_role("heading", name=f"Facebook {channel.handle}")).to_be_visible()
    expect(page.get_by_role("button", name="Connect")).to_have_count(0)
