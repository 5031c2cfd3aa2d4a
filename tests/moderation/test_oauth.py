"""Connecting channels through the fake platform's consent screen (real loopback HTTP)."""

from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from fakeplatforms import DEMO_IG_USER_ID, DEMO_PAGE_ID
from moderation.models import AuditEvent, Channel, ChannelHealth
from moderation.services.channels import channel_subscribe_webhooks
from moderation.services.ingest import channel_poll
from moderation.tasks import channel_poll as channel_poll_task
from tests.factories import ChannelFactory, lead, officer

pytestmark = pytest.mark.django_db


def consent(client, channel, decision="allow"):
    """Press Connect, answer the fake consent screen, return the callback response."""
    start = client.post(reverse("moderation:channel-connect", args=[channel.pk]))
    assert start.status_code == 302
    screen = requests.get(start["Location"], timeout=5)
    assert screen.status_code == 200
    assert "Havebury Social" in screen.text
    assert "pages_manage_engagement" in screen.text
    fields = dict(parse_qsl(urlsplit(start["Location"]).query))
    answer = requests.post(
        start["Location"].split("?")[0],
        data={**fields, "decision": decision},
        allow_redirects=False,
        timeout=5,
    )
    assert answer.status_code == 302
    callback = urlsplit(answer.headers["Location"])
    return client.get(callback.path + "?" + callback.query)


def raw_credentials(channel):
    with connection.cursor() as cursor:
        cursor.execute("SELECT credentials FROM moderation_channel WHERE id = %s", [channel.pk])
        return cursor.fetchone()[0]


def test_lead_connects_facebook_and_instagram(client, fake_platforms, meta_settings):
    fake_platforms.app.seed("demo")
    fb = ChannelFactory(
        platform="facebook", handle="@HaveburyHousing", display_name="Havebury Housing Partnership"
    )
    ig = ChannelFactory(platform="instagram", handle="@haveburyhousing", display_name="haveburyhousing")
    user = lead()
    client.force_login(user)
    assert consent(client, fb).status_code == 302
    assert consent(client, ig).status_code == 302
    fb.refresh_from_db()
    ig.refresh_from_db()
    assert (fb.account_id, ig.account_id) == (DEMO_PAGE_ID, DEMO_IG_USER_ID)
    assert fb.credentials["access_token"].startswith("EAAP")  # the Page token
    assert fb.credentials["user_access_token"]
    assert ig.credentials["ig_user_id"] == DEMO_IG_USER_ID
    assert fb.token_expires_at > timezone.now() + timedelta(days=59)
    raw = raw_credentials(fb)
    assert fb.credentials["access_token"] not in raw  # encrypted at rest
    assert AuditEvent.objects.filter(verb="channel.connected", actor=user).count() == 2
    # Facebook's Page is subscribed to comment and mention webhooks; Instagram's are app-level.
    assert fake_platforms.world.data["pages"][DEMO_PAGE_ID]["subscribed_fields"] == ["feed", "mention"]
    assert AuditEvent.objects.filter(verb="channel.webhooks_subscribed", target_id=str(fb.pk)).count() == 1
    assert channel_poll(channel_id=fb.pk).total("new") > 0
    assert channel_poll(channel_id=ig.pk).total("new") > 0
    page = client.get(reverse("moderation:channel-detail", args=[fb.pk]))
    assert b"Disconnect" in page.content


def test_state_mismatch_is_refused(client, fake_platforms, meta_settings):
    fake_platforms.app.seed("demo")
    channel = ChannelFactory(platform="facebook")
    client.force_login(lead())
    client.post(reverse("moderation:channel-connect", args=[channel.pk]))
    response = client.get(reverse("moderation:channel-oauth-callback") + "?code=x&state=forged")
    assert response.status_code == 400
    channel.refresh_from_db()
    assert not channel.is_connected


