"""The create step of the settings pages whose new row has a secret shown once (an API token,
an intranet webhook's signing secret).

The secret goes only into the response to the POST that created it: no redirect, message or
session carries it, so reloading or coming back to the page never shows it again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.http import HttpRequest

from moderation.errors import ModerationError

FormT = TypeVar("FormT", bound=forms.Form)
Created = TypeVar("Created")


def create_shown_once(
    request: HttpRequest, form: FormT, create: Callable[..., Created]
) -> tuple[FormT, Created | None, int]:
    """Run the create service on a valid POST: (the form to show, what it created, the status).

    After a create the form is empty again; a refusal puts the service's message and hint on
    the form, and a POST that created nothing answers 400."""
    created: Created | None = None
    if request.method == "POST" and form.is_valid():
        try:
            created = create(actor=request.user, **form.cleaned_data)
        except ModerationError as exc:
            form.add_error(None, f"{exc.message} {exc.hint}")
        else:
            form = type(form)()
    status = 400 if request.method == "POST" and created is None else 200
    return form, created, status
