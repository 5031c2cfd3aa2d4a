"""Every route, views and API alike, tried as every role against the role matrix (issue 13 §5).

`test_every_route_has_a_rule` walks the whole URLconf (the app's views, the REST API, the
admin) and fails when a route, or a method on one, has no rule here,
so a view or endpoint added later cannot escape the matrix. `test_every_route_as_every_role`
then requests each route with each method as an anonymous visitor, a Viewer, an Officer, a Lead
and an administrator (a superuser) and compares the answer with the rule exactly. Each request
runs in a transaction that is rolled back, so every one meets the same data.

The API's rules are its own matrix (`api_rules()` in tests/api/test_permissions.py, which also
tries API tokens of each scope); the rules for the app's views are VIEW_RULES below; every admin
view follows ADMIN_RULE (the admin's own permission model is tested in test_admin_hardening.py).
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.messages import constants, get_messages
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, include, path
from rest_framework.response import Response
from rest_framework.views import APIView

from havebury_social import urls as project_urls
from moderation.models import Action, CannedReply, WebhookDelivery, WebhookEndpoint
from moderation.services.api_tokens import api_token_create
from moderation.services.audit import audit_record
from tests.api.test_permissions import api_rules
from tests.factories import FlagFactory, ItemFactory, UserFactory, lead, officer, viewer

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "viewer", "officer", "lead", "admin")

# What a rule may expect besides a status code:
LOGIN = "login"  # 302 to the sign-in page (the view needs someone signed in)
ADMIN_LOGIN = "admin-login"  # 302 to the admin's sign-in page (the admin needs a staff account)
DONE = "done"  # 302 back, with no error or warning message: the change was made
REFUSED = "refused"  # 302 back with an error or warning message: the service refused, nothing changed
STAFF_IN = "staff-in"  # past the admin's staff gate: the model's own permissions decide (no 5xx)


def roles(anonymous: Any, viewer: Any, officer: Any, lead: Any, admin: Any = None) -> dict[str, Any]:
    return {
        "anonymous": anonymous,
        "viewer": viewer,
        "officer": officer,
        "lead": lead,
        "admin": lead if admin is None else admin,
    }


def everyone(status: Any) -> dict[str, Any]:
    return roles(status, status, status, status)


def signed_in(status: Any) -> dict[str, Any]:
    return roles(LOGIN, status, status, status)


def leads(status: Any) -> dict[str, Any]:
    """Lead and administrator only: other roles are refused with 403."""
    return roles(LOGIN, 403, 403, status)


def post_only(post: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {"GET": everyone(405), "POST": post}


def same(rule: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The view answers POST as it answers GET (it reads only, or shows its form again)."""
    return {"GET": rule, "POST": rule}


