"""A Lead signs in with a TOTP code; a new Lead enrols an authenticator at first sign-in."""

import base64

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.factories import lead

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _leads_need_two_factor(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["Lead", "Admin"]


def _now_code(key: bytes) -> str:
    return f"{TOTP(key).token():06d}"


def _password_step(page, live_server, username):
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()


def test_lead_signs_in_with_a_totp_code(page, live_server):
    user = lead(username="lauren.eden", first_name="Lauren", last_name="Eden")
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    _password_step(page, live_server, user.username)
    expect(page.get_by_role("heading", name="Enter your two-factor code")).to_be_visible()
    page.get_by_label("Code").fill(_now_code(device.bin_key))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()
    expect(page.get_by_text("Lauren Eden")).to_be_visible()


def test_new_lead_enrols_an_authenticator_at_first_sign_in(page, live_server):
    user = lead(username="kathryn.rowland")
    _password_step(page, live_server, user.username)
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Code").fill(_now_code(key))
    page.get_by_role("button", name="Turn on two-factor").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.get_by_role("list", name="Recovery codes").get_by_role("listitem")).to_have_count(10)
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()
