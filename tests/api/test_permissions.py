"""Every endpoint x every principal gives the right status (issue 9, "permission matrix")."""

from __future__ import annotations

import pytest

from moderation.models import ApiToken, CannedReply, Item, WebhookEndpoint
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


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_register_webhook(api_client_for, settings, db, principal):
    settings.API_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    response = api_client_for(principal).post(
        "/api/v1/webhooks/", {"url": "http://127.0.0.1:9/in", "events": ["sla.breached"]}, format="json"
    )
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