def test_cancel_on_the_consent_screen_connects_nothing(client, fake_platforms, meta_settings):
    fake_platforms.app.seed("demo")
    channel = ChannelFactory(platform="facebook")
    client.force_login(lead())
    response = consent(client, channel, decision="deny")
    assert response.status_code == 302
    channel.refresh_from_db()
    assert not channel.is_connected


def test_officer_cannot_connect(client, fake_platforms, meta_settings):
    channel = ChannelFactory(platform="facebook")
    client.force_login(officer())
    assert client.post(reverse("moderation:channel-connect", args=[channel.pk])).status_code == 403


def test_disconnect_revokes_on_the_platform_and_wipes(client, fake_platforms, meta_settings):
    fake_platforms.app.seed("demo")
    channel = ChannelFactory(platform="facebook", display_name="Havebury Housing Partnership")
    client.force_login(lead())
    consent(client, channel)
    channel.refresh_from_db()
    token = channel.credentials["access_token"]
    url = reverse("moderation:channel-disconnect", args=[channel.pk])
    ask = client.get(url)
    assert b"Yes, disconnect" in ask.content
    assert b"access is revoked" in ask.content
    assert b"Yes, disconnect" in client.post(url).content  # no confirmation: asked again, nothing done
    channel.refresh_from_db()
    assert channel.is_connected
    client.post(url, {"confirm": "yes"})
    channel.refresh_from_db()
    assert channel.credentials == {}
    assert fake_platforms.world.data["tokens"][token]["revoked"] is True
    assert AuditEvent.objects.filter(verb="channel.disconnected", detail__revoked=True).exists()
    # Tried as a new user would: a channel polled a minute ago then said "Not polled yet".
    for page in (reverse("moderation:channel-list"), reverse("moderation:channel-detail", args=[channel.pk])):
        body = client.get(page).content.decode()
        assert "Not connected" in body
        assert "Not polled yet" not in body


def test_needs_reconnect_alert_is_shown(client, fake_platforms, meta_settings):
    channel = ChannelFactory(platform="facebook", health=ChannelHealth.NEEDS_RECONNECT)
    client.force_login(lead())
    for url in (reverse("moderation:channel-list"), reverse("moderation:channel-detail", args=[channel.pk])):
        assert b"needs re-connection" in client.get(url).content


def test_rotate_credentials_key(settings):
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    channel = ChannelFactory(platform="facebook", credentials={"access_token": "secret-token"})
    new = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    call_command("rotate_credentials_key")
    Fernet(new.encode()).decrypt(raw_credentials(channel).encode())  # readable with the new key alone
    settings.FIELD_ENCRYPTION_KEYS = [new]
    assert Channel.objects.get(pk=channel.pk).credentials == {"access_token": "secret-token"}


def test_webhook_subscription_failure_keeps_the_connection(client, fake_platforms, meta_settings):
    fake_platforms.app.seed("demo")
    fb = ChannelFactory(platform="facebook", display_name="Havebury Housing Partnership")
    client.force_login(lead())
    consent(client, fb)
    fake_platforms.fail_next({"kind": "500"})
    assert channel_subscribe_webhooks(channel_id=fb.pk) is False
    fb.refresh_from_db()
    assert fb.is_connected
    assert "Webhook subscription failed" in fb.last_error
    assert AuditEvent.objects.filter(verb="channel.webhooks_failed", target_id=str(fb.pk)).exists()
    assert channel_subscribe_webhooks(channel_id=fb.pk) is True  # a retry once the platform is back