# Every view of the app (not the API or the admin), by URL name: method -> role -> expected.
VIEW_RULES: dict[str, dict[str, dict[str, Any]]] = {
    # Signing in and out. Signed-in people are sent on from the sign-in page.
    "login": same(roles(200, 302, 302, 302)),
    "logout": {"GET": everyone(405), "POST": everyone(LOGIN)},
    "password_reset": same(everyone(200)),
    "password_reset_done": {"GET": everyone(200), "POST": everyone(405)},
    "password_reset_confirm": same(everyone(200)),  # a bad link says so
    "password_reset_complete": {"GET": everyone(200), "POST": everyone(405)},
    "password_change": same(signed_in(200)),
    "password_change_done": {"GET": signed_in(200), "POST": signed_in(405)},
    # Two-factor: without an authenticator, the recovery-code and code pages lead to enrolment.
    "two-factor": same(signed_in(302)),
    "two-factor-verify": same(signed_in(302)),
    "two-factor-setup": same(signed_in(200)),
    # The queue and items: every role reads; the services refuse a Viewer's decisions.
    "moderation:home": same(signed_in(200)),
    "moderation:queue-arrivals": same(signed_in(200)),
    "moderation:queue-budgets": same(signed_in(200)),
    "moderation:queue-next": post_only(roles(LOGIN, REFUSED, 302, 302)),
    "moderation:queue-bulk": post_only(roles(LOGIN, REFUSED, DONE, DONE)),
    "moderation:item": same(signed_in(200)),
    "moderation:item-actions": same(signed_in(200)),
    "moderation:item-do": post_only(roles(LOGIN, REFUSED, DONE, DONE)),
    # The item's images: fetched only through the allowlist; this item's points at the cloud
    # metadata address, so a role allowed to see it is answered 502, never with its content.
    "moderation:item-media": same(signed_in(502)),
    "moderation:item-media-show": same(signed_in(200)),
    # Lead settings.
    "moderation:settings": same(leads(200)),
    "moderation:api-tokens": {"GET": leads(200), "POST": leads(400)},  # POST: a name is needed
    "moderation:api-token-revoke": post_only(leads(DONE)),
    "moderation:webhooks": {"GET": leads(200), "POST": leads(400)},  # POST: a URL is needed
    "moderation:webhook-remove": post_only(leads(DONE)),
    "moderation:webhook-delivery-retry": post_only(leads(DONE)),
    "moderation:team": same(leads(200)),
    "moderation:team-change": post_only(roles(LOGIN, REFUSED, REFUSED, DONE)),
    "moderation:settings-section": same(leads(200)),
    "moderation:settings-row": same(leads(200)),
    "moderation:settings-delete": post_only(leads(302)),
    "moderation:reports": same(leads(200)),
    "moderation:reports-monthly": same(leads(200)),
    # Channels: every role sees them; only a Lead connects or disconnects one.
    "moderation:channel-list": same(signed_in(200)),
    "moderation:channel-capabilities": same(signed_in(200)),
    "moderation:channel-detail": same(signed_in(200)),
    "moderation:channel-connect": post_only(leads(302)),
    "moderation:channel-disconnect": same(leads(200)),  # POST asks to confirm first
    "moderation:channel-oauth-callback": same(leads(400)),  # no code or state: refused
    # Data protection (UK GDPR): Leads only.
    "moderation:data-protection": same(leads(200)),
    "moderation:data-retention-set": post_only(leads(DONE)),
    "moderation:author-export": same(leads(302)),  # no author given: back to the page
    "moderation:failures": same(leads(200)),
    "moderation:failure-retry": post_only(leads(302)),
    # Machines: health and metrics are public; platform webhooks need the platform's signature.
    "moderation:healthz": {"GET": everyone(200), "POST": everyone(405)},
    "moderation:readyz": {"GET": everyone(200), "POST": everyone(405)},
    "moderation:metrics": {"GET": everyone(200), "POST": everyone(405)},
    "moderation:webhook": same(everyone(403)),
}
# A POST body where the view needs one to reach its permission check.
POST_BODIES = {
    "moderation:queue-bulk": lambda w: {"kind": "dismiss", "ids": [w["item"]]},
    "moderation:team-change": lambda w: {"role": "Lead"},
    "moderation:data-retention-set": lambda w: {"months": "24"},
}
# Every admin view: staff only; anyone else is sent to the admin's sign-in.
ADMIN_RULE = {"GET": roles(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, STAFF_IN)}
ADMIN_RULE["POST"] = ADMIN_RULE["GET"]
ADMIN_PUBLIC = {  # the admin's own sign-in and sign-out
    # A signed-in non-staff user is told they may not; staff are sent on to the admin.
    "admin:login": {"GET": roles(200, 200, 200, 200, 302), "POST": everyone(200)},
    # Non-staff are sent to the admin's index (and from there to sign in); staff sign out by POST.
    "admin:logout": {"GET": roles(302, 302, 302, 302, 405), "POST": everyone(302)},
}


# -- the routes --------------------------------------------------------------------------
def _walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name or ''}", prefix + str(entry.pattern), entry


def _api_methods(entry: URLPattern) -> list[str]:
    actions = getattr(entry.callback, "actions", None)
    view = getattr(entry.callback, "cls", None) or getattr(entry.callback, "view_class", None)
    methods = actions or [m for m in ("get", "post", "put", "patch", "delete") if hasattr(view, m)]
    return [m.upper() for m in methods if m != "head"]  # HEAD runs the GET handler, with its checks


