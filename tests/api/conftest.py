"""Principals for the API tests: people in each role and tokens with each scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from moderation.api import list_cache
from moderation.models import ApiToken
from moderation.services.api_tokens import api_token_create, api_token_revoke
from tests.factories import UserFactory, lead, officer, viewer

PEOPLE = ("viewer", "officer", "lead")
TOKENS = ("token_read", "token_act", "token_admin", "token_expired", "token_revoked")
PRINCIPALS = ("anonymous", *PEOPLE, *TOKENS)


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def make_token(scopes: str, *, name: str = "intranet") -> str:
    return api_token_create(name=name, scopes=scopes, actor=None).secret


@pytest.fixture
def api_client_for(db):
    """api_client_for("officer") -> an APIClient signed in or carrying a token as that principal."""
    made: dict[str, APIClient] = {}

    def build(principal: str) -> APIClient:
        if principal in made:
            return made[principal]
        client = APIClient()
        if principal in PEOPLE:
            user = {"viewer": viewer, "officer": officer, "lead": lead}[principal](
                username=f"api-{principal}"
            )
            client.force_login(user)
        elif principal in ("token_read", "token_act", "token_admin"):
            client = bearer(make_token(principal.removeprefix("token_"), name=principal))
        elif principal == "token_expired":
            secret = make_token("read,act,admin", name="expired")
            ApiToken.objects.filter(name="expired").update(expires_at=timezone.now() - timedelta(seconds=1))
            client = bearer(secret)
        elif principal == "token_revoked":
            secret = make_token("read,act,admin", name="revoked")
            api_token_revoke(token_id=ApiToken.objects.get(name="revoked").pk, actor=None)
            client = bearer(secret)
        made[principal] = client
        return client

    return build


@pytest.fixture
def lead_user(db):
    return lead(username="lauren.eden")


@pytest.fixture
def plain_user(db):
    return UserFactory(username="no-role")


@pytest.fixture(scope="session")
def httpserver_listen_address():
    return ("127.0.0.1", 0)  # loopback only, any free port (docs/architecture.md §7)


@pytest.fixture
def minute_cache(settings):
    """The list micro-cache keeps pages for a minute, so only invalidation (never expiry) can end one
    within a test (tests/api/test_list_cache*.py use it)."""
    settings.API_LIST_CACHE_SECONDS = 60.0
    list_cache.clear()
    yield
    list_cache.clear()


@pytest.fixture
def reader():
    """A read-scope token's client (a test module may define its own)."""
    return bearer(make_token("read", name="reader"))
