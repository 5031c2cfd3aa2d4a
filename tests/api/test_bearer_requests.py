"""Bearer-token API requests skip the browser session's extras (havebury_social/bearer.py) and
keep everything that protects them: security headers, authentication, scopes, the log line."""

from __future__ import annotations

import logging

import pytest
from django.test import RequestFactory
from django.urls import reverse

from havebury_social.bearer import bearer_api_request
from tests.api.conftest import bearer, make_token
from tests.factories import lead, viewer

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
URL = "/api/v1/items/"
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Strict-Transport-Security",
)


@pytest.mark.parametrize(
    ("path", "authorization", "expected"),
    [
        (URL, "Bearer hvb_x", True),
        (URL, "bearer hvb_x", True),  # the scheme is case-insensitive, as the authenticator reads it
        (URL, "Bearer", True),  # malformed, so the authenticator refuses it (401)
        (URL, "Bearer\thvb_x", False),  # no space after the scheme: not the Bearer scheme here or there
        (URL, "Basic dXNlcjpwYXNz", False),
        (URL, "", False),
        ("/", "Bearer hvb_x", False),  # the dashboard: sessions only
        ("/apix/", "Bearer hvb_x", False),
    ],
)
def test_which_requests_count_as_bearer_api_requests(path, authorization, expected):
    request = RequestFactory().get(path, HTTP_AUTHORIZATION=authorization)
    assert bearer_api_request(request) is expected


def test_a_bearer_request_gets_the_security_headers_a_signed_in_request_gets(client, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    client.force_login(viewer(username="api-viewer"))
    by_session = client.get(URL, secure=True)
    by_token = bearer(make_token("read")).get(URL, secure=True)
    assert by_session.status_code == by_token.status_code == 200
    for name in SECURITY_HEADERS:
        assert by_token.headers[name] == by_session.headers[name], name
    assert by_token.headers["X-Request-ID"]


def test_a_bearer_request_is_logged_as_any_other(caplog):
    with caplog.at_level(logging.INFO, logger="havebury.request"):
        assert bearer(make_token("read")).get(URL).status_code == 200
    (record,) = [r for r in caplog.records if r.name == "havebury.request"]
    assert (record.getMessage(), record.method, record.path, record.status) == (
        f"GET {URL} 200",
        "GET",
        URL,
        200,
    )


def test_the_token_not_a_half_signed_in_session_decides_a_bearer_request(client, settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["Lead", "Admin"]
    user = lead()
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    # The session still owes its second factor: the dashboard and a session API call are refused.
    assert client.get(reverse("moderation:home")).url.startswith(reverse("two-factor-setup"))
    assert client.get(URL).status_code == 302
    # The same browser with a token: the token decides, whatever the session owes.
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {make_token('read')}"
    assert client.get(URL).status_code == 200
    client.defaults["HTTP_AUTHORIZATION"] = "Bearer hvb_not-a-token"
    assert client.get(URL).status_code == 401
    assert bearer(make_token("act")).get("/api/v1/tokens/").status_code == 403  # scopes still apply


HEADERS = (
    "Bearer hvb_x",
    "bearer hvb_x",
    "BEARER  hvb_x ",
    "Bearer",
    "Bearer ",
    "Bearer a b",
    "Bearer\thvb_x",
)
OTHERS = ("Basic dXNlcjpwYXNz", "", " Bearer hvb_x", "Token hvb_x", "Bearerhvb_x")


@pytest.mark.parametrize("authorization", HEADERS + OTHERS)
@pytest.mark.parametrize("path", [URL, "/api/schema/", "/"])
def test_the_middleware_and_the_authenticators_decide_bearer_requests_alike(path, authorization):
    """One helper decides: what the middleware lets skip the session's checks, the token
    authenticator takes (a token or a 401) and session authentication refuses; nothing else."""
    from rest_framework.exceptions import AuthenticationFailed
    from rest_framework.request import Request

    from moderation.api.authentication import BearerTokenAuthentication, SessionUnlessBearerAuthentication

    raw = RequestFactory().get(path, HTTP_AUTHORIZATION=authorization)
    raw.user = lead()  # a signed-in session, whatever it still owes
    raw._dont_enforce_csrf_checks = True
    skipped = bearer_api_request(raw)
    try:
        taken = BearerTokenAuthentication().authenticate(Request(raw)) is not None
    except AuthenticationFailed:
        taken = True
    by_session = SessionUnlessBearerAuthentication().authenticate(Request(raw))
    assert taken is skipped
    assert (by_session is None) is skipped


def test_a_view_without_the_token_authenticator_never_takes_a_skipped_request_from_the_session(settings):
    """Even an API view that listed only session authentication could not authenticate a bearer
    request through a session whose two-factor step the middleware skipped."""
    from rest_framework.request import Request

    from moderation.api.authentication import SessionUnlessBearerAuthentication

    raw = RequestFactory().get(URL, HTTP_AUTHORIZATION="Bearer hvb_not-a-token")
    raw.user = lead()
    raw._dont_enforce_csrf_checks = True
    assert SessionUnlessBearerAuthentication().authenticate(Request(raw)) is None
    del raw.META["HTTP_AUTHORIZATION"]
    assert SessionUnlessBearerAuthentication().authenticate(Request(raw)) == (raw.user, None)