def routes() -> list[tuple[str, str, str, str]]:
    """(kind, name, METHOD, pattern) of every route: kind is "view", "api" or "admin".

    An API pattern is spelt as its rule is ({pk} for an id, no regex).
    """
    found = []
    for name, pattern, entry in _walk(get_resolver()):
        if name.startswith("admin:") or pattern.startswith("admin/"):
            found += [("admin", name, m, pattern) for m in ("GET", "POST")]
        elif name.startswith("api:"):
            path = "/" + re.sub(r"\(\?P<\w+>[^)]*\)", "{pk}", pattern.replace("^", "").replace("$", ""))
            found += [("api", name, m, path) for m in _api_methods(entry)]
        else:
            found += [("view", name, m, pattern) for m in ("GET", "POST")]
    return sorted(set(found))


def _api_rule(method: str, path: str, rules: dict) -> tuple[str, dict, dict[str, Any]] | None:
    """(path template, body, role -> status) of an API route, from the API's own matrix."""
    for (rule_method, template), (body, table) in rules.items():
        if rule_method == method and re.sub(r"\{\w+\}", "{pk}", template) == path:
            return template, body, roles(table["anonymous"], table["viewer"], table["officer"], table["lead"])
    return None


def rule_for(kind: str, name: str, method: str, pattern: str, rules: dict) -> dict[str, Any] | None:
    if kind == "admin":
        return ADMIN_PUBLIC.get(name, ADMIN_RULE)[method]
    if kind == "api":
        found = _api_rule(method, pattern, rules)
        return found[2] if found else None
    return VIEW_RULES.get(name, {}).get(method)


def routes_without_a_rule() -> list[tuple[str, str, str, str]]:
    rules = api_rules()
    return [route for route in routes() if rule_for(*route, rules) is None]


def test_every_route_has_a_rule():
    """A view, an API endpoint or a method on one added without a rule fails here."""
    rules, found = api_rules(), routes()
    assert {kind for kind, *_ in found} == {"view", "api", "admin"}
    assert sum(kind == "api" for kind, *_ in found) > 40
    assert routes_without_a_rule() == [], "add a rule for each of these to the role matrix"
    view_names = {name for kind, name, _, _ in found if kind == "view"}
    assert set(VIEW_RULES) - view_names == set(), "VIEW_RULES names views that no longer exist"
    api_paths = {(m, p) for kind, _, m, p in found if kind == "api"}
    stale = [key for key in rules if not any(_api_rule(m, p, {key: rules[key]}) for m, p in api_paths)]
    assert stale == [], "the API matrix has rules for routes that no longer exist"


def _new_view(request):
    return HttpResponse("made after the matrix")


class _NewEndpoint(APIView):
    def get(self, request):
        return Response({})


# The project's routes plus a view and an API endpoint that have no rule (the test below).
urlpatterns = [
    *project_urls.urlpatterns,
    path("brand-new/", _new_view, name="brand-new"),
    path("api/v1/brand-new/", include(([path("", _NewEndpoint.as_view(), name="new")], "api"))),
]


@pytest.mark.urls(__name__)
def test_a_route_added_without_a_rule_is_caught():
    missing = routes_without_a_rule()
    assert ("view", "brand-new", "GET", "brand-new/") in missing
    assert ("api", "api:new", "GET", "/api/v1/brand-new/") in missing
    assert len(missing) == 3  # the view's GET and POST, the endpoint's GET


