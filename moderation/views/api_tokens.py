"""Settings > API tokens: Leads and Admins create tokens (shown once) and revoke them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from moderation.api import selectors
from moderation.models import ApiScope, ApiToken
from moderation.services.api_tokens import api_token_create, api_token_revoke
from moderation.views.shown_once import create_shown_once


class TokenForm(forms.Form):
    name = forms.CharField(max_length=80, help_text='What will use it, e.g. "intranet".')
    scopes = forms.MultipleChoiceField(
        choices=ApiScope.choices, widget=forms.CheckboxSelectMultiple, initial=["read"]
    )
    expires_in_days = forms.IntegerField(
        min_value=1, max_value=3650, required=False, initial=365, help_text="Empty: never expires."
    )


@login_required
@permission_required("moderation.manage_api", raise_exception=True)
def api_token_list(request: HttpRequest) -> HttpResponse:
    form, created, status = create_shown_once(request, TokenForm(request.POST or None), api_token_create)
    return render(
        request,
        "moderation/settings/api_tokens.html",
        {"form": form, "created": created, "tokens": list(selectors.api_token_list()[:200])},
        status=status,
    )


@require_POST
@login_required
@permission_required("moderation.manage_api", raise_exception=True)
def api_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = api_token_revoke(token_id=token_id, actor=request.user)  # type: ignore[arg-type]
    except ApiToken.DoesNotExist:
        messages.error(request, f"There is no API token {token_id}; it may have been removed.")
        return redirect("moderation:api-tokens")
    messages.success(request, f"Revoked the token '{token.name}'. Requests with it now get 401.")
    return redirect("moderation:api-tokens")
