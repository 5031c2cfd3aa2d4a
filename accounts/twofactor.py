"""Two-factor sign-in with TOTP authenticator apps and one-use recovery codes (django-otp).

Who must use it is a setting (TWO_FACTOR_REQUIRED_ROLES, default Lead and Admin; staff and
superusers count as Admin). Anybody else may enrol, and once enrolled is asked for a code at
every sign-in too. Enrolment happens at first sign-in, as in most products: the officer scans
a QR code (or types the key) into an authenticator app and confirms with one code.
"""

from __future__ import annotations

import base64

import segno
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User

RECOVERY_CODE_COUNT = 10
TOTP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def two_factor_required(user: User) -> bool:
    roles = set(settings.TWO_FACTOR_REQUIRED_ROLES)
    if "Admin" in roles and (user.is_staff or user.is_superuser):
        return True
    return bool(user.groups.filter(name__in=roles).exists())


def two_factor_enrolled(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def totp_enrol_start(*, user: User) -> TOTPDevice:
    """The pending (unconfirmed) device for this user; a fresh key each time it is created."""
    device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=False, defaults={"name": TOTP_NAME})
    return device


def totp_secret(device: TOTPDevice) -> str:
    """The key as authenticator apps want it typed: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_data_uri(device: TOTPDevice) -> str:
    """An SVG QR code of the otpauth:// URL, inline as a data: URI (CSP allows img data:)."""
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=4, border=2))


def totp_enrol_confirm(*, user: User, token: str) -> list[str] | None:
    """Confirm the pending device with one code; returns fresh recovery codes, or None if wrong."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token.replace(" ", "")):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return recovery_codes_regenerate(user=user)


def recovery_codes_regenerate(*, user: User) -> list[str]:
    """Replace the user's recovery codes; each works once in place of an app code."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": RECOVERY_NAME})
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user: User) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())