@pytest.mark.parametrize("first", ["instagram", "facebook"])
def test_disconnecting_one_meta_channel_leaves_the_other_working(
    client, fake_platforms, meta_settings, first
):
    """Both were connected by the same Facebook user: revoking that login would cut the other off too
    (the fake revokes every token of a user whose permissions are deleted, Page tokens included)."""
    fake_platforms.app.seed("demo")
    fb = ChannelFactory(platform="facebook", display_name="Havebury Housing Partnership")
    ig = ChannelFactory(platform="instagram", display_name="haveburyhousing")
    client.force_login(lead())
    consent(client, fb)
    consent(client, ig)
    fb.refresh_from_db()
    ig.refresh_from_db()
    assert fb.credentials["user_access_token"] != ig.credentials["user_access_token"]  # a token per connect
    assert fb.credentials["platform_user_id"] == ig.credentials["platform_user_id"]
    gone, kept = (ig, fb) if first == "instagram" else (fb, ig)
    url = reverse("moderation:channel-disconnect", args=[gone.pk])
    assert b"not</b> revoked" in client.get(url).content
    client.post(url, {"confirm": "yes"})
    assert AuditEvent.objects.filter(verb="channel.disconnected", detail__shared_login=True).exists()
    tokens = fake_platforms.world.data["tokens"]
    assert not tokens[kept.credentials["user_access_token"]]["revoked"]
    assert not tokens[kept.credentials["access_token"]]["revoked"]
    assert channel_poll(channel_id=kept.pk).status == "ok"
    kept.refresh_from_db()
    assert (kept.health, kept.is_connected) == ("ok", True)
    # The last channel on that login does revoke it.
    client.post(reverse("moderation:channel-disconnect", args=[kept.pk]), {"confirm": "yes"})
    assert tokens[kept.credentials["user_access_token"]]["revoked"] is True


def test_connecting_polls_at_once(client, fake_platforms, meta_settings, django_capture_on_commit_callbacks):
    fake_platforms.app.seed("demo")
    fb = ChannelFactory(platform="facebook", display_name="Havebury Housing Partnership")
    client.force_login(lead())
    with django_capture_on_commit_callbacks() as callbacks:
        consent(client, fb)
    assert [(cb.func, cb.args) for cb in callbacks] == [(channel_poll_task.delay, (fb.pk,))]


def test_callback_with_an_empty_code_is_a_clear_error(client, fake_platforms, meta_settings):
    fake_platforms.app.seed("demo")
    channel = ChannelFactory(platform="facebook")
    client.force_login(lead())
    start = client.post(reverse("moderation:channel-connect", args=[channel.pk]))
    state = dict(parse_qsl(urlsplit(start["Location"]).query))["state"]
    response = client.get(
        reverse("moderation:channel-oauth-callback"), {"code": "", "state": state}, follow=True
    )
    assert response.status_code == 200
    assert b"sent no authorisation code" in response.content
    channel.refresh_from_db()
    assert not channel.is_connected


def test_a_platform_without_an_adapter_says_so_and_offers_no_connect(client, meta_settings):
    channel = ChannelFactory(platform="linkedin")
    meta_settings.MODERATION_CHANNELS = {
        k: v for k, v in meta_settings.MODERATION_CHANNELS.items() if k != "linkedin"
    }
    client.force_login(lead())
    page = client.get(reverse("moderation:channel-detail", args=[channel.pk]))
    assert b"There is no adapter for linkedin yet" in page.content
    assert b'class="primary" accesskey="c"' not in page.content
    assert b"No adapter for LinkedIn yet" in client.get(reverse("moderation:channel-list")).content
    refused = client.post(reverse("moderation:channel-connect", args=[channel.pk]), follow=True)
    assert b"There is no adapter for linkedin yet" in refused.content


def test_unconfigured_facebook_login_says_which_settings_to_set(client, meta_settings):
    meta_settings.MODERATION_CHANNELS["facebook"]["CONNECT_OPTIONS"] = {
        **meta_settings.MODERATION_CHANNELS["facebook"]["CONNECT_OPTIONS"],
        "app_id": "",
    }
    channel = ChannelFactory(platform="facebook")
    client.force_login(lead())
    page = client.get(reverse("moderation:channel-detail", args=[channel.pk]))
    assert b"set FACEBOOK_APP_ID and FACEBOOK_APP_SECRET" in page.content
    assert b'class="primary" accesskey="c"' not in page.content
