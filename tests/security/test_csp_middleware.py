"""havebury_social/csp.py gives the header django-csp's own middleware gives, built once."""

from __future__ import annotations

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.decorators import csp_update
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from havebury_social.csp import CSPMiddleware


def _both(request_path="/api/v1/items/", response=None, nonce=False):
    out = []
    for middleware in (DjangoCSPMiddleware(lambda r: r), CSPMiddleware(lambda r: r)):
        request = RequestFactory().get(request_path)
        middleware.process_request(request)
        if nonce:
            str(request.csp_nonce)
        made = response() if response else HttpResponse("ok")
        out.append(middleware.process_response(request, made))
    return out


def test_same_header_as_django_csp():
    theirs, ours = _both()
    assert ours[HEADER] == theirs[HEADER]
    assert "frame-ancestors 'none'" in ours[HEADER]
    assert HEADER_REPORT_ONLY not in ours


def test_a_nonce_used_by_the_page_is_in_the_header(settings):
    from csp.constants import NONCE

    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": ["'self'", NONCE]}}
    theirs, ours = _both(nonce=True)
    assert "'nonce-" in ours[HEADER]
    assert ours[HEADER].split("'nonce-")[0] == theirs[HEADER].split("'nonce-")[0]


def test_a_view_decorator_still_changes_the_policy():
    @csp_update({"img-src": ["https://images.example"]})
    def view(request):
        return HttpResponse("ok")

    theirs, ours = _both(response=lambda: view(RequestFactory().get("/")))
    assert "https://images.example" in ours[HEADER]
    assert ours[HEADER] == theirs[HEADER]


def test_a_settings_change_is_seen(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'self'"]}}
    theirs, ours = _both()
    assert ours[HEADER] == theirs[HEADER] == "default-src 'none'"
    assert ours[HEADER_REPORT_ONLY] == theirs[HEADER_REPORT_ONLY]


@pytest.mark.parametrize("path", ["/", "/api/v1/items/", "/static/app.css"])
def test_a_nonce_asked_for_after_the_header_is_an_error(path):
    from csp.exceptions import CSPNonceError

    middleware = CSPMiddleware(lambda r: r)
    request = RequestFactory().get(path)
    middleware.process_request(request)
    middleware.process_response(request, HttpResponse("ok"))
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)
