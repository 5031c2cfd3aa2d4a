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
    client.post(reverse("moderation:channel-disconnect", args=[channel.pk]))
    channel.refresh_from_db()
    assert channel.credentials == {}
    assert fake_platforms.world.data["tokens"][token]["revoked"] is True
    assert AuditEvent.objects.filter(verb="channel.disconnected", detail__revoked=True).exists()


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
