"""Problem-details errors, per-token throttling and CORS for configured intranet origins only."""

from __future__ import annotations

from rest_framework.test import APIClient

from moderation.api.throttles import ApiRateThrottle
from tests.api.conftest import bearer, make_token
from tests.factories import ItemFactory


def test_anonymous_gets_problem_401(db):
    response = APIClient().get("/api/v1/items/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "/api/docs/#problem-not_authenticated"
    assert body["title"] == "Not authenticated"
    assert body["instance"] == "/api/v1/items/"
    assert "Bearer" in body["hint"]


def test_malformed_and_unknown_tokens(db):
    assert bearer("not a token").get("/api/v1/items/").status_code == 401
    assert bearer("hvb_doesnotexist").get("/api/v1/items/").status_code == 401


def test_method_not_allowed_is_a_problem(api_client_for):
    response = api_client_for("token_read").delete("/api/v1/channels/")
    assert response.status_code in (403, 405)
    assert response["Content-Type"] == "application/problem+json"


def test_throttle_is_per_token(monkeypatch, db):
    # DRF reads the rates once at import; set this test's small budget on the class.
    monkeypatch.setattr(ApiRateThrottle, "THROTTLE_RATES", {"api": "3/min", "actions": "3/min"})
    first, second = bearer(make_token("read", name="a")), bearer(make_token("read", name="b"))
    assert [first.get("/api/v1/channels/").status_code for _ in range(3)] == [200, 200, 200]
    limited = first.get("/api/v1/channels/")
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert limited.json()["code"] == "throttled"
    assert second.get("/api/v1/channels/").status_code == 200  # another token has its own budget


def test_cors_only_for_configured_origins(settings, api_client_for):
    settings.CORS_ALLOWED_ORIGINS = ["https://intranet.havebury.example"]
    ItemFactory()
    client = api_client_for("token_read")
    allowed = client.get("/api/v1/items/", HTTP_ORIGIN="https://intranet.havebury.example")
    assert allowed["Access-Control-Allow-Origin"] == "https://intranet.havebury.example"
    other = client.get("/api/v1/items/", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in other
    preflight = APIClient().options(
        "/api/v1/items/",
        HTTP_ORIGIN="https://intranet.havebury.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )
    assert preflight.status_code == 200
    assert "authorization" in preflight["Access-Control-Allow-Headers"]
    page = APIClient().get("/accounts/login/", HTTP_ORIGIN="https://intranet.havebury.example")
    assert "Access-Control-Allow-Origin" not in page  # only /api/ is shared
