"""Every view tried as every role (issue 13 §5).

Walks the URL resolver, so a view added later is tried too: for any view, no role may see a
5xx, and an anonymous visitor may see only the public pages (sign-in, password reset, health,
webhooks). Views with a role rule get it checked exactly (ROLE_RULES). The admin has its own
permission model and its own tests (test_admin_hardening.py). The REST API has its own role and
token-scope matrix in tests/api/test_permissions.py, which walks the same URLconf under /api/
and fails if any endpoint or method there is missing from the matrix.
"""

import pytest
from django.urls import get_resolver

from tests.factories import ChannelFactory, ItemFactory, UserFactory, lead, officer, viewer
from tests.helpers import route_url as _url
from tests.helpers import walk_urls as _walk

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "viewer", "officer", "lead", "superuser")
# Names anonymous visitors may open (anything else must send them to sign in or refuse).
PUBLIC = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "healthz",
    "readyz",
    "metrics",
    "webhook",
    "webhook-meta",
}
# GET status per role, for views whose rule is "this role and up". "in" = any of 200/302.
ROLE_RULES = {
    "moderation:home": {"viewer": 200, "officer": 200, "lead": 200, "superuser": 200},
    "moderation:channel-list": {"viewer": 200, "officer": 200, "lead": 200, "superuser": 200},
    "moderation:channel-detail": {"viewer": 200, "officer": 200, "lead": 200, "superuser": 200},
    "moderation:data-protection": {"viewer": 403, "officer": 403, "lead": 200, "superuser": 200},
    "moderation:author-export": {"viewer": 403, "officer": 403, "lead": 302, "superuser": 302},
    "moderation:channel-oauth-callback": {"viewer": 403, "officer": 403, "lead": 400, "superuser": 400},
    # GET of a POST-only view: refused (403) or not allowed (405), whichever check comes first.
    "moderation:channel-connect": {
        "viewer": (403, 405),
        "officer": (403, 405),
        "lead": 405,
        "superuser": 405,
    },
    "moderation:channel-disconnect": {"viewer": 403, "officer": 403, "lead": 200, "superuser": 200},
    "moderation:data-retention-set": {
        "viewer": (403, 405),
        "officer": (403, 405),
        "lead": 405,
        "superuser": 405,
    },
}
# POST per role for the state-changing views (CSRF checks are off in the test client).
POST_RULES = {
    "moderation:channel-disconnect": {"viewer": 403, "officer": 403, "lead": 200},  # asks to confirm
    "moderation:data-retention-set": {"viewer": 403, "officer": 403, "lead": 302},
}


def _client_for(role, client):
    users = {
        "viewer": lambda: viewer(),
        "officer": lambda: officer(),
        "lead": lambda: lead(),
        "superuser": lambda: UserFactory(is_staff=True, is_superuser=True),
    }
    if role != "anonymous":
        client.force_login(users[role]())
    return client


@pytest.fixture
def routes():
    channel = ChannelFactory()
    item = ItemFactory(channel=channel, media_urls=[])
    ids = {"channel_id": channel.pk, "item_id": item.pk, "index": 0, "pk": item.pk}
    found = [(name, _url(pattern, ids)) for name, pattern in _walk(get_resolver())]
    assert len(found) >= 15
    return found


@pytest.mark.parametrize("role", ROLES)
def test_every_view_as_every_role(client, routes, role):
    client = _client_for(role, client)
    seen = {}
    for name, url in routes:
        if name in ("logout", "admin:logout"):
            continue  # signing out would end this role's session for the views after it
        response = client.get(url)
        seen[name or url] = response.status_code
        assert response.status_code < 500, (role, url, response.status_code)
        short = name.split(":")[-1]
        if role == "anonymous" and short not in PUBLIC and name not in PUBLIC:
            redirected_to_login = response.status_code == 302 and "/accounts/login/" in response.url
            assert redirected_to_login or response.status_code in (401, 403, 404, 405), (
                url,
                response.status_code,
            )
        elif name in ROLE_RULES and role in ROLE_RULES[name]:
            expected = ROLE_RULES[name][role]
            allowed = expected if isinstance(expected, tuple) else (expected,)
            assert response.status_code in allowed, (role, url, response.status_code)
    assert set(ROLE_RULES) <= set(seen), "a view in ROLE_RULES no longer exists"


@pytest.mark.parametrize("role", ["viewer", "officer", "lead"])
def test_state_changing_views_refuse_lower_roles(client, routes, role):
    client = _client_for(role, client)
    urls = dict(routes)
    for name, rule in POST_RULES.items():
        response = client.post(urls[name], {"months": "24"})
        assert response.status_code == rule[role], (role, name, response.status_code)
