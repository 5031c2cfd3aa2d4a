"""The admin site, hardened against hostile query strings (issue 13).

A probe found 51 admin 500s for staff: `?raw__contains=` (JSON lookups SQLite cannot do),
a year of 0 or 10**30 in a date lookup, a 60,000-character search (SQLite: expression tree
too large) and a bad `__regex`. Each is the database or Python refusing a query, raised
while the change list renders. Every admin view is wrapped here so such a request answers
with the change list's usual "invalid lookup" redirect (`?e=1`) and a message, never a 500,
whichever app registered the model.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import ObjectDoesNotExist
from django.db import DatabaseError, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.template.response import TemplateResponse

logger = logging.getLogger(__name__)
MAX_SEARCH_CHARS = 200
MAX_PARAM_CHARS = 1000
# What a database or Python raises for a query it cannot run: a bad lookup, value or pattern.
QUERY_ERRORS = (DatabaseError, ValueError, OverflowError, re.error, TypeError)


def _refuse(request: HttpRequest, reason: str) -> HttpResponse:
    if ERROR_FLAG in request.GET:
        return HttpResponseBadRequest(f"This admin page cannot be shown with that query: {reason}")
    messages.warning(request, f"That filter or search could not be run ({reason}); showing the full list.")
    return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")


def _guard(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "GET":
            if len(request.GET.get("q", "")) > MAX_SEARCH_CHARS:
                return _refuse(request, f"searches are limited to {MAX_SEARCH_CHARS} characters")
            if any(len(v) > MAX_PARAM_CHARS for v in request.GET.values()):
                return _refuse(request, "a filter value is too long")
        try:
            # A savepoint, so that a refused query leaves the connection usable for the answer.
            with transaction.atomic():
                response = view(request, *args, **kwargs)
                if isinstance(response, TemplateResponse) and request.method == "GET":
                    response.render()  # run the query here, where its failure can be answered
        except ObjectDoesNotExist as exc:
            # An app's own admin view looking up a missing row (django-otp's device config and QR
            # code views use .get()): not found, not a 500.
            raise Http404(str(exc)) from exc
        except QUERY_ERRORS as exc:
            logger.warning("admin refused a query on %s: %s", request.path, type(exc).__name__)
            return _refuse(request, type(exc).__name__)
        return response

    return guarded


class HardenedAdminSite(admin.AdminSite):
    site_header = "Havebury Social administration"
    site_title = "Havebury Social"

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        from accounts.forms import AdminSignInForm  # imported late: this module loads before the apps

        self.login_form = AdminSignInForm
        return super().login(request, extra_context)

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        return super().admin_view(_guard(view), cacheable)


class HardenedAdminConfig(AdminConfig):
    default_site = "havebury_social.admin_site.HardenedAdminSite"
