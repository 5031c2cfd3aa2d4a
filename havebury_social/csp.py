"""django-csp's middleware, with the header built from settings alone built once.

django-csp builds the policy string from CONTENT_SECURITY_POLICY on every response (a deep copy
of the settings and a join of every directive, twice: enforced and report-only): 11% of a cached
API list answer's CPU (bench/api_profile.py). Built from settings alone, the header is the same
every time, so it is kept until a setting changes. A response that asks for more (a nonce used by
a template, or django-csp's per-view decorators) goes through django-csp's own code as before.
"""

from __future__ import annotations

import functools
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.http.response import HttpResponseBase

# What django-csp's decorators set on a response to change its policy.
_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


@functools.cache
def _headers() -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    """(header, value, exempt attribute, excluded path prefixes) for the policy and its report-only twin."""
    out = []
    for header, report_only, exempt, name in (
        (HEADER, False, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
        (HEADER_REPORT_ONLY, True, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
    ):
        value = build_policy(report_only=report_only)
        if value:
            policy = getattr(settings, name, None) or {}
            out.append((header, value, exempt, tuple(policy.get("EXCLUDE_URL_PREFIXES", None) or ())))
    return tuple(out)


@receiver(setting_changed)
def _forget(setting: str, **kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _headers.cache_clear()


class CSPMiddleware(DjangoCSPMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if getattr(request, "_csp_nonce", None) is not None or any(
            hasattr(response, name) for name in _PER_RESPONSE
        ):
            return super().process_response(request, response)
        if response.status_code in (500, 404) and settings.DEBUG:
            return response  # django-csp leaves Django's debug pages alone
        for header, value, exempt, excluded in _headers():
            exempt_here = getattr(response, exempt, False) or request.path_info.startswith(excluded)
            if not exempt_here and header not in response:
                response[header] = value
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
