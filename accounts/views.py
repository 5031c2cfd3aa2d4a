"""Sign-in pages beyond Django's own: two-factor verify and enrolment, throttled password reset."""

from __future__ import annotations

from typing import Any

from axes.utils import reset as axes_reset
from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp import devices_for_user
from django_otp import login as otp_login

from accounts import twofactor
from accounts.middleware import two_factor_done
from accounts.models import User


class CodeForm(forms.Form):
    code = forms.CharField(
        max_length=20,
        label="Code",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return str(settings.LOGIN_REDIRECT_URL)


def _to(name: str, next_url: str) -> HttpResponse:
    return redirect(f"{reverse(name)}?{urlencode({'next': next_url})}")


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101  (login_required ran first)
    return request.user


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Ask an enrolled officer for an app code or a recovery code after the password."""
    user = _user(request)
    if not twofactor.two_factor_enrolled(user):
        return _to("two-factor-setup", _next_url(request))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].replace(" ", "").lower()
        with transaction.atomic():  # devices are locked while a code is checked (replay, throttle)
            matched = next(
                (
                    device
                    for device in devices_for_user(user, confirmed=True, for_verify=True)
                    if device.verify_is_allowed()[0] and device.verify_token(code)
                ),
                None,
            )
        if matched is not None:
            otp_login(request, matched)
            two_factor_done(request)
            return redirect(_next_url(request))
        form.add_error("code", "That code is not right (or was already used). Try the current code.")
        status = 400
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)}, status=status
    )


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app; an enrolled officer must verify first to replace it."""
    user = _user(request)
    if twofactor.two_factor_enrolled(user) and not user.is_verified():  # type: ignore[attr-defined]
        return _to("two-factor-verify", request.path)
    device = twofactor.totp_enrol_start(user=user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        codes = twofactor.totp_enrol_confirm(user=user, token=form.cleaned_data["code"])
        if codes is not None:
            device.refresh_from_db()
            otp_login(request, device)
            two_factor_done(request)
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
            )
        form.add_error(
            "code", "That code did not match. Check the app shows Havebury Social and try the new code."
        )
        status = 400
    context: dict[str, Any] = {
        "form": form,
        "qr": twofactor.totp_qr_data_uri(device),
        "secret": twofactor.totp_secret(device),
        "required": twofactor.two_factor_required(user),
        "next": _next_url(request),
    }
    return render(request, "accounts/two_factor_setup.html", context, status=status)


@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Show how many recovery codes are left; POST replaces them (needs a verified session)."""
    user = _user(request)
    if not user.is_verified():  # type: ignore[attr-defined]
        return _to("two-factor-verify", request.path)
    if request.method == "POST":
        codes = twofactor.recovery_codes_regenerate(user=user)
        return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": "/"})
    return render(request, "accounts/two_factor_status.html", {"left": twofactor.recovery_codes_left(user)})


def _over_limit(key: str) -> bool:
    """Count one request against an hourly budget in the cache; True once it is spent."""
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return bool(count > settings.PASSWORD_RESET_LIMIT_PER_HOUR)


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """At most PASSWORD_RESET_LIMIT_PER_HOUR requests an hour per address and per email."""

    def form_valid(self, form: Any) -> HttpResponse:
        email = str(form.cleaned_data.get("email", "")).strip().lower()
        address = self.request.META.get("REMOTE_ADDR", "")
        spent = [_over_limit(f"pwreset:ip:{address}"), _over_limit(f"pwreset:email:{email}")]
        if any(spent):
            form.add_error(None, "Too many password-reset requests. Try again in an hour, or ask a Lead.")
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


class UnlockingPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password through the emailed link also lifts a login lockout."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        return response
