"""TOTP two-factor: required for Leads and admins, enrolment at first sign-in, recovery codes."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor
from tests.factories import UserFactory, lead, officer

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _roles_need_two_factor(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["Lead", "Admin"]


def _code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _sign_in(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


def test_base_settings_require_two_factor_for_leads_and_admins():
    from havebury_social.settings import base

    assert base.TWO_FACTOR_REQUIRED_ROLES == ["Lead", "Admin"]


def test_lead_without_an_app_must_enrol_before_anything_else(client):
    user = lead()
    _sign_in(client, user)
    response = client.get(reverse("moderation:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("two-factor-setup"))
    page = client.get(response.url)
    assert "Set up two-factor sign-in" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(response.url, {"code": "000000" if _code(device) != "000000" else "111111"})
    assert wrong.status_code == 400
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code makes the next try wait a second or more
    done = client.post(response.url, {"code": _code(device)})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10
    assert client.get(reverse("moderation:home")).status_code == 200


def test_enrolled_lead_is_asked_for_a_code_and_a_wrong_one_is_refused(client):
    user = lead()
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    _sign_in(client, user)
    response = client.get(reverse("moderation:home"))
    assert response.url.startswith(reverse("two-factor-verify"))
    wrong = client.post(reverse("two-factor-verify"), {"code": "12345x"})
    assert wrong.status_code == 400
    assert client.get(reverse("moderation:home")).status_code == 302
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code makes the next try wait a second or more
    ok = client.post(reverse("two-factor-verify") + "?next=/channels/", {"code": _code(device)})
    assert ok.status_code == 302
    assert ok.url == "/channels/"
    assert client.get(reverse("moderation:home")).status_code == 200


def test_a_recovery_code_works_once(client):
    user = lead()
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    code = twofactor.recovery_codes_regenerate(user=user)[0]
    _sign_in(client, user)
    assert client.post(reverse("two-factor-verify"), {"code": code}).status_code == 302
    assert client.get(reverse("moderation:home")).status_code == 200
    assert twofactor.recovery_codes_left(user) == 9
    client.logout()
    _sign_in(client, user)
    assert client.post(reverse("two-factor-verify"), {"code": code}).status_code == 400


def test_officer_without_an_app_signs_in_with_the_password_alone(client):
    _sign_in(client, officer())
    assert client.get(reverse("moderation:home")).status_code == 200


def test_staff_count_as_admins(client):
    user = UserFactory(is_staff=True)
    _sign_in(client, user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("two-factor-setup"))


def test_next_cannot_send_an_officer_off_site(client):
    user = lead()
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    _sign_in(client, user)
    response = client.post(
        reverse("two-factor-verify") + "?next=https://evil.example/", {"code": _code(device)}
    )
    assert response.url == reverse("moderation:home")
