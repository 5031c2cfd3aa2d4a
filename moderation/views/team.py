"""Team pages: who is on the team, invitations, roles and deactivation (Leads)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.roles import ROLES
from moderation.errors import ModerationError
from moderation.services.team import TEAM_PERM, user_invite, user_set_active, user_set_role


class InviteForm(forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    username = forms.CharField(max_length=150, help_text="e.g. first.last")
    email = forms.EmailField()
    role = forms.ChoiceField(choices=[(r, r) for r in ROLES], initial="Officer")


@login_required
@permission_required(TEAM_PERM, raise_exception=True)
def team(request: HttpRequest) -> HttpResponse:
    actor: Any = request.user
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_invite(actor=actor, **form.cleaned_data)
        except ModerationError as exc:
            messages.error(request, f"{exc.message} {exc.hint}")
        else:
            reset = PasswordResetForm({"email": user.email})
            reset.is_valid()
            # Invited accounts have no password yet; Django only mails users who could reset,
            # so the link is sent to this one user directly.
            reset.get_users = lambda email: [user]  # type: ignore[method-assign]
            reset.save(request=request, use_https=request.is_secure())
            messages.success(
                request,
                f"Invited {user} as {form.cleaned_data['role']}: a set-password link went to {user.email}.",
            )
            return redirect("moderation:team")
    users = User.objects.prefetch_related("groups").order_by("-is_active", "last_name", "first_name")
    return render(request, "moderation/settings/team.html", {"users": users, "form": form, "roles": ROLES})


@require_POST
@login_required
def team_change(request: HttpRequest, user_id: int) -> HttpResponse:
    actor: Any = request.user
    try:
        if "role" in request.POST:
            user = user_set_role(actor=actor, user_id=user_id, role=request.POST["role"])
            messages.success(request, f"{user} is now {request.POST['role']}.")
        else:
            active = request.POST.get("active") == "1"
            user = user_set_active(actor=actor, user_id=user_id, active=active)
            if active:
                messages.success(request, f"{user} can sign in again.")
            else:
                messages.warning(request, f"{user} is deactivated and can no longer sign in.")
    except ModerationError as exc:
        messages.error(request, f"{exc.message} {exc.hint}")
    except User.DoesNotExist:
        messages.error(request, f"There is no user {user_id}.")
    return redirect("moderation:team")