# -- trying them -------------------------------------------------------------------------
@pytest.fixture
def world(db, settings):
    """One of everything a route can name, with its id under the route's own argument name."""
    settings.API_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    flag = FlagFactory()
    item = flag.item
    item.media_urls = ["http://169.254.169.254/latest/meta-data/photo.jpg"]
    item.save(update_fields=["media_urls"])
    fresh = ItemFactory()  # the API's decisions are made on an item no one has touched
    canned = CannedReply.objects.create(title="Repairs", body="Please call 0800 ...", route="repair")
    endpoint = WebhookEndpoint.objects.create(url="http://127.0.0.1:9/hook", events=["item.flagged"])
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event="item.flagged", dedupe_key="w", status="failed"
    )
    action = Action.objects.create(item=item, channel=item.channel, kind="hide", idempotency_key="w")
    token = api_token_create(name="listed", scopes="read", actor=None).token
    event = audit_record(actor=None, verb="item.noted", target=item)
    colleague = officer(username="colleague")
    return {
        # the views' argument names
        "item_id": item.pk,
        "kind": "claim",
        "index": 0,
        "channel_id": item.channel_id,
        "token_id": token.pk,
        "endpoint_id": endpoint.pk,
        "delivery_id": delivery.pk,
        "user_id": colleague.pk,
        "key": "canned-replies",
        "row_id": canned.pk,
        "platform": "facebook",
        "uidb64": "MQ",
        "token": "bad-link",
        "app_label": "moderation",
        # the API matrix's names
        "api": {
            "item": fresh.pk,
            "flag": flag.pk,
            "author": item.author_id,
            "channel": item.channel_id,
            "canned": canned.pk,
            "webhook": endpoint.pk,
            "action": action.pk,
            "token": token.pk,
            "event": event.pk,
        },
        "item": item.pk,
    }


def _view_url(pattern: str, ids: dict) -> str:
    def fill(match: re.Match) -> str:
        return str(ids.get(match.group(2), "1"))

    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(ids.get(m.group(1), "1")), pattern)
    path = re.sub(r"<(?:(\w+):)?(\w+)>", fill, path)
    return "/" + path.replace("^", "").replace("$", "")


def _check(response, expected: Any) -> bool:
    status = response.status_code
    if isinstance(expected, int):
        return status == expected
    location = response.get("Location", "")
    if expected == LOGIN:
        return status == 302 and location.startswith("/accounts/login/")
    if expected == ADMIN_LOGIN:
        return status == 302 and location.startswith("/admin/login/")
    if expected == STAFF_IN:
        return not location.startswith("/admin/login/")
    levels = {m.level for m in get_messages(response.wsgi_request)}
    complaint = bool(levels & {constants.ERROR, constants.WARNING})
    return status == 302 and complaint == (expected == REFUSED)


def _people() -> dict[str, Any]:
    return {
        "viewer": viewer(username="walk-viewer"),
        "officer": officer(username="walk-officer"),
        "lead": lead(username="walk-lead"),
        "admin": UserFactory(username="walk-admin", is_staff=True, is_superuser=True),
    }


def _send(client: Client, method: str, url: str, data: dict, *, as_json: bool):
    if method == "GET":
        return client.get(url)
    if as_json:
        return client.generic(method, url, json.dumps(data), content_type="application/json")
    form = urlencode(data, doseq=True)
    return client.generic(method, url, form, content_type="application/x-www-form-urlencoded")


@pytest.mark.parametrize("role", ROLES)
def test_every_route_as_every_role(world, role):
    rules, person = api_rules(), _people().get(role)
    wrong, tried = [], 0
    client = Client(raise_request_exception=False)  # a 500 is reported with the others
    if person is not None:
        client.force_login(person)
    signed_in = {key: morsel.value for key, morsel in client.cookies.items()}
    for kind, name, method, pattern in routes():
        client.cookies.clear()
        for key, value in signed_in.items():
            # The same session each time: signing out is rolled back, as every request is.
            client.cookies[key] = value
        if kind == "api":
            template, body, expected_by_role = _api_rule(method, pattern, rules)
            url = template.format(**world["api"])
            data = {k: (world["api"]["item"] if v == "{item}" else v) for k, v in body.items()}
        else:
            expected_by_role = rule_for(kind, name, method, pattern, rules)
            url = _view_url(pattern, world)
            data = POST_BODIES[name](world) if method == "POST" and name in POST_BODIES else {}
        with transaction.atomic():
            response = _send(client, method, url, data, as_json=kind == "api")
            transaction.set_rollback(True)  # the next route meets the same data
        tried += 1
        expected = expected_by_role[role]
        status = response.status_code
        if not _check(response, expected) or (status >= 500 and status != expected):
            wrong.append((method, url, name, "expected", expected, "got", status))
    assert tried > 400
    assert wrong == [], f"{role}: routes that broke the role matrix:\n" + "\n".join(map(str, wrong))
