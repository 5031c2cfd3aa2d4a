"""API tokens: the command, hashed storage, expiry, last use, revocation and the settings page."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from moderation.models import ApiToken, AuditEvent
from moderation.services.api_tokens import api_token_create, api_token_revoke
from tests.api.conftest import bearer
from tests.factories import officer


def _command(*args):
    out = StringIO()
    call_command("create_api_token", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_command_prints_the_token_alone_on_its_last_line(db):
    lines = _command("--name", "intranet", "--scopes", "read")
    secret = lines[-1]
    assert secret.startswith("hvb_")
    assert " " not in secret
    token = ApiToken.objects.get(name="intranet")
    assert token.scopes == ["read"]
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.values_list().get())  # stored hashed, never plain
    assert bearer(secret).get("/api/v1/items/").status_code == 200


def test_command_refuses_unknown_scopes(db):
    with pytest.raises(CommandError, match="Unknown or missing scopes: write"):
        _command("--name", "x", "--scopes", "read,write")
    assert not ApiToken.objects.exists()


def test_expiry_and_last_used(db):
    secret = api_token_create(name="nightly", scopes="read", actor=None, expires_in_days=1).secret
    client = bearer(secret)
    assert ApiToken.objects.get().last_used_at is None
    assert client.get("/api/v1/channels/").status_code == 200
    used = ApiToken.objects.get().last_used_at
    assert used is not None
    assert client.get("/api/v1/channels/").status_code == 200
    assert ApiToken.objects.get().last_used_at == used  # at most one write a minute
    with time_machine.travel(timezone.now() + timedelta(days=1, seconds=1)):
        response = client.get("/api/v1/channels/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["code"] == "authentication_failed"


def test_token_acts_as_its_own_service_user_in_the_role_of_its_scopes(db):
    act = api_token_create(name="housing system", scopes="read,act", actor=None).token
    assert act.user.username == "api-housing-system"
    assert act.user.role_names == ["Officer"]
    assert not act.user.has_usable_password()
    admin = api_token_create(name="housing system", scopes="admin", actor=None).token
    assert admin.user.username == "api-housing-system-2"
    assert admin.user.role_names == ["Lead"]


def test_only_leads_create_tokens(db):
    with pytest.raises(Exception, match="Only Leads and Admins"):
        api_token_create(name="mine", scopes="read", actor=officer())


def test_settings_page_creates_once_and_revokes(client, lead_user):
    client.force_login(lead_user)
    page = client.get("/settings/api-tokens/")
    assert page.status_code == 200
    created = client.post(
        "/settings/api-tokens/", {"name": "intranet", "scopes": ["read", "act"], "expires_in_days": 30}
    )
    assert created.status_code == 200
    token = ApiToken.objects.get(name="intranet")
    secret = created.context["created"].secret
    assert secret.encode() in created.content
    assert token.created_by == lead_user
    assert secret.encode() not in client.get("/settings/api-tokens/").content  # shown once
    assert bearer(secret).get("/api/v1/items/").status_code == 200
    revoked = client.post(f"/settings/api-tokens/{token.pk}/revoke/", follow=True)
    assert b"Revoked the token" in revoked.content
    assert bearer(secret).get("/api/v1/items/").status_code == 401
    assert AuditEvent.objects.filter(verb="api_token.revoked", actor=lead_user).exists()


def test_settings_page_bad_input_loses_nothing(client, lead_user):
    client.force_login(lead_user)
    response = client.post("/settings/api-tokens/", {"name": "intranet", "expires_in_days": 0})
    assert response.status_code == 400
    assert b'value="intranet"' in response.content
    assert not ApiToken.objects.exists()


def test_settings_page_is_for_leads_only(client, db):
    client.force_login(officer())
    assert client.get("/settings/api-tokens/").status_code == 403


def test_a_used_token_is_checked_without_queries_and_still_refused_once_revoked(
    db, django_assert_max_num_queries
):
    new = api_token_create(name="intranet", scopes="read", actor=None)
    client = bearer(new.secret)
    assert client.get("/api/v1/items/").status_code == 200  # looks the token and permissions up
    with django_assert_max_num_queries(2) as captured:  # the page and its flags only
        assert client.get("/api/v1/items/").status_code == 200
    assert not any("moderation_apitoken" in q["sql"] for q in captured.captured_queries)
    assert not any("auth_permission" in q["sql"] for q in captured.captured_queries)
    api_token_revoke(token_id=new.token.pk, actor=None)
    assert client.get("/api/v1/items/").status_code == 401


def test_each_request_gets_its_own_copy_of_a_kept_token(db):
    from moderation.services.api_tokens import api_token_authenticate

    new = api_token_create(name="intranet", scopes="read", actor=None)
    api_token_authenticate(secret=new.secret)  # looks it up and keeps it
    first = api_token_authenticate(secret=new.secret)
    second = api_token_authenticate(secret=new.secret)
    assert first is not second
    assert first.user is not second.user
    assert first._state is not second._state
    first.user.is_verified = lambda: True  # what a request's code may set on its user
    first.user._perm_cache.add("moderation.delete_item")
    first.name = "changed"
    third = api_token_authenticate(secret=new.secret)
    assert not hasattr(third.user, "is_verified")
    assert not third.user.has_perm("moderation.delete_item")
    assert third.user.has_perm("moderation.view_item")
    assert (third.pk, third.name, third.user.pk, third.user_id) == (
        new.token.pk,
        "intranet",
        new.token.user_id,
        new.token.user_id,
    )
    assert (third._state.db, third._state.adding, third.user._state.adding) == ("default", False, False)
