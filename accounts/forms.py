"""Sign-in forms that refuse an over-long username before it reaches authentication.

AuthenticationForm sets the username's max_length after the field is built, so the length is
not validated; a 60,000-character username then reached django-axes, whose failed-attempt row
holds 255 characters, and the login answered 500 (found by tests/security/test_fuzz.py).
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from accounts.models import User

USERNAME_MAX = User._meta.get_field("username").max_length or 150


def _clean_username(form: forms.Form) -> str:
    username = str(form.cleaned_data.get("username", ""))
    if len(username) > USERNAME_MAX:
        raise forms.ValidationError(f"A username has at most {USERNAME_MAX} characters.", code="max_length")
    return username


class SignInForm(AuthenticationForm):
    def clean_username(self) -> str:
        return _clean_username(self)


class AdminSignInForm(AdminAuthenticationForm):
    def clean_username(self) -> str:
        return _clean_username(self)
