"""Every endpoint x every principal gives the right status (issue 9, "permission matrix").

Principals: anonymous, each role signed in, and tokens of each scope, expired and revoked.
test_every_api_endpoint_and_method_is_in_the_matrix walks the URLconf under /api/, so an
endpoint (or a method on one) added later fails the suite until it has a row here (issue 13 §5).
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLResolver, get_resolver

from moderation.models import Action, ApiToken, CannedReply, Item, WebhookEndpoint
from moderation.services.api_tokens import api_token_create
from moderation.services.audit import audit_record
from tests.api.conftest import PRINCIPALS
from tests.factories import FlagFactory, ItemFactory

OK_READ = {
    "anonymous": 401,
    "viewer": 200,
    "officer": 200,
    "lead": 200,
    "token_read": 200,
    "token_act": 403,
    "token_admin": 403,
    "token_expired": 401,
    "token_revoked": 401,
}
LEAD_ONLY = {
    "anonymous": 401,
    "viewer": 403,
    "officer": 403,
    "lead": 200,
    "token_read": 403,
    "token_act": 403,
    "token_admin": 200,
    "token_expired": 401,
    "token_revoked": 401,
}


@pytest.fixture
def world(db):
    flag = FlagFactory()
    item = flag.item
    CannedReply.objects.create(title="Repairs", body="Please call 0800 ...", route="repair")
    endpoint = WebhookEndpoint.objects.create(url="http://127.0.0.1:9/hook", events=["item.flagged"])
    return {
        "item": item.pk,
        "flag": flag.pk,
        "author": item.author_id,
        "channel": item.channel_id,
        "canned": CannedReply.objects.get().pk,
        "webhook": endpoint.pk,
    }


READS = [
    ("/api/v1/items/", OK_READ),
    ("/api/v1/items/{item}/", OK_READ),
    ("/api/v1/flags/", OK_READ),
    ("/api/v1/flags/{flag}/", OK_READ),
    ("/api/v1/authors/", OK_READ),
    ("/api/v1/authors/{author}/", OK_READ),
    ("/api/v1/authors/{author}/items/", OK_READ),
    ("/api/v1/channels/", OK_READ),
    ("/api/v1/channels/{channel}/", OK_READ),
    ("/api/v1/canned-replies/", OK_READ),
    ("/api/v1/canned-replies/{canned}/", OK_READ),
    ("/api/v1/stats/", OK_READ),
    ("/api/v1/audit-events/", LEAD_ONLY),
    ("/api/v1/tokens/", LEAD_ONLY),
    ("/api/v1/webhooks/", LEAD_ONLY),
    ("/api/v1/webhooks/{webhook}/", LEAD_ONLY),
    ("/api/v1/webhooks/{webhook}/deliveries/", LEAD_ONLY),
]


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize(("path", "expected"), READS, ids=[p for p, _ in READS])
def test_reads(api_client_for, world, principal, path, expected):
    response = api_client_for(principal).get(path.format(**world))
    assert response.status_code == expected[principal], response.content
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == response.status_code


def test_audit_event_detail_is_lead_only(api_client_for, world):
    item = Item.objects.get(pk=world["item"])
    event = audit_record(actor=None, verb="item.noted", target=item)
    for principal, expected in LEAD_ONLY.items():
        assert api_client_for(principal).get(f"/api/v1/audit-events/{event.pk}/").status_code == expected


CREATE_TOKEN = {
    "anonymous": 401,
    "viewer": 403,
    "officer": 403,
    "lead": 201,
    "token_read": 403,
    "token_act": 403,
    "token_admin": 201,
    "token_expired": 401,
    "token_revoked": 401,
}


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_create_token(api_client_for, db, principal):
    response = api_client_for(principal).post(
        "/api/v1/tokens/", {"name": f"made-by-{principal}", "scopes": ["read"]}, format="json"
    )
    assert response.status_code == CREATE_TOKEN[principal], response.content
    if response.status_code == 201:
        assert response.json()["token"].startswith("hvb_")
        assert ApiToken.objects.filter(name=f"made-by-{principal}").exists()


WEBHOOK_BODY = {"url": "http://127.0.0.1:9/in", "events": ["sla.breached"]}


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_register_webhook(api_client_for, settings, db, principal):
    settings.API_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    response = api_client_for(principal).post("/api/v1/webhooks/", WEBHOOK_BODY, format="json")
    assert response.status_code == CREATE_TOKEN[principal], response.content


ACT = {
    "anonymous": 401,
    "viewer": 403,
    "officer": "ok",
    "lead": "ok",
    "token_read": 403,
    "token_act": "ok",
    "token_admin": 403,
    "token_expired": 401,
    "token_revoked": 401,
}
# (path, body, success status); {item} is a fresh item per principal.
DECISIONS = [
    ("/api/v1/items/{item}/claim/", {}, 200),
    ("/api/v1/items/{item}/release/", {}, 200),
    ("/api/v1/items/{item}/dismiss/", {"reason": "no breach"}, 200),
    ("/api/v1/items/{item}/escalate/", {"note": "threat?"}, 200),
    ("/api/v1/items/{item}/resolve/", {"outcome": "signposted"}, 200),
    ("/api/v1/items/{item}/notes/", {"text": "phoned them"}, 201),
    ("/api/v1/items/{item}/report/", {"clause": "2.3"}, 202),
    # platform actions are queued (the worker sends them after the response)
    ("/api/v1/items/{item}/hide/", {"clause": "2.3"}, 202),
    ("/api/v1/items/{item}/unhide/", {}, 202),
    ("/api/v1/items/{item}/delete/", {"clause": "2.3"}, 202),
    ("/api/v1/items/{item}/reply/", {"text": "Please call us"}, 202),
    ("/api/v1/items/{item}/block/", {"clause": "2.5"}, 202),
    ("/api/v1/items/{item}/unblock/", {}, 202),
    ("/api/v1/items/claim-next/", {}, 200),
    ("/api/v1/actions/", {"item": "{item}", "kind": "report", "clause": "2.3"}, 202),
]


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize(("path", "body", "success"), DECISIONS, ids=[d[0] for d in DECISIONS])
def test_decisions(api_client_for, db, principal, path, body, success):
    item = ItemFactory()
    data = {k: (item.pk if v == "{item}" else v) for k, v in body.items()}
    response = api_client_for(principal).post(path.format(item=item.pk), data, format="json")
    expected = success if ACT[principal] == "ok" else ACT[principal]
    assert response.status_code == expected, response.content


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_action_list(api_client_for, db, principal):
    assert api_client_for(principal).get("/api/v1/actions/").status_code == OK_READ[principal]


# -- the rest of the API, and the check that nothing escapes this matrix -------------------
PUBLIC = {p: 200 for p in PRINCIPALS}  # the schema and its two viewers (docs/api.md)
MORE_READS = [
    ("/api/v1/", OK_READ),  # the browsable root lists the endpoints
    ("/api/v1/actions/{action}/", OK_READ),
    ("/api/v1/tokens/{token}/", LEAD_ONLY),
    ("/api/schema/", PUBLIC),
    ("/api/docs/", PUBLIC),
    ("/api/redoc/", PUBLIC),
]


@pytest.fixture
def more_world(world):
    item = Item.objects.get(pk=world["item"])
    action = Action.objects.create(item=item, channel=item.channel, kind="hide", idempotency_key="matrix")
    token = api_token_create(name="listed", scopes="read", actor=None).token
    return {**world, "action": action.pk, "token": token.pk}


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize(("path", "expected"), MORE_READS, ids=[p for p, _ in MORE_READS])
def test_more_reads(api_client_for, more_world, principal, path, expected):
    response = api_client_for(principal).get(path.format(**more_world))
    assert response.status_code == expected[principal], response.content


LEAD_WRITES = [  # (method, path, success)
    ("post", "/api/v1/tokens/{token}/revoke/", 200),
    ("delete", "/api/v1/webhooks/{webhook}/", 204),
]


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize(
    ("method", "path", "success"), LEAD_WRITES, ids=[f"{m} {p}" for m, p, _ in LEAD_WRITES]
)
def test_lead_writes(api_client_for, more_world, principal, method, path, success):
    response = getattr(api_client_for(principal), method)(path.format(**more_world))
    expected = success if LEAD_ONLY[principal] == 200 else LEAD_ONLY[principal]
    assert response.status_code == expected, response.content


def api_rules() -> dict[tuple[str, str], tuple[dict, dict[str, int]]]:
    """{(METHOD, path): (body, {principal: status})} for every row the tests above try.

    The one statement of the API's role matrix: the tests above read their tables, and
    tests/security/test_authorisation.py walks every route in the URLconf (views and API) as
    each role against these rules. Paths use the fixtures' names ({item}, {webhook}, ...).
    """

    def on_success(table: dict[str, int | str], success: int) -> dict[str, int]:
        return {p: success if s in ("ok", 200) else int(s) for p, s in table.items()}

    rules: dict[tuple[str, str], tuple[dict, dict[str, int]]] = {}
    for path, expected in READS + MORE_READS:
        rules["GET", path] = ({}, dict(expected))
    rules["GET", "/api/v1/audit-events/{event}/"] = (
        {},
        dict(LEAD_ONLY),
    )  # test_audit_event_detail_is_lead_only
    rules["GET", "/api/v1/actions/"] = ({}, dict(OK_READ))  # test_action_list
    rules["POST", "/api/v1/tokens/"] = ({"name": "made", "scopes": ["read"]}, dict(CREATE_TOKEN))
    rules["POST", "/api/v1/webhooks/"] = (WEBHOOK_BODY, dict(CREATE_TOKEN))  # test_register_webhook
    for path, body, success in DECISIONS:
        rules["POST", path] = (body, on_success(ACT, success))
    for method, path, success in LEAD_WRITES:
        rules[method.upper(), path] = ({}, on_success(LEAD_ONLY, success))
    return rules


def _api_routes():
    """(METHOD, /path/{pk}/) of every endpoint under /api/ in the URLconf, format suffixes aside."""
    api = next(e for e in get_resolver().url_patterns if isinstance(e, URLResolver) and e.namespace == "api")
    for prefix, entry in _walk(api, "/" + str(api.pattern)):
        route = prefix + str(entry.pattern)
        if "format" in route:  # the router's .json/.api twins of the routes below
            continue
        route = re.sub(r"\(\?P<(\w+)>[^)]*\)", "{pk}", route.replace("^", "").replace("$", ""))
        actions = getattr(entry.callback, "actions", None)
        view = getattr(entry.callback, "cls", None) or getattr(entry.callback, "view_class", None)
        methods = actions or [m for m in ("get", "post", "put", "patch", "delete") if hasattr(view, m)]
        for method in methods:
            if method != "head":  # HEAD runs the GET handler, with its checks
                yield method.upper(), route


def _walk(resolver, prefix):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry, prefix + str(entry.pattern))
        else:
            yield prefix, entry


def test_every_api_endpoint_and_method_is_in_the_matrix():
    """A new endpoint, or a new method on one, cannot escape the role matrix: it fails here."""
    served = set(_api_routes())
    tried = {(m, re.sub(r"\{\w+\}", "{pk}", p)) for m, p in api_rules()}
    assert len(served) > 40  # the walk found the API
    assert served - tried == set(), "add these to the permission matrix above"
    assert tried - served == set(), "the matrix tries routes the API no longer has"
